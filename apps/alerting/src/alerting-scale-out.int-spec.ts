/**
 * Two alerting instances (the BUILT app as child processes) sharing the reading partitions through
 * PostgreSQL advisory-lock leases, on Mosquitto with one persistent session per partition
 * (docs/architecture.md, scale-out). Real PostgreSQL, real Mosquitto (own port), no mocks.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CommittedEvent } from '@sw/persistence';
import { partitionOf } from '@sw/sensors';
import { AppProcess, freePort, holdFor, randomSecret, TestServices, testUscc, waitFor } from '@sw/testing';
import type { DataSource } from 'typeorm';
import { connectInternalBus, openDataSource } from './testing/alerting-harness.factory';
import { type InternalBus, seedGateway, seedPoint, type SeededGateway } from './testing/internal-bus.factory';

const BUILT = join(__dirname, '../../../dist/apps/alerting/src/main.js');
const PARTITIONS = 16;
const POINTS = 48;

interface Health {
  partitions: { owned: number[]; instances: number };
  points: number;
}

describe('two alerting instances sharing the partitions', () => {
  let services: TestServices;
  let ds: DataSource;
  let bus: InternalBus;
  let gw: SeededGateway;
  const points: string[] = [];
  const apps: AppProcess[] = [];
  const ports = new Map<AppProcess, number>();

  const health = async (app: AppProcess): Promise<Health> => (await (await fetch(`http://127.0.0.1:${ports.get(app)}/health`)).json()) as Health;
  const raisedCount = async (app: AppProcess): Promise<number> => {
    const text = await (await fetch(`http://127.0.0.1:${ports.get(app)}/metrics`)).text();
    return Number(/^alerting_transitions_total\{event="raised"\} (\d+)/m.exec(text)?.[1] ?? 0);
  };
  const alerting = async (name: string): Promise<AppProcess> => {
    const port = await freePort();
    const env = {
      DATABASE_URL: services.db.url,
      BROKER_URL: services.mosquitto.url,
      SERVICE_MQTT_PASSWORD: randomSecret(),
      ALERTING_MQTT_CLIENT_ID: `alerting-scale-${name}`,
      ALERTING_LEASE_INTERVAL_MS: '300',
      ALERTING_HTTP_PORT: String(port),
    };
    const app = new AppProcess('alerting', env, `http://127.0.0.1:${port}/health`);
    apps.push(app);
    ports.set(app, port);
    await app.start();
    return app;
  };
  const all = (name: CommittedEvent['event']) => bus.events.filter((e) => e.event === name);

  beforeAll(async () => {
    if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run \`npx nx run alerting:build\` first`);
    services = await TestServices.start('alerting_scale_out', { mosquitto: true });
    ds = await openDataSource(services);
    gw = await seedGateway(ds, testUscc(703), 'SCALE-GW');
    for (let i = 0; i < POINTS; i++) points.push(await seedPoint(ds, gw, { code: `CO-${String(i).padStart(2, '0')}`, type: 'co' }));
    bus = await connectInternalBus(services);
  });

  afterAll(async () => {
    for (const app of apps) await app.kill();
    await services?.stop();
  });

  it('splits the partitions, raises every alarm once from the owner of its point, and a survivor takes over a killed instance within seconds without a duplicate or lost transition', async () => {
    const a = await alerting('a');
    expect((await health(a)).partitions.owned).toHaveLength(PARTITIONS);
    const b = await alerting('b');
    // the second instance joins: the first hands over half, the second takes it
    await waitFor(async () => (await health(a)).partitions.owned.length === PARTITIONS / 2 && (await health(b)).partitions.owned.length === PARTITIONS / 2, {
      what: 'an even split of the partitions',
      timeoutMs: 10_000,
      intervalMs: 100,
    });
    const ownedByA = new Set((await health(a)).partitions.owned);
    const ownedByB = new Set((await health(b)).partitions.owned);
    expect([...ownedByA].filter((p) => ownedByB.has(p))).toEqual([]);
    const ofA = points.filter((p) => ownedByA.has(partitionOf(p, PARTITIONS)));
    expect(ofA.length).toBeGreaterThan(0);
    expect(ofA.length).toBeLessThan(POINTS);
    expect((await health(a)).points + (await health(b)).points).toBe(POINTS);

    await bus.readings(gw, ...points.map((pointId) => ({ pointId, value: 200 })));
    await waitFor(() => all('raised').length >= POINTS, { what: `${POINTS} raised events`, timeoutMs: 15_000, intervalMs: 50 });
    // each alarm was committed by the instance that owns its point's partition
    expect(await raisedCount(a)).toBe(ofA.length);
    expect(await raisedCount(b)).toBe(POINTS - ofA.length);

    const killedAt = Date.now();
    await a.kill(); // SIGKILL: its lease session ends with the process
    await bus.readings(gw, ...points.map((pointId) => ({ pointId, value: 5 }))); // a's share waits in its partitions' sessions
    await waitFor(async () => (await health(b)).partitions.owned.length === PARTITIONS, { what: 'the survivor to hold every partition', timeoutMs: 10_000, intervalMs: 50 });
    const takeoverMs = Date.now() - killedAt;
    expect(takeoverMs).toBeLessThan(5_000);
    await waitFor(() => all('cleared').length >= POINTS, { what: `${POINTS} cleared events`, timeoutMs: 15_000, intervalMs: 50 });
    await holdFor(1_000, 'quiet window: a transition committed twice (by the killed and the surviving instance) would arrive meanwhile');

    for (const point of points) {
      expect(bus.of(point, 'raised')).toHaveLength(1);
      expect(bus.of(point, 'cleared')).toHaveLength(1);
      expect(bus.of(point, 'cleared')[0]?.alarm.id).toBe(bus.of(point, 'raised')[0]?.alarm.id);
    }
    const seqs = bus.events.map((e) => e.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    const rows = (await ds.query(`SELECT point_id, count(*)::int AS n FROM alarms WHERE point_id = ANY($1::uuid[]) GROUP BY point_id`, [points])) as { n: number }[];
    expect(rows).toHaveLength(POINTS);
    expect(rows.every((r) => r.n === 1)).toBe(true);
    const [{ n: events }] = (await ds.query(`SELECT count(*)::int AS n FROM alarm_events e JOIN alarms a ON a.id = e.alarm_id WHERE a.point_id = ANY($1::uuid[])`, [points])) as [{ n: number }];
    expect(events).toBe(POINTS * 2);
  });

  it('drops every partition when its lease session is cut (fenced meanwhile), takes them back, and still commits each transition once', async () => {
    const b = apps[1] as AppProcess;
    const before = bus.events.length;
    const [cut] = (await ds.query(`SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = 'alerting lease alerting-scale-b'`)) as { ok: boolean }[];
    expect(cut?.ok).toBe(true);
    await waitFor(() => /every partition lease is lost/.test(b.logs()), { what: 'the lost lease to be noticed', timeoutMs: 5_000, intervalMs: 50 });
    await waitFor(async () => (await health(b)).partitions.owned.length === PARTITIONS, { what: 'the partitions to be retaken', timeoutMs: 10_000, intervalMs: 50 });
    // the condition returns on every (cleared, not closed) alarm: one reactivation each, from whoever holds the partition now
    await bus.readings(gw, ...points.map((pointId) => ({ pointId, value: 200 })));
    await waitFor(() => all('reactivated').length >= POINTS, { what: `${POINTS} reactivated events`, timeoutMs: 15_000, intervalMs: 50 });
    await holdFor(1_000, 'quiet window: a reactivation committed twice across the fence would arrive meanwhile');
    expect(bus.events.length - before).toBe(POINTS);
    for (const point of points) expect(bus.of(point, 'reactivated')).toHaveLength(1);
  });

  it('hands half the partitions to a joining instance while readings stream, and every flip of every point is committed once, in order', async () => {
    const b = apps[1] as AppProcess;
    let round = 0;
    let streaming = true;
    const stream = (async () => {
      while (streaming) {
        const value = round++ % 2 === 0 ? 5 : 200; // the alarms are active now: clear first
        await bus.readings(gw, ...points.map((pointId) => ({ pointId, value })));
        await holdFor(150, 'the plant flips every point every 150 ms while the partitions move');
      }
    })();
    const c = await alerting('c'); // joins mid-stream: b hands 8 partitions over
    await waitFor(async () => (await health(b)).partitions.owned.length === PARTITIONS / 2 && (await health(c)).partitions.owned.length === PARTITIONS / 2, {
      what: 'the hand-over to the joining instance',
      timeoutMs: 15_000,
      intervalMs: 100,
    });
    await holdFor(1_000, 'keep streaming after the hand-over: flips across the seam are the point of the test');
    streaming = false;
    await stream;
    await bus.readings(gw, ...points.map((pointId) => ({ pointId, value: 5 })));
    await waitFor(async () => {
      const [{ n }] = (await ds.query(`SELECT count(*)::int AS n FROM alarms WHERE point_id = ANY($1::uuid[]) AND condition = 'cleared'`, [points])) as [{ n: number }];
      return n === POINTS;
    }, { what: 'every alarm to end cleared', timeoutMs: 20_000, intervalMs: 100 });
    await holdFor(1_000, 'quiet window: a flip committed twice or out of order would arrive meanwhile');
    const rows = (await ds.query(
      `SELECT a.point_id, array_agg(e.event ORDER BY e.seq) AS events FROM alarm_events e JOIN alarms a ON a.id = e.alarm_id
        WHERE a.point_id = ANY($1::uuid[]) GROUP BY a.point_id`,
      [points],
    )) as { point_id: string; events: string[] }[];
    expect(rows).toHaveLength(POINTS);
    // every flip was evaluated once, in order, across the hand-over: 3 events before this test, one per
    // round, and the final clear when the last round left the alarms active
    const expected = 3 + round + (round % 2 === 0 ? 1 : 0);
    for (const { events } of rows) {
      expect(events).toHaveLength(expected);
      // one alarm per point: raised, then strictly alternating cleared / reactivated, ending cleared
      expect(events[0]).toBe('raised');
      events.forEach((e, i) => expect(e).toBe(i === 0 ? 'raised' : i % 2 === 1 ? 'cleared' : 'reactivated'));
      expect(events.at(-1)).toBe('cleared');
    }
  });
});
