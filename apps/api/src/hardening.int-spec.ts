/**
 * Issue 18, item 8 (the smaller holes) over the real api in-process, against real parts: PostgreSQL
 * (own database), Debian's Mosquitto (anonymous, own port) as the broker, a real influxd.
 * `/metrics` and `/health` behind METRICS_TOKEN, contact phones limited to mainland mobiles (plus
 * configured countries), alarm scope following the enterprise's current region (REST and live feed),
 * neutral conflict messages, history queries bounded by readings scanned and rate-limited per user.
 */
import 'reflect-metadata';
import { TestServices, testUscc, waitFor } from '@sw/testing';
import request from 'supertest';
import { EventSequencerService } from './live/event-sequencer.service';
import { api, type ApiHarness, FeedClient, raiseAlarm, seedSubject, startApiHarness, userToken } from './testing/api-test.factory';

const METRICS_TOKEN = 'metrics-token-for-tests-0123456789';
const isAlarm = (f: Record<string, unknown>) => f['type'] === 'alarm';
const alarmIdOf = (f: Record<string, unknown>) => (f['alarm'] as { id: string }).id;

describe('issue 18 item 8: smaller holes', () => {
  let services: TestServices;
  let h: ApiHarness;
  let reg0505: string;
  let reg0506: string;
  const sockets: FeedClient[] = [];

  const subject = (n: number, region: string, code: string) => seedSubject(h, { n, uscc: testUscc(18_000 + n), regionCode: region, gatewayCode: code });

  async function feed(token: string, since?: number): Promise<FeedClient> {
    const client = await FeedClient.open(`${h.wsUrl}?token=${token}`);
    sockets.push(client);
    await client.waitFor((f) => f['type'] === 'ready');
    client.send({ type: 'subscribe', channels: ['alarms'], ...(since !== undefined && { since }) });
    await client.waitFor((f) => f['type'] === 'live');
    return client;
  }

  beforeAll(async () => {
    services = await TestServices.start('api_hardening', { mosquitto: true, influx: true });
    h = await startApiHarness(services, { METRICS_TOKEN, CONTACT_ALLOWED_COUNTRY_CODES: '852', READINGS_BURST: '4', READINGS_RATE_PER_MIN: '0.1', READINGS_MAX_SCAN_ROWS: '500000' });
    reg0505 = await userToken(h, { username: 'reg0505', role: 'regulator', regionCode: '320505' });
    reg0506 = await userToken(h, { username: 'reg0506', role: 'regulator', regionCode: '320506' });
  });

  afterAll(async () => {
    for (const s of sockets) s.close();
    await services?.stop();
  });

  it('/metrics needs the METRICS_TOKEN bearer token; public /health says only its status, details with the token', async () => {
    const bare = await request(h.baseUrl).get('/metrics');
    expect(bare.status).toBe(401);
    expect(bare.headers['www-authenticate']).toContain('Bearer');
    expect(bare.text).not.toContain('api_http_requests_total');
    expect((await request(h.baseUrl).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}x`)).status).toBe(401);
    expect((await request(h.baseUrl).get('/metrics').set('Authorization', `Bearer ${h.adminToken}`)).status).toBe(401); // a user's JWT is not it
    const scraped = await request(h.baseUrl).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`);
    expect(scraped.status).toBe(200);
    expect(scraped.text).toContain('api_http_requests_total');

    const health = await request(h.baseUrl).get('/health');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: expect.stringMatching(/^(ok|degraded)$/) });
    const detailed = await request(h.baseUrl).get('/health').set('Authorization', `Bearer ${METRICS_TOKEN}`);
    expect(detailed.body).toMatchObject({ status: health.body.status, checks: { postgres: { status: 'up' }, influxdb: { status: 'up' } } });
  });

  it('contact phones: mainland mobiles, and only the configured other countries (SMS pumping), with a clear 400', async () => {
    const s = await subject(1, '320505', 'HARD-GW1');
    const put = (phone: string) => api(h, reg0505).put(`/enterprises/${s.enterpriseId}/contacts`, { safetyOfficer: { name: '安全员', phone }, principal: null });
    for (const ok of ['13900001111', '+8619912345678', '+85291234567']) expect((await put(ok)).status).toBe(200);
    for (const bad of ['+12025550123', '+447911123456', '+861012345678', '+8612012345678']) {
      const res = await put(bad);
      expect(res.status).toBe(400);
      expect(res.body.message).toEqual([expect.stringMatching(/^safetyOfficer\.phone: must be a mainland China mobile number .* or an E\.164 number with country code \+852$/)]);
    }
    const duty = await api(h, reg0505).put('/regions/320505/duty-officers', { officers: [{ name: '值班一', phone: '13700000001' }, { name: '值班二', phone: '+4915112345678' }] });
    expect(duty.status).toBe(400);
    expect(duty.body.message).toEqual([expect.stringContaining('officers.1.phone: must be a mainland China mobile number')]);
    expect((await api(h, reg0505).get('/regions/320505/duty-officers')).body.officers).toEqual([]);
  });

  it('an enterprise that moves region takes its alarms along: the old region\'s regulator no longer sees them (REST, live, replay), the new one does', async () => {
    const moving = await subject(2, '320505', 'HARD-GW2');
    const staying = await subject(3, '320505', 'HARD-GW3');
    const alarm = await raiseAlarm(h.store, moving, { ruleId: 'move-rule' });
    expect((await api(h, reg0505).get(`/alarms/${alarm.id}`)).status).toBe(200);
    expect((await api(h, reg0506).get(`/alarms/${alarm.id}`)).status).toBe(404);
    // announced, so the feeds below start after it (not a late fill racing the move)
    expect((await api(h).post(`/alarms/${alarm.id}/comments`, { text: 'before the move' })).status).toBe(201);
    await waitFor(async () => (await h.store.head()) === h.app.get(EventSequencerService).position, { what: 'the sequencer to be at the head', timeoutMs: 5_000 });

    const oldFeed = await feed(reg0505);
    const newFeed = await feed(reg0506);
    expect((await api(h).patch(`/enterprises/${moving.enterpriseId}`, { regionCode: '320506' })).status).toBe(200);

    expect((await api(h, reg0505).get(`/alarms/${alarm.id}`)).status).toBe(404);
    expect((await api(h, reg0505).post(`/alarms/${alarm.id}/comments`, { text: 'x' })).status).toBe(404);
    expect((await api(h, reg0505).get('/alarms')).body.items.map((a: { id: string }) => a.id)).not.toContain(alarm.id);
    expect((await api(h, reg0505).get('/alarms?regionCode=320505')).body.items.map((a: { id: string }) => a.id)).not.toContain(alarm.id);
    expect((await api(h, reg0506).get(`/alarms/${alarm.id}`)).status).toBe(200);
    expect((await api(h, reg0506).get('/alarms')).body.items.map((a: { id: string }) => a.id)).toContain(alarm.id);

    // live: an event of the moved alarm reaches the new region only; the old region's next event
    // (of an enterprise that stayed) shows the old feed has gone past it
    expect((await api(h).post(`/alarms/${alarm.id}/comments`, { text: 'after the move' })).status).toBe(201);
    const [moved] = await newFeed.waitFor((f) => isAlarm(f) && f['event'] === 'commented' && alarmIdOf(f) === alarm.id);
    const other = await raiseAlarm(h.store, staying, { ruleId: 'stay-rule' });
    expect((await api(h).post(`/alarms/${other.id}/comments`, { text: 'still here' })).status).toBe(201);
    await oldFeed.waitFor((f) => isAlarm(f) && f['event'] === 'commented' && alarmIdOf(f) === other.id);
    expect(oldFeed.frames.filter(isAlarm).map(alarmIdOf)).not.toContain(alarm.id);

    // replay from the start follows the current region too
    const since = alarm.seq - 1;
    const oldReplay = await feed(reg0505, since);
    const newReplay = await feed(reg0506, since);
    expect(oldReplay.frames.filter(isAlarm).map(alarmIdOf)).not.toContain(alarm.id);
    expect(oldReplay.frames.filter(isAlarm).map(alarmIdOf)).toContain(other.id);
    const movedReplay = newReplay.frames.filter(isAlarm).filter((f) => alarmIdOf(f) === alarm.id);
    expect(movedReplay.map((f) => f['event'])).toEqual(['raised', 'commented', 'commented']);
    expect(movedReplay[0]?.['seq']).toBe(alarm.seq);
    expect(movedReplay[2]?.['seq']).toBe(moved?.['seq']);
  });

  it('a taken credit code or gateway code is named only to those who may see its holder', async () => {
    const hidden = await subject(4, '320506', 'HARD-HIDDEN');
    const mine = await subject(5, '320505', 'HARD-GW5');
    const hiddenUscc = testUscc(18_004);

    const dup = await api(h, reg0505).post('/enterprises', { name: '重复', uscc: hiddenUscc, regionCode: '320505', riskCategories: ['steel'] });
    expect(dup.status).toBe(409);
    expect(dup.body).toEqual({ statusCode: 409, error: 'Conflict', message: 'this credit code (uscc) cannot be used', code: 'uscc_unavailable' });
    const patched = await api(h, reg0505).patch(`/enterprises/${mine.enterpriseId}`, { uscc: hiddenUscc });
    expect(patched.status).toBe(409);
    expect(JSON.stringify(patched.body)).not.toMatch(/exists|320506|企业4/);
    const gw = await api(h, reg0505).post(`/enterprises/${mine.enterpriseId}/gateways`, { code: 'HARD-HIDDEN' });
    expect(gw.status).toBe(409);
    expect(gw.body).toMatchObject({ message: 'this gateway code cannot be used', code: 'gateway_code_unavailable' });

    // who can see the holder learns which it is; so does the admin
    expect((await api(h, reg0506).post('/enterprises', { name: '重复', uscc: hiddenUscc, regionCode: '320506', riskCategories: ['steel'] })).body.message).toContain('already exists');
    expect((await api(h).post('/enterprises', { name: '重复', uscc: hiddenUscc, regionCode: '320505', riskCategories: ['steel'] })).body.message).toContain('already exists');
    expect((await api(h).post(`/enterprises/${mine.enterpriseId}/gateways`, { code: 'HARD-HIDDEN' })).body.message).toContain('already exists');
    // and the holder in the other region is untouched
    expect((await api(h).get(`/enterprises/${hidden.enterpriseId}`)).body).toMatchObject({ uscc: hiddenUscc, regionCode: '320506' });
  });

  it('history: a bucketed query over more readings than READINGS_MAX_SCAN_ROWS is a 400; queries per user are rate-limited (429)', async () => {
    const s = await subject(6, '320505', 'HARD-GW6'); // expected interval 60 s
    const to = new Date();
    const iso = (days: number) => new Date(to.getTime() - days * 86_400_000).toISOString();
    const first = await userToken(h, { username: 'hist-a', role: 'regulator', regionCode: '320505' });
    const far = await api(h, first).get(`/points/${s.pointId}/readings?from=${iso(400)}&to=${to.toISOString()}&every=1h`);
    expect(far.status).toBe(400);
    expect(far.body.message).toMatch(/about 576000 readings .* at most 500000: choose a span of at most 347 days/);
    const near = await api(h, first).get(`/points/${s.pointId}/readings?from=${iso(30)}&to=${to.toISOString()}&every=1h`);
    expect(near.status).toBe(200);

    const second = await userToken(h, { username: 'hist-b', role: 'regulator', regionCode: '320505' });
    const q = `/points/${s.pointId}/readings?from=${iso(1)}&to=${to.toISOString()}&every=1h`;
    for (let i = 0; i < 2; i++) expect((await api(h, first).get(q)).status).toBe(200); // burst of 4: 2 used above
    const limited = await api(h, first).get(q);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body.message).toMatch(/too many history queries/);
    expect((await api(h, second).get(q)).status).toBe(200); // per user
  });
});
