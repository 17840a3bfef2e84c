/**
 * Alarm REST (docs/contracts.md §3, §4) against real parts: PostgreSQL (own database), Debian's
 * Mosquitto (anonymous, own port), a real influxd; the api in-process. Alarms are raised the way
 * alerting does (`applyConditionChange` committed by `AlarmStore.transition`).
 */
import 'reflect-metadata';
import type { CommittedEvent } from '@sw/persistence';
import { connectMqtt, TestServices, testUscc, waitFor } from '@sw/testing';
import type { MqttClient } from 'mqtt';
import { type AlarmSubject, api, type ApiHarness, clearAlarm, raiseAlarm, seedSubject, seedTwoDistricts, startApiHarness } from '../testing/api-test.factory';

describe('alarms REST', () => {
  let services: TestServices;
  let h: ApiHarness;
  let listener: MqttClient;
  const published: CommittedEvent[] = [];
  let reg0505: string;
  let reg0506: string;
  let entA: string;
  let a: AlarmSubject; // a point of enterprise A in 320505
  let c: AlarmSubject; // a point of enterprise C in 320506

  const subject = (n: number, region: string, code: string) => seedSubject(h, { n, uscc: testUscc(n), regionCode: region, gatewayCode: code });

  const head = async () => Number(((await h.ds.query(`SELECT last FROM event_sequence`)) as [{ last: string }])[0].last);

  beforeAll(async () => {
    services = await TestServices.start('api_alarms', { mosquitto: true, influx: true });
    h = await startApiHarness(services);
    ({ a, c, reg0505, reg0506, entA } = await seedTwoDistricts(h, subject));
    listener = await connectMqtt(services.mosquitto.url, { clientId: 'events-listener' });
    await listener.subscribeAsync('internal/events', { qos: 1 });
    listener.on('message', (_t, payload) => published.push(JSON.parse(payload.toString()) as CommittedEvent));
  });

  afterAll(async () => {
    await listener?.endAsync(true);
    await services?.stop();
  });

  it('GET /alarms: scoped, newest first, filtered; GET /alarms/{id}: events[], 404 out of scope', async () => {
    const first = await raiseAlarm(h.store, a, { tier: 'yellow', value: 30 });
    const second = await raiseAlarm(h.store, c, { tier: 'red' });
    const all = await api(h).get('/alarms');
    expect(all.body).toMatchObject({ total: 2, page: 1, pageSize: 50 });
    expect(all.body.items.map((x: { id: string }) => x.id)).toEqual([second.id, first.id]);
    expect((await api(h, reg0505).get('/alarms')).body.items.map((x: { id: string }) => x.id)).toEqual([first.id]);
    expect((await api(h, entA).get('/alarms')).body.total).toBe(1);
    expect((await api(h).get('/alarms?tier=red,orange')).body.total).toBe(1);
    expect((await api(h).get('/alarms?condition=active&stage=open&kind=threshold')).body.total).toBe(2);
    expect((await api(h).get(`/alarms?enterpriseId=${a.enterpriseId}`)).body.total).toBe(1);
    expect((await api(h).get('/alarms?regionCode=320506')).body.total).toBe(1);
    expect((await api(h).get(`/alarms?from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).body.total).toBe(0);
    for (const q of ['tier=purple', 'from=yesterday', 'enterpriseId=x', 'pageSize=1000']) expect([q, (await api(h).get(`/alarms?${q}`)).status]).toEqual([q, 400]);

    const one = await api(h, entA).get(`/alarms/${first.id}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id: first.id, tier: 'yellow', condition: 'active', stage: 'open', events: [{ event: 'raised', actor: null, seq: first.seq }] });
    expect((await api(h, reg0506).get(`/alarms/${first.id}`)).status).toBe(404);
    expect((await api(h, entA).post(`/alarms/${second.id}/ack`)).status).toBe(404);
  });

  it('ack: 200 and `acknowledged`; a repeated ack answers 200 and writes nothing', async () => {
    const alarm = await raiseAlarm(h.store, a, { ruleId: 'ack-rule' });
    const res = await api(h, entA).post(`/alarms/${alarm.id}/ack`, { comment: '已到现场' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: alarm.id, acknowledged: true, ackedAt: expect.any(String) });
    const before = await head();
    const again = await api(h, reg0505).post(`/alarms/${alarm.id}/ack`);
    expect(again.status).toBe(200);
    expect(await head()).toBe(before);
    const events = (await api(h).get(`/alarms/${alarm.id}`)).body.events;
    expect(events.map((e: { event: string }) => e.event)).toEqual(['raised', 'acknowledged']);
    expect(events[1]).toMatchObject({ actor: { username: 'ent-a', role: 'enterprise' }, data: { comment: '已到现场' } });
    expect((await api(h).post(`/alarms/${alarm.id}/ack`, { comment: 42 })).status).toBe(400);
  });

  it('dispose, close: every 409 with its reason, and the happy path', async () => {
    const alarm = await raiseAlarm(h.store, a, { ruleId: 'loop-rule' });
    const close409 = await api(h, reg0505).post(`/alarms/${alarm.id}/close`);
    expect(close409.status).toBe(409);
    expect(close409.body).toMatchObject({ statusCode: 409, error: 'Conflict', code: 'condition_active', message: expect.stringContaining('still active') });
    expect((await api(h, entA).post(`/alarms/${alarm.id}/dispose`, { cause: 'flood', measures: 'x' })).status).toBe(400);
    expect((await api(h, entA).post(`/alarms/${alarm.id}/dispose`, { cause: 'real_hazard' })).status).toBe(400);
    const disposed = await api(h, entA).post(`/alarms/${alarm.id}/dispose`, { cause: 'real_hazard', measures: '关闭阀门，通风' });
    expect(disposed.status).toBe(200);
    expect(disposed.body).toMatchObject({ stage: 'disposed', acknowledged: true });
    const again = await api(h, entA).post(`/alarms/${alarm.id}/dispose`, { cause: 'other', measures: 'x' });
    expect([again.status, again.body.code]).toEqual([409, 'already_disposed']);
    await clearAlarm(h.store, a, 'loop-rule');
    const closed = await api(h, reg0505).post(`/alarms/${alarm.id}/close`, { comment: '复核完毕' });
    expect([closed.status, closed.body.stage]).toEqual([200, 'closed']);
    for (const [path, body] of [['ack', {}], ['dispose', { cause: 'other', measures: 'x' }], ['close', {}], ['shelve', { minutes: 5, reason: 'x' }]] as const) {
      const res = await api(h, reg0505).post(`/alarms/${alarm.id}/${path}`, body);
      expect([path, res.status, res.body.code]).toEqual([path, 409, 'alarm_closed']);
    }
    const events = (await api(h).get(`/alarms/${alarm.id}`)).body.events.map((e: { event: string }) => e.event);
    expect(events).toEqual(['raised', 'acknowledged', 'disposed', 'cleared', 'closed']);

    const notDisposed = await raiseAlarm(h.store, a, { ruleId: 'nd-rule' });
    await clearAlarm(h.store, a, 'nd-rule');
    const res = await api(h).post(`/alarms/${notDisposed.id}/close`);
    expect([res.status, res.body.code]).toEqual([409, 'not_disposed']);
  });

  it('shelve and unshelve (regulator, admin only), comments', async () => {
    const alarm = await raiseAlarm(h.store, a, { ruleId: 'shelf-rule' });
    expect((await api(h, entA).post(`/alarms/${alarm.id}/shelve`, { minutes: 30, reason: '检修' })).status).toBe(403);
    expect((await api(h, entA).post(`/alarms/${alarm.id}/close`)).status).toBe(403);
    expect((await api(h, reg0505).post(`/alarms/${alarm.id}/shelve`, { minutes: 0, reason: 'x' })).status).toBe(400);
    expect((await api(h, reg0505).post(`/alarms/${alarm.id}/shelve`, { minutes: 1441, reason: 'x' })).status).toBe(400);
    const shelved = await api(h, reg0505).post(`/alarms/${alarm.id}/shelve`, { minutes: 30, reason: '检修' });
    expect(shelved.status).toBe(200);
    expect(Date.parse(shelved.body.shelvedUntil) - Date.now()).toBeGreaterThan(29 * 60_000);
    expect((await api(h, entA).post(`/alarms/${alarm.id}/unshelve`)).status).toBe(403);
    expect((await api(h, reg0505).post(`/alarms/${alarm.id}/unshelve`)).body.shelvedUntil).toBeNull();
    const again = await api(h, reg0505).post(`/alarms/${alarm.id}/unshelve`);
    expect([again.status, again.body.code]).toEqual([409, 'not_shelved']);
    const commented = await api(h, entA).post(`/alarms/${alarm.id}/comments`, { text: '已通知班长' });
    expect(commented.status).toBe(201);
    expect((await api(h, entA).post(`/alarms/${alarm.id}/comments`, { text: '' })).status).toBe(400);
    const events = (await api(h).get(`/alarms/${alarm.id}`)).body.events.map((e: { event: string }) => e.event);
    expect(events).toEqual(['raised', 'shelved', 'unshelved', 'commented']);
  });

  it('publishes every committed event on internal/events (QoS 1), in seq order, after the commit', async () => {
    const last = await head();
    await waitFor(() => published.some((e) => e.seq === last), { what: 'the last event on internal/events' });
    const ours = published.filter((e) => e.actor !== null);
    expect(ours.length).toBeGreaterThan(5);
    for (const e of ours) {
      expect(e).toMatchObject({ seq: expect.any(Number), event: expect.any(String), at: expect.any(String), alarm: { id: expect.any(String) }, regionCode: expect.stringMatching(/^3205/) });
      const [row] = (await h.ds.query(`SELECT event FROM alarm_events WHERE seq = $1`, [e.seq])) as [{ event: string }];
      expect(row.event).toBe(e.event); // committed before announced
    }
    const seqs = ours.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
  });

  it('maintenance: suppresses the point\'s open alarms, DELETE ends it early (unsuppressed), 409 when none', async () => {
    const alarm = await raiseAlarm(h.store, a, { ruleId: 'maint-rule' });
    expect((await api(h, entA).post(`/points/${a.pointId}/maintenance`, { minutes: 0, reason: 'x' })).status).toBe(400);
    expect((await api(h, reg0506).post(`/points/${a.pointId}/maintenance`, { minutes: 60, reason: '更换传感器' })).status).toBe(404);
    const started = await api(h, entA).post(`/points/${a.pointId}/maintenance`, { minutes: 60, reason: '更换传感器' });
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ id: a.pointId, maintenanceReason: '更换传感器', alarmsSuppressed: expect.any(Number) });
    expect(Date.parse(started.body.maintenanceUntil) - Date.now()).toBeGreaterThan(59 * 60_000);
    expect((await api(h).get(`/alarms/${alarm.id}`)).body).toMatchObject({ suppressed: true, events: [{ event: 'raised' }, { event: 'suppressed', data: { reason: '更换传感器' } }] });
    const ended = await api(h, entA).delete(`/points/${a.pointId}/maintenance`);
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ maintenanceUntil: null, alarmsUnsuppressed: started.body.alarmsSuppressed });
    expect((await api(h).get(`/alarms/${alarm.id}`)).body.suppressed).toBe(false);
    expect((await api(h, entA).delete(`/points/${a.pointId}/maintenance`)).status).toBe(409);
  });

  it('audits every alarm action with actor, target, IP, user agent and outcome, refused ones included', async () => {
    const rows: { action: string; outcome: string; username: string; target_id: string; ip: string; user_agent: string; data: Record<string, unknown> }[] =
      await h.ds.query(`SELECT action, outcome, username, target_id, ip, user_agent, data FROM audit_log WHERE action LIKE 'alarm.%' OR action LIKE 'point.maint%' ORDER BY id`);
    const outcomes = (action: string) => rows.filter((r) => r.action === action).map((r) => r.outcome);
    expect(outcomes('alarm.ack')).toEqual(expect.arrayContaining(['ok', 'denied', 'rejected']));
    expect(outcomes('alarm.close')).toEqual(expect.arrayContaining(['ok', 'rejected', 'denied']));
    expect(outcomes('alarm.shelve')).toEqual(expect.arrayContaining(['ok', 'rejected', 'denied']));
    expect(outcomes('alarm.dispose')).toEqual(expect.arrayContaining(['ok', 'rejected']));
    expect(outcomes('point.maintenance_start')).toEqual(['rejected', 'denied', 'ok']);
    expect(outcomes('point.maintenance_end')).toEqual(['ok', 'rejected']);
    const refused = rows.find((r) => r.action === 'alarm.close' && r.outcome === 'rejected');
    expect(refused).toMatchObject({ username: 'reg0505', ip: expect.stringContaining('127.0.0.1'), user_agent: 'api-int-spec', data: { status: 409 } });
    const disposed = rows.find((r) => r.action === 'alarm.dispose' && r.outcome === 'ok');
    expect(disposed?.data).toMatchObject({ cause: 'real_hazard', measures: '关闭阀门，通风' });
  });
});
