/**
 * The live feed (docs/contracts.md §5) against real parts: PostgreSQL (own database), Debian's Mosquitto
 * (anonymous, own port) carrying internal/events and internal/readings, a real influxd; the api
 * in-process, real `ws` clients. Head polling is slowed to 60 s so a hole can only be filled by
 * the sequencer reacting to what it sees on internal/events.
 */
import 'reflect-metadata';
import { JwtService } from '@nestjs/jwt';
import type { CommittedEvent } from '@sw/persistence';
import { encodeReadingBatch } from '@sw/sensors';
import { connectMqtt, holdFor, TestServices, testUscc, waitFor } from '@sw/testing';
import type { MqttClient } from 'mqtt';
import WebSocket from 'ws';
import { type AlarmSubject, api, type ApiHarness, FeedClient, JWT_SECRET, raiseAlarm, seedSubject, startApiHarness, userToken } from '../testing/api-test.factory';

const isAlarm = (f: Record<string, unknown>) => f['type'] === 'alarm';
const seqsOf = (frames: Record<string, unknown>[]) => frames.filter(isAlarm).map((f) => f['seq'] as number);

describe('live feed /ws', () => {
  let services: TestServices;
  let h: ApiHarness;
  let alerting: MqttClient; // stands in for apps/alerting: commits in PostgreSQL, publishes on internal/events
  let reg0506: string;
  let entA: string;
  let a: AlarmSubject;
  let c: AlarmSubject;
  const sockets: FeedClient[] = [];

  const subject = (n: number, region: string, code: string) => seedSubject(h, { n, uscc: testUscc(n), regionCode: region, gatewayCode: code });

  async function open(token?: string): Promise<FeedClient> {
    const client = await FeedClient.open(token ? `${h.wsUrl}?token=${token}` : h.wsUrl);
    sockets.push(client);
    if (token) await client.waitFor((f) => f['type'] === 'ready');
    return client;
  }

  beforeAll(async () => {
    services = await TestServices.start('api_live', { mosquitto: true, influx: true });
    h = await startApiHarness(services, { LIVE_AUTH_TIMEOUT_MS: '500', LIVE_PING_INTERVAL_MS: '300', LIVE_HEAD_POLL_MS: '60000' });
    a = await subject(1, '320505', 'GW-A');
    c = await subject(2, '320506', 'GW-C');
    reg0506 = await userToken(h, { username: 'reg0506', role: 'regulator', regionCode: '320506' });
    entA = await userToken(h, { username: 'ent-a', role: 'enterprise', enterpriseId: a.enterpriseId });
    alerting = await connectMqtt(services.mosquitto.url, { clientId: 'fake-alerting' });
  });

  afterAll(async () => {
    for (const s of sockets) s.close();
    await alerting?.endAsync(true);
    await services?.stop();
  });

  it('closes with 4401: no token in time, a bad token, a first frame other than auth', async () => {
    const silent = await open();
    expect(await silent.waitClosed()).toBe(4401);
    const bad = await FeedClient.open(`${h.wsUrl}?token=not-a-jwt`);
    expect(await bad.waitClosed()).toBe(4401);
    const rude = await open();
    rude.send({ type: 'ping' });
    expect(await rude.waitClosed()).toBe(4401);
  });

  it('authenticates by ?token= or a first auth frame → ready {user, head}; closes 4401 when the token expires', async () => {
    const byFrame = await open();
    byFrame.send({ type: 'auth', token: h.adminToken });
    const [ready] = await byFrame.waitFor((f) => f['type'] === 'ready');
    expect(ready).toEqual({ type: 'ready', user: { id: expect.any(String), username: 'admin', role: 'admin' }, head: expect.any(Number) });
    // the admin's own claims at the current token version, so only the expiry closes it
    const user = ready?.['user'] as { id: string };
    const shortLived = new JwtService().sign({ sub: user.id, ver: 1, username: 'admin', role: 'admin', regionCode: null, enterpriseId: null }, { secret: JWT_SECRET, expiresIn: 1 });
    const expiring = await open(shortLived);
    expect(await expiring.waitClosed(5_000)).toBe(4401);
  });

  it('answers ping with pong and bad frames with error frames, keeping the socket open', async () => {
    const s = await open(h.adminToken);
    s.send({ type: 'ping' });
    s.send('{not json');
    s.send({ type: 'dance' });
    s.send({ type: 'subscribe', channels: 'alarms' });
    s.send({ type: 'subscribe', channels: ['weather'] });
    s.send({ type: 'subscribe', channels: ['readings'], points: ['00000000-0000-4000-8000-000000000000'] });
    const errors = await s.waitFor((f) => f['type'] === 'error', 5);
    expect(s.ofType('pong')).toHaveLength(1);
    expect(errors.map((e) => e['code'])).toEqual(['bad_frame', 'bad_frame', 'bad_frame', 'unknown_channel', 'forbidden']);
    s.send({ type: 'ping' });
    await s.waitFor((f) => f['type'] === 'pong', 2);
    expect(s.closeCode).toBeNull();
    const big = await open(h.adminToken);
    big.send({ type: 'auth', token: 'x'.repeat(70 * 1024) }); // over the 64 KiB frame limit
    expect(await big.waitClosed()).toBe(1009);
  });

  it('drops a socket that stops answering protocol pings', async () => {
    const dead = new WebSocket(`${h.wsUrl}?token=${h.adminToken}`, { autoPong: false });
    const code = await new Promise<number>((resolve) => dead.on('close', (c: number) => resolve(c)));
    expect(code).toBe(1006); // terminated, no close frame
  });

  it('a socket that disconnects, misses 50 events and reconnects with since gets exactly those 50 in order, then live ones', async () => {
    const alarm = await raiseAlarm(h.store, a, { ruleId: 'live-rule' });
    const first = await open(h.adminToken);
    first.send({ type: 'subscribe', channels: ['alarms'] });
    const [live] = await first.waitFor((f) => f['type'] === 'live');
    await api(h).post(`/alarms/${alarm.id}/comments`, { text: 'before the break' });
    // the `raised` was committed without an announcement (as by an app whose publish got lost): the
    // comment's seq shows the hole, which the feed fills from PostgreSQL first
    const [raised, seen] = await first.waitFor(isAlarm, 2);
    expect(raised).toMatchObject({ event: 'raised', actor: null, seq: (live?.['head'] as number) + 1, alarm: { id: alarm.id } });
    expect(seen).toMatchObject({ type: 'alarm', event: 'commented', actor: { username: 'admin' }, data: { text: 'before the break' }, alarm: { id: alarm.id } });
    expect(seen?.['seq']).toBe((live?.['head'] as number) + 2);
    first.close();
    await first.waitClosed();

    for (let i = 0; i < 50; i++) await api(h).post(`/alarms/${alarm.id}/comments`, { text: `missed ${i}` });
    const again = await open(h.adminToken);
    again.send({ type: 'subscribe', channels: ['alarms'], since: seen?.['seq'] });
    const [liveAgain] = await again.waitFor((f) => f['type'] === 'live');
    const replayed = again.frames.slice(0, again.frames.indexOf(liveAgain as Record<string, unknown>)).filter(isAlarm);
    const from = (seen?.['seq'] as number) + 1;
    expect(replayed.map((f) => f['seq'])).toEqual(Array.from({ length: 50 }, (_, i) => from + i));
    expect(replayed.map((f) => (f['data'] as { text: string }).text)).toEqual(Array.from({ length: 50 }, (_, i) => `missed ${i}`));
    expect(liveAgain?.['head']).toBe(from + 49);

    for (let i = 0; i < 3; i++) await api(h).post(`/alarms/${alarm.id}/comments`, { text: `live ${i}` });
    await again.waitFor(isAlarm, 53);
    expect(seqsOf(again.frames)).toEqual(Array.from({ length: 53 }, (_, i) => from + i)); // no gap, no duplicate at the seam
  });

  it('no gap and no duplicate at the seam while events keep committing during the replay (admin and a scoped client)', async () => {
    const alarmA = await raiseAlarm(h.store, a, { ruleId: 'seam-a' });
    const alarmC = await raiseAlarm(h.store, c, { ruleId: 'seam-c' });
    const since = alarmA.seq - 1;
    let written = 0;
    const writer = (async () => {
      for (let i = 0; i < 40; i++) {
        await api(h).post(`/alarms/${i % 2 ? alarmC.id : alarmA.id}/comments`, { text: `load ${i}` });
        written++;
      }
    })();
    // subscribe once events are committing (and before the writer is done): the replay races the live ones
    await waitFor(() => written >= 1, { what: 'the first comment to commit', timeoutMs: 5_000, intervalMs: 1 });
    const admin = await open(h.adminToken);
    const scoped = await open(entA);
    admin.send({ type: 'subscribe', channels: ['alarms'], since });
    scoped.send({ type: 'subscribe', channels: ['alarms'], since });
    await writer;
    const head = Number(((await h.ds.query(`SELECT last FROM event_sequence`)) as [{ last: string }])[0].last);
    const mine: { seq: string }[] = await h.ds.query(`SELECT seq FROM alarm_events WHERE seq > $1 AND enterprise_id = $2 ORDER BY seq`, [since, a.enterpriseId]);
    await admin.waitFor(isAlarm, head - since);
    await scoped.waitFor(isAlarm, mine.length);
    await holdFor(200, 'quiet window: a duplicate frame from the seam would arrive meanwhile');
    expect(seqsOf(admin.frames)).toEqual(Array.from({ length: head - since }, (_, i) => since + 1 + i));
    expect(seqsOf(scoped.frames)).toEqual(mine.map((r) => Number(r.seq)));
    expect(admin.ofType('live')).toHaveLength(1);
  });

  it('fills a hole on internal/events from PostgreSQL, whichever app committed the events, and keeps each scope to itself', async () => {
    const admin = await open(h.adminToken);
    admin.send({ type: 'subscribe', channels: ['alarms'] });
    const scoped = await open(reg0506);
    scoped.send({ type: 'subscribe', channels: ['alarms'] });
    await admin.waitFor((f) => f['type'] === 'live');
    await scoped.waitFor((f) => f['type'] === 'live');
    // "alerting" commits three events (A, C, A) but only the last one reaches the broker
    const committed: CommittedEvent[] = [];
    for (const s of [a, c, a]) {
      const alarm = await raiseAlarm(h.store, s, { ruleId: `hole-${committed.length}` });
      committed.push((await h.store.eventsBetween(alarm.seq - 1, alarm.seq, null))[0] as CommittedEvent);
    }
    await alerting.publishAsync('internal/events', JSON.stringify(committed[2]), { qos: 1 });
    const got = await admin.waitFor(isAlarm, 3);
    expect(got.map((f) => f['seq'])).toEqual(committed.map((e) => e.seq));
    await alerting.publishAsync('internal/events', JSON.stringify(committed[0]), { qos: 1 }); // a late duplicate
    const seen = await scoped.waitFor(isAlarm, 1);
    expect(seen.map((f) => f['seq'])).toEqual([committed[1]?.seq]); // the regulator of 320506 sees only C's
    await holdFor(300, 'quiet window: the late duplicate would be forwarded meanwhile');
    expect(seqsOf(admin.frames)).toEqual(committed.map((e) => e.seq));
    expect(seqsOf(scoped.frames)).toEqual([committed[1]?.seq]);
  });

  it('readings channel: live values of followed points, forbidden outside the scope, unsubscribe stops them', async () => {
    const s = await open(entA);
    s.send({ type: 'subscribe', channels: ['readings'], points: [a.pointId, c.pointId] });
    const [refused] = await s.waitFor((f) => f['type'] === 'error');
    expect(refused).toMatchObject({ code: 'forbidden', message: expect.stringContaining(c.pointId) });
    const batch = (pointId: string, value: number) =>
      Buffer.from(encodeReadingBatch([{ pointId, ts: Date.parse('2026-11-28T10:00:00Z'), value, quality: 'good', receivedAt: Date.now() }]));
    // the api subscribes to internal/readings/+ on the first follower (no SUBACK is exposed): publish
    // until a reading comes through — the readiness signal is the first reading itself
    await waitFor(async () => {
      await alerting.publishAsync('internal/readings/3', batch(a.pointId, 18.2));
      await alerting.publishAsync('internal/readings/5', batch(c.pointId, 99));
      return s.ofType('reading').length > 0;
    }, { what: 'the first followed reading', timeoutMs: 5_000, intervalMs: 20 });
    const [reading] = s.ofType('reading');
    expect(reading).toEqual({ type: 'reading', pointId: a.pointId, ts: '2026-11-28T10:00:00.000Z', value: 18.2, quality: 'good' });
    s.send({ type: 'unsubscribe', channels: ['readings'], points: [a.pointId] });
    s.send({ type: 'ping' });
    await s.waitFor((f) => f['type'] === 'pong');
    await alerting.publishAsync('internal/readings/3', batch(a.pointId, 19));
    await holdFor(300, 'quiet window: a reading after the unsubscribe would arrive meanwhile');
    // only the followed point's value before the unsubscribe (repeated while waiting for the subscription), never C's, never 19
    expect(s.ofType('reading').map((f) => `${f['pointId']} ${f['value']}`).filter((v) => v !== `${a.pointId} 18.2`)).toEqual([]);
  });
});
