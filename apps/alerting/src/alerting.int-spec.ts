/**
 * Alerting in-process against real parts: PostgreSQL (own database, migrations), Debian's
 * Mosquitto as the broker (anonymous, own port), readings published on internal/readings/{p} the
 * way ingest publishes them, and operator events committed through AlarmStore and announced on
 * internal/events the way api does. Time scale 300: a 15-minute escalation or lift takes 3 s.
 */
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { AlarmStore, type CommittedEvent } from '@sw/persistence';
import { ack, close, dispose, type AlarmResult, type AlarmSnapshot } from '@sw/rules';
import { holdFor, TestServices, testUscc, waitFor } from '@sw/testing';
import type { DataSource } from 'typeorm';
import { EvaluationService } from './pipeline/evaluation.service';
import { PartitionHandoverService } from './pipeline/partition-handover.service';
import { PartitionOwnershipService } from './pipeline/partition-ownership.service';
import { PointRegistryService } from './points/point-registry.service';
import { connectInternalBus, openDataSource, startAlertingHarness } from './testing/alerting-harness.factory';
import { type InternalBus, seedGateway, seedPoint, type SeededGateway } from './testing/internal-bus.factory';

const SCALE = 300;
const OPERATOR = { id: '00000000-0000-4000-8000-00000000aaaa', username: 'duty', role: 'regulator' };

