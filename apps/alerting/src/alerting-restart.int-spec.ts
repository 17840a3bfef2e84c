/**
 * Restart safety with the BUILT app (`npx nx run alerting:build` first; scripts/test.sh builds
 * before the integration run) as a child process, killed with SIGKILL: no shutdown hook runs.
 * Real PostgreSQL and Debian's Mosquitto (anonymous, own port) as the broker. Time scale 60: the
 * CO rule's 15-minute sustained lift (orange → red) is due 15 s after the raise.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AlarmStore, type CommittedEvent } from '@sw/persistence';
import { AppProcess, freePort, randomSecret, TestServices, testUscc, waitFor } from '@sw/testing';
import type { DataSource } from 'typeorm';
import { connectInternalBus, openDataSource } from './testing/alerting-harness.factory';
import { type InternalBus, seedGateway, seedPoint, type SeededGateway } from './testing/internal-bus.factory';

const BUILT = join(__dirname, '../../../dist/apps/alerting/src/main.js');
const LIFT_MS = (15 * 60 * 1000) / 60;

describe('alerting after SIGKILL and restart', () => {
  let services: TestServices;
  let ds: DataSource;
  let bus: InternalBus;
  let gw: SeededGateway;
  const apps: AppProcess[] = [];

  const event = async (pointId: string, name: CommittedEvent['event'], after = 0, timeoutMs = 10_000): Promise<CommittedEvent> => {
    let found: CommittedEvent | undefined;
    await waitFor(() => Boolean((found = bus.of(pointId, name).find((e) => e.seq > after))), { what: `a ${name} event for ${pointId}`, timeoutMs, intervalMs: 20 });
    return found as CommittedEvent;
  };
  const alerting = async (env: Record<string, string>, port: number): Promise<AppProcess> => {
    const app = new AppProcess('alerting', { ...env, ALERTING_HTTP_PORT: String(port) }, `http://127.0.0.1:${port}/health`);
    apps.push(app);
    await app.start();
    return app;
  };

  beforeAll(async () => {
    if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run \`npx nx run alerting:build\` first`);
    services = await TestServices.start('alerting_restart', { mosquitto: true });
    ds = await openDataSource(services);
    gw = await seedGateway(ds, testUscc(702), 'RESTART-GW');
    bus = await connectInternalBus(services);
  });

  afterAll(async () => {
    for (const app of apps) await app.kill();
    await services?.stop();
  });

  it('keeps the active alarm without a duplicate, fires the pending sustained lift at its original time, and misses no reading', async () => {
    const co = await seedPoint(ds, gw, { code: 'CO-01', type: 'co' });
    const other = await seedPoint(ds, gw, { code: 'CO-02', type: 'co' });
    const env = {
      DATABASE_URL: services.db.url,
      BROKER_URL: services.mosquitto.url,
      SERVICE_MQTT_PASSWORD: randomSecret(),
      ALERTING_MQTT_CLIENT_ID: 'alerting-restart-spec', // the same persistent session after the restart
      ALERTING_TIME_SCALE: '60',
    };
    const first = await alerting(env, await freePort());
    await bus.readings(gw, { pointId: co, value: 100 }, { pointId: other, value: 30 }); // ≥ 48 ppm → orange
    const raised = await event(co, 'raised');
    const raisedOther = await event(other, 'raised');
    expect(raised.alarm.tier).toBe('orange');
    const due = Date.parse(raised.alarm.raisedAt) + LIFT_MS; // docs/domain.md: CO orange held 15 min → red

    // the readiness signal: both active rule states (the pending lift with them) are persisted
    await waitFor(async () => {
      const rows = (await ds.query(`SELECT DISTINCT point_id FROM rule_states WHERE point_id = ANY($1::uuid[]) AND state->>'tier' IS NOT NULL`, [[co, other]])) as unknown[];
      return rows.length === 2;
    }, { what: 'both active rule states to be persisted', timeoutMs: 5_000, intervalMs: 20 });
    await first.kill(); // SIGKILL mid-way: the lift is pending, both alarms active
    await bus.readings(gw, { pointId: other, value: 5 }); // while down: QoS 1, kept in the session

    await alerting(env, await freePort());
    await bus.readings(gw, { pointId: co, value: 110 }); // the condition still holds: no new alarm
    expect((await event(other, 'cleared', raisedOther.seq)).alarm.id).toBe(raisedOther.alarm.id);
    const lifted = await event(co, 'tier_changed', raised.seq, LIFT_MS + 10_000);
    const seenAt = Date.now();
    expect(lifted.alarm).toMatchObject({ id: raised.alarm.id, tier: 'red' });
    expect(Date.parse(lifted.at)).toBe(due); // dated at its original due time, from the persisted state
    expect(seenAt).toBeGreaterThanOrEqual(due - 50);
    expect(seenAt - due).toBeLessThan(3_000); // and committed then, not at the next reading

    expect(bus.of(co, 'raised')).toHaveLength(1);
    const rows = (await ds.query(`SELECT count(*)::int AS n FROM alarms WHERE point_id = ANY($1::uuid[])`, [[co, other]])) as [{ n: number }];
    expect(rows[0].n).toBe(2);
    const events = await new AlarmStore(ds).events(raised.alarm.id);
    expect(events.filter((e) => e.event === 'raised')).toHaveLength(1);
  });
});
