/**
 * AlarmStore under concurrency, against real PostgreSQL (own database, migrations): transitions on
 * many alarms at once still get one gap-free, duplicate-free sequence (docs/architecture.md: one counter
 * row updated inside each event's transaction), and each alarm's events stay in order.
 */
import { applyConditionChange, dispose, type AlarmContext, type AlarmSnapshot } from '@sw/rules';
import { createTestDatabase, testUscc, type TestDatabase } from '@sw/testing';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../data-source.factory';
import { RegistryService } from '../registry/registry.service';
import { AlarmStore, type CommittedEvent } from './alarm-store';

const N = 200;

describe(AlarmStore.name, () => {
  let db: TestDatabase;
  let ds: DataSource;
  let sut: AlarmStore;
  let enterpriseId: string;

  beforeAll(async () => {
    db = await createTestDatabase('alarm_store');
    ds = await createDataSource({ url: db.url, poolSize: 10 }).initialize();
    sut = new AlarmStore(ds);
    enterpriseId = (await new RegistryService(ds).createEnterprise({ name: '并发测试', uscc: testUscc(801), regionCode: '320505', riskCategories: ['steel'] })).id;
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  const ctx = (i: number): AlarmContext => ({
    newAlarmId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    enterpriseId,
    gatewayId: '00000000-0000-4000-8000-0000000000a1',
    pointId: `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`,
    pointCode: `P-${i}`,
    ruleId: `rule-${i}`,
    kind: 'threshold',
    unit: 'ppm',
    enterpriseName: '并发测试',
    pointName: `P-${i}`,
  });
  const seqs = (events: CommittedEvent[]) => events.map((e) => e.seq).sort((a, b) => a - b);

  it('numbers 200 concurrent raises on different alarms 1..200, no gap, no duplicate', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        sut.transition({ ruleId: `rule-${i}`, subject: ctx(i).pointId as string }, '320505', (current) =>
          applyConditionChange(current, { kind: 'start', tier: 'yellow', value: 30, at: Date.now() }, ctx(i)),
        ),
      ),
    );
    const events = outcomes.flatMap((o) => (o.ok ? o.events : []));
    expect(seqs(events)).toEqual(Array.from({ length: N }, (_, i) => i + 1));
    expect(await sut.head()).toBe(N);
  });

  it('keeps multi-event transitions contiguous and each alarm\'s events in order under concurrency', async () => {
    // dispose of an unacknowledged alarm writes `acknowledged` then `disposed` (docs/contracts.md §3)
    const alarms = await sut.notClosed();
    const outcomes = await Promise.all(
      alarms.map((a) =>
        sut.transition({ id: a.id }, '320505', (current) => dispose(current as AlarmSnapshot, { at: Date.now(), actor: null, cause: 'false_alarm', measures: '复核' })),
      ),
    );
    const events = outcomes.flatMap((o) => (o.ok ? o.events : []));
    expect(seqs(events)).toEqual(Array.from({ length: 2 * N }, (_, i) => N + i + 1));
    for (const o of outcomes) {
      if (!o.ok) throw new Error(o.reason);
      const [acked, disposed] = o.events;
      expect([acked?.event, disposed?.event]).toEqual(['acknowledged', 'disposed']);
      expect(disposed!.seq).toBe(acked!.seq + 1);
      expect(o.alarm.seq).toBe(disposed!.seq);
    }
    const stored = await sut.events(alarms[0]!.id);
    expect(stored.map((e) => e.event)).toEqual(['raised', 'acknowledged', 'disposed']);
    expect(stored.map((e) => e.seq)).toEqual([...stored.map((e) => e.seq)].sort((a, b) => a - b));
    const rows = (await ds.query(`SELECT min(seq)::int AS lo, max(seq)::int AS hi, count(*)::int AS n FROM alarm_events`)) as [{ lo: number; hi: number; n: number }];
    expect(rows[0]).toEqual({ lo: 1, hi: 3 * N, n: 3 * N });
  });

  it('refuses a second open alarm for the same rule and subject (alarms_open_uq)', async () => {
    const c = ctx(0);
    const again = await sut.transition({ ruleId: 'rule-0', subject: c.pointId as string }, '320505', (current) =>
      applyConditionChange(current, { kind: 'start', tier: 'orange', value: 200, at: Date.now() }, c),
    );
    expect(again).toMatchObject({ ok: true, events: [{ event: 'tier_changed' }] }); // the open one, not a new one
    await expect(
      ds.query(`INSERT INTO alarms (id, seq, enterprise_id, region_code, gateway_id, point_id, rule_id, subject, kind, tier, condition, stage, acknowledged, raised_at, snapshot)
                SELECT gen_random_uuid(), 0, enterprise_id, region_code, gateway_id, point_id, rule_id, subject, kind, tier, condition, 'open', false, now(), snapshot
                  FROM alarms WHERE rule_id = 'rule-0'`),
    ).rejects.toThrow(/alarms_open_uq/);
  });
});