describe('alerting with PostgreSQL and Mosquitto', () => {
  let services: TestServices;
  let ds: DataSource;
  let store: AlarmStore;
  let app: INestApplication;
  let bus: InternalBus;
  let gw: SeededGateway;

  const event = async (pointId: string, name: CommittedEvent['event'], after = 0, timeoutMs = 10_000): Promise<CommittedEvent> => {
    let found: CommittedEvent | undefined;
    await waitFor(() => Boolean((found = bus.of(pointId, name).find((e) => e.seq > after))), { what: `a ${name} event for ${pointId}`, timeoutMs, intervalMs: 20 });
    return found as CommittedEvent;
  };
  /** As api does: commit an operator action, then announce it. */
  const operator = async (alarm: AlarmSnapshot, fn: (a: AlarmSnapshot) => AlarmResult): Promise<CommittedEvent[]> => {
    const outcome = await store.transition({ id: alarm.id }, '320505', (current) => fn(current as AlarmSnapshot));
    if (!outcome.ok) throw new Error(`${outcome.code}: ${outcome.reason}`);
    await bus.announce(outcome.events);
    return outcome.events;
  };
  const point = async (code: string, type: string, extra: Record<string, unknown> = {}): Promise<string> => {
    const id = await seedPoint(ds, gw, { code, type, ...extra });
    await waitFor(() => Boolean(app.get(EvaluationService).slot(id)), { what: `alerting to evaluate ${code} (NOTIFY)`, timeoutMs: 5_000, intervalMs: 20 });
    return id;
  };

  beforeAll(async () => {
    services = await TestServices.start('alerting', { mosquitto: true });
    ds = await openDataSource(services, 10);
    store = new AlarmStore(ds);
    gw = await seedGateway(ds, testUscc(701), 'ALERT-GW');
    app = await startAlertingHarness(services, { ALERTING_MQTT_CLIENT_ID: 'alerting-int-spec', ALERTING_TIME_SCALE: String(SCALE), ALERTING_STATE_FLUSH_MS: '100' });
    bus = await connectInternalBus(services);
  });

  afterAll(() => services?.stop());

  it('raises, changes tier and clears a CO alarm, committed and published; after close the next start is a new alarm', async () => {
    // docs/domain.md: co ≥ 24 ppm yellow, ≥ 48 ppm orange (GB/T 50493 二级 ≤ 200 % OEL); docs/contracts.md §3 rows raised / tier_changed / cleared
    const co = await point('CO-01', 'co');
    await bus.readings(gw, { pointId: co, value: 30 });
    const raised = await event(co, 'raised');
    expect(raised.alarm).toMatchObject({ tier: 'yellow', condition: 'active', acknowledged: false, stage: 'open', kind: 'threshold', value: 30, unit: 'ppm' });
    expect(raised.alarm.message).toContain('黄色（三级）报警');
    expect(raised.regionCode).toBe('320505');
    expect(await store.events(raised.alarm.id)).toEqual([expect.objectContaining({ seq: raised.seq, event: 'raised' })]); // committed before announced

    await bus.readings(gw, { pointId: co, value: 100 });
    const rose = await event(co, 'tier_changed', raised.seq);
    expect(rose).toMatchObject({ data: { from: 'yellow', to: 'orange' }, alarm: { id: raised.alarm.id, tier: 'orange', peakTier: 'orange' } });

    await bus.readings(gw, { pointId: co, value: 5 });
    const cleared = await event(co, 'cleared', rose.seq);
    expect(cleared.alarm).toMatchObject({ id: raised.alarm.id, condition: 'cleared' });

    await operator(cleared.alarm, (a) => dispose(a, { at: Date.now(), actor: OPERATOR, cause: 'equipment_fault', measures: '更换法兰垫片' }));
    await operator(cleared.alarm, (a) => close(a, { at: Date.now(), actor: OPERATOR }));
    await bus.readings(gw, { pointId: co, value: 30 });
    const again = await event(co, 'raised', cleared.seq);
    expect(again.alarm.id).not.toBe(raised.alarm.id);
    expect(bus.of(co).map((e) => e.event)).toEqual(['raised', 'tier_changed', 'cleared', 'acknowledged', 'disposed', 'closed', 'raised']);
  });

  it('raises an orange offline alarm for a silent mandatory point after 3 intervals with no message, and clears it when data returns', async () => {
    // docs/domain.md: offline after 3 × expectedIntervalS; orange when mandatory (判定标准 第十四条)
    const off = await point('OFF-01', 'water_flow', { mandatory: true, expectedIntervalS: 1 });
    let last = 0;
    for (let i = 0; i < 4; i++) {
      await bus.readings(gw, { pointId: off, value: 100 });
      last = Date.now();
      await holdFor(300, 'the gateway reports every 300 ms, then falls silent');
    }
    const offline = await event(off, 'raised', 0, 8_000);
    expect(offline.alarm).toMatchObject({ kind: 'offline', tier: 'orange', value: null });
    const late = Date.parse(offline.alarm.raisedAt) - last;
    expect(late).toBeGreaterThanOrEqual(2_900);
    expect(late).toBeLessThan(4_500);
    await bus.readings(gw, { pointId: off, value: 100 });
    expect((await event(off, 'cleared', offline.seq)).alarm.kind).toBe('offline');
  });

  it('raises one alarm, not a storm, for a value chattering at the setpoint (deadband) or across it (off-delay)', async () => {
    // docs/domain.md: deadband (2 % of the setpoint) and optional off-delays apply to every threshold
    const atSetpoint = await point('CO-02', 'co');
    const t = Date.now();
    const around = Array.from({ length: 40 }, (_, i) => ({ pointId: atSetpoint, value: i % 2 ? 23.7 : 24.3, ts: t + i }));
    await bus.readings(gw, ...around);
    const across = await point('CO-03', 'co', { thresholds: { offDelayS: 600 } }); // 600 s / 300 = 2 s
    for (let i = 0; i < 10; i++) {
      await bus.readings(gw, { pointId: across, value: i % 2 ? 10 : 30 });
      await holdFor(100, 'the value chatters across the setpoint, one reading every 100 ms');
    }
    await event(across, 'raised');
    const cleared = await event(across, 'cleared', 0, 6_000); // 2 s after the last low reading, no data needed
    expect(bus.of(atSetpoint).map((e) => e.event)).toEqual(['raised']);
    expect(bus.of(across).map((e) => e.event)).toEqual(['raised', 'cleared']);
    expect(Date.parse(cleared.at) - Date.parse(bus.of(across)[0]!.at)).toBeGreaterThanOrEqual(2_000);
  });

  it('does not move state with a reading older than the newest evaluated', async () => {
    // docs/contracts.md §1: older data is stored but does not move live alarm state
    const co = await point('CO-04', 'co');
    const t = Date.now();
    await bus.readings(gw, { pointId: co, value: 30, ts: t });
    const raised = await event(co, 'raised');
    await bus.readings(gw, { pointId: co, value: 5, ts: t - 5_000 });
    // the signal: a newer reading, evaluated after the old one, rises to orange — a tier change of the
    // same alarm only if the old reading left it active (had it cleared it, this would reactivate it)
    await bus.readings(gw, { pointId: co, value: 100, ts: t + 1_000 });
    await event(co, 'tier_changed', raised.seq);
    expect(bus.of(co).map((e) => e.event)).toEqual(['raised', 'tier_changed']);
    await bus.readings(gw, { pointId: co, value: 5, ts: t + 2_000 });
    await event(co, 'cleared', raised.seq);
  });

  it('escalates an unacknowledged orange alarm and not an acknowledged one (operator events stop the timer)', async () => {
    // docs/domain.md: orange not acknowledged after 15 min → escalate (here 3 s); docs/contracts.md §3: tier unchanged
    const [left, acked] = [await point('H2S-01', 'h2s'), await point('H2S-02', 'h2s')];
    await bus.readings(gw, { pointId: left, value: 25 }, { pointId: acked, value: 25 });
    const raisedAcked = await event(acked, 'raised');
    await operator(raisedAcked.alarm, (a) => ack(a, { at: Date.now(), actor: OPERATOR }));
    const escalated = await event(left, 'escalated', 0, 8_000);
    expect(escalated.alarm).toMatchObject({ tier: 'orange', escalationLevel: 1 });
    expect(Date.parse(escalated.at) - Date.parse(escalated.alarm.escalationStartedAt)).toBeGreaterThanOrEqual(3_000);
    // both were raised together: the acknowledged one was due at the same moment
    await holdFor(500, 'quiet window: an escalation of the acknowledged alarm would arrive meanwhile');
    expect(bus.of(acked).map((e) => e.event)).toEqual(['raised', 'acknowledged']);
  });

  it('applies a stored rule added while running (NOTIFY), with its sustained lift firing with no data', async () => {
    const co = await point('CO-05', 'co');
    const [row] = (await ds.query(
      `INSERT INTO rules (name, scope_type, point_id, definition) VALUES ('CO 50 持续', 'point', $1, $2) RETURNING id`,
      [co, JSON.stringify({ kind: 'threshold', thresholds: { high: { yellow: 50 } }, sustained: [{ fromTier: 'yellow', toTier: 'orange', forS: 600 }] })],
    )) as [{ id: string }];
    await waitFor(() => app.get(EvaluationService).slot(co)?.rules.some((r) => r.id === row.id) ?? false, { what: 'the stored rule to apply', timeoutMs: 5_000 });
    await bus.readings(gw, { pointId: co, value: 60 });
    const raised = (await waitFor(() => bus.of(co, 'raised').length === 2, { what: 'two raised (catalog and stored rule)' }), bus.of(co, 'raised'));
    const stored = raised.find((e) => e.alarm.ruleId === row.id) as CommittedEvent;
    const lifted = await event(co, 'tier_changed', stored.seq, 8_000);
    expect(lifted.alarm).toMatchObject({ ruleId: row.id, tier: 'orange' });
    expect(Date.parse(lifted.at) - Date.parse(stored.at)).toBe(2_000); // dated at the due time: 600 s / 300
  });

  it('starts alarms suppressed during point maintenance and unsuppresses them when it ends, with no data', async () => {
    // docs/contracts.md §3: alarms raised during maintenance start suppressed; maintenance ends → unsuppressed
    const co = await point('CO-06', 'co');
    await ds.query(`UPDATE points SET maintenance_until = now() + interval '2 seconds', maintenance_reason = '标定' WHERE id = $1`, [co]);
    await waitFor(() => app.get(PointRegistryService).get(co)?.maintenanceUntil != null, { what: 'the maintenance window (NOTIFY)' });
    await bus.readings(gw, { pointId: co, value: 30 });
    const raised = await event(co, 'raised');
    expect(raised.alarm.suppressed).toBe(true);
    const unsuppressed = await event(co, 'unsuppressed', raised.seq, 6_000);
    expect(unsuppressed).toMatchObject({ actor: null, alarm: { suppressed: false } });
  });

  it('an approved 检修 window on a mandatory point ends on time: suppressed until its end, unsuppressed at it with no data', async () => {
    // issue 14: an approval writes maintenance_until = approval + minutes (apps/api maintenance.service); a 2 s window here
    const co = await point('CO-06B', 'co', { mandatory: true });
    await bus.readings(gw, { pointId: co, value: 30 });
    const raised = await event(co, 'raised');
    expect(raised.alarm.suppressed).toBe(false);
    const [[{ until }]] = (await ds.query(`UPDATE points SET maintenance_until = now() + interval '2 seconds', maintenance_reason = '检修（已批准）' WHERE id = $1 RETURNING maintenance_until AS until`, [co])) as [[{ until: Date }], number];
    const suppressed = await event(co, 'suppressed', raised.seq);
    expect(Date.parse(suppressed.at)).toBeLessThan(until.getTime());
    const unsuppressed = await event(co, 'unsuppressed', suppressed.seq, 8_000);
    expect(unsuppressed).toMatchObject({ actor: null, alarm: { suppressed: false } });
    expect(Date.parse(unsuppressed.at)).toBeGreaterThanOrEqual(until.getTime()); // not before the approved end
  });

  it('hands a partition set over and takes it back from PostgreSQL without a duplicate alarm', async () => {
    const handover = app.get(PartitionHandoverService);
    const co = await point('CO-07', 'co');
    await bus.readings(gw, { pointId: co, value: 30 });
    const raised = await event(co, 'raised');
    const all = app.get(PartitionOwnershipService).all();
    await handover.release(all);
    expect(app.get(EvaluationService).size).toBe(0);
    await handover.acquire(all);
    await bus.readings(gw, { pointId: co, value: 100 });
    const rose = await event(co, 'tier_changed', raised.seq);
    expect(rose.alarm.id).toBe(raised.alarm.id);
    expect(bus.of(co, 'raised')).toHaveLength(1);
    const [{ n }] = (await ds.query(`SELECT count(*)::int AS n FROM alarms WHERE point_id = $1`, [co])) as [{ n: number }];
    expect(n).toBe(1);
  });

  it('numbers every published event once, within the store\'s head, each alarm\'s events in order', async () => {
    // docs/architecture.md: gap-free seq from one counter; docs/contracts.md §5: the feed orders by seq
    const seqs = bus.events.map((e) => e.seq);
    expect(bus.rejected).toEqual([]); // every published event passes the one schema (docs/contracts.md §3)
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(Math.max(...seqs)).toBeLessThanOrEqual(await store.head());
    const byAlarm = new Map<string, number[]>();
    for (const e of bus.events) byAlarm.set(e.alarm.id, [...(byAlarm.get(e.alarm.id) ?? []), e.seq]);
    for (const list of byAlarm.values()) expect(list).toEqual([...list].sort((a, b) => a - b));
  });
});
