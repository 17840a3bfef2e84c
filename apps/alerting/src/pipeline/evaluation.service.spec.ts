import type { EvaluationPoint } from '@sw/persistence';
import type { ConditionChange, RuleDefinition, RuleState } from '@sw/rules';
import type { AlarmCommitService } from '../alarms/alarm-commit.service';
import type { RuleRef } from '../alarms/alarm-context.factory';
import { MetricsService } from '../observability/metrics.service';
import { PointRulesFactory } from '../points/point-rules.factory';
import { T0, factory } from '../testing/alerting-test.factory';
import { TimerService } from '../timers/timer.service';
import type { RuleStateWriterService } from './rule-state-writer.service';
import { EvaluationService } from './evaluation.service';
import { FakeTimerDriver } from '@sw/testing';

const rulesOf = new PointRulesFactory(1);

describe(EvaluationService.name, () => {
  let driver: FakeTimerDriver;
  let timers: TimerService;
  let changes: (ConditionChange & { ruleId: string })[];
  let marks: { ruleId: string; state: RuleState }[];
  let sut: EvaluationService;

  const adopt = (over: Partial<EvaluationPoint> = {}): EvaluationPoint => {
    const point = factory.point(over);
    sut.adopt(point, rulesOf.rulesFor(point, []).rules, undefined, driver.now());
    return point;
  };
  const read = (point: EvaluationPoint, value: number, ts = driver.now()): void =>
    void sut.onReadings([factory.reading({ pointId: point.id, value, ts, receivedAt: driver.now() })], driver.now());

  beforeEach(() => {
    driver = new FakeTimerDriver(T0);
    timers = new TimerService(driver);
    changes = [];
    marks = [];
    const commits = {
      conditionChange: (_p: EvaluationPoint, rule: RuleRef, change: ConditionChange) => {
        changes.push({ ...change, ruleId: rule.id });
        return Promise.resolve();
      },
    } as unknown as AlarmCommitService;
    const writer = { mark: (_p: string, ruleId: string, state: RuleState) => marks.push({ ruleId, state }), remove: () => undefined } as unknown as RuleStateWriterService;
    sut = new EvaluationService(timers, commits, writer, new MetricsService());
  });

  it('raises offline from the timer with no data, at exactly 3 × the interval after the last reading', () => {
    // docs/domain.md: offline after 3 × expectedIntervalS; orange when mandatory
    const point = adopt({ mandatory: true, expectedIntervalS: 10 });
    driver.advanceTo(T0 + 5_000);
    read(point, 1);
    driver.advanceTo(T0 + 34_999);
    expect(changes).toEqual([]);
    driver.advanceTo(T0 + 60_000);
    expect(changes).toEqual([expect.objectContaining({ ruleId: `${point.id}:offline`, kind: 'start', tier: 'orange', at: T0 + 35_000, cause: 'no_data' })]);
    read(point, 1);
    expect(changes.at(-1)).toMatchObject({ kind: 'end', ruleId: `${point.id}:offline` });
  });

  it('counts a point that never reported from its adoption', () => {
    adopt({ expectedIntervalS: 1 });
    driver.advanceTo(T0 + 3_000);
    expect(changes).toEqual([expect.objectContaining({ kind: 'start', at: T0 + 3_000 })]);
  });

  it('keeps one heap entry per point, and readings that push the deadline later arm no platform timer', () => {
    const points = Array.from({ length: 50 }, (_, i) => adopt({ id: `p${i}` }));
    expect(timers.sizeOf('rules')).toBe(50);
    const armed = driver.armed;
    for (let t = 1; t <= 20; t++) {
      driver.advanceTo(T0 + t * 1000);
      for (const p of points) read(p, 5);
    }
    expect(timers.sizeOf('rules')).toBe(50);
    expect(driver.armed - armed).toBeLessThanOrEqual(1);
  });

  it('writes a state for a condition change, not for every reading', () => {
    const point = adopt();
    for (let i = 0; i < 10; i++) read(point, 5 + i / 10, T0 + i);
    expect(marks).toEqual([]);
    read(point, 30, T0 + 100);
    expect(marks.map((m) => m.ruleId)).toEqual([`${point.id}:threshold`]);
  });

  it('fires the CO sustained lift by timer, dated at its due time', () => {
    // docs/domain.md: CO orange held 15 min → red
    const point = adopt();
    read(point, 100); // ≥ 48 ppm → orange
    driver.advanceTo(T0 + 16 * 60_000);
    expect(changes.filter((c) => c.ruleId.endsWith(':threshold')).map((c) => [c.kind, c.tier, c.at - T0])).toEqual([
      ['start', 'orange', 0],
      ['tier', 'red', 15 * 60_000],
    ]);
  });

  it('reads other points for a gated rule (index rebuilt), and ignores readings of unknown points', () => {
    const gate = adopt({ id: 'casting', type: 'casting_active', unit: '' });
    const flow = factory.point({ id: 'flow', type: 'water_flow', unit: 'm3/h' });
    const gated: RuleDefinition = { kind: 'threshold', id: 'low-flow', pointId: 'flow', thresholds: { low: { orange: 50 } }, gate: { pointId: 'casting' } };
    sut.adopt(flow, [gated], undefined, T0);
    sut.reindex();
    read(flow, 10);
    expect(changes).toEqual([]);
    read(gate, 1);
    read(flow, 10, T0 + 1);
    expect(changes).toEqual([expect.objectContaining({ ruleId: 'low-flow', kind: 'start', tier: 'orange' })]);
    expect(sut.onReadings([factory.reading({ pointId: 'nobody' })], T0)).toBeNull();
  });

  it('ends the condition of a rule that no longer applies, and of a point that is gone', () => {
    const point = adopt();
    read(point, 30);
    sut.update(point, rulesOf.rulesFor(point, []).rules.filter((r) => r.kind !== 'threshold'), driver.now());
    expect(changes.at(-1)).toMatchObject({ kind: 'end', ruleId: `${point.id}:threshold` });
    const other = adopt({ id: 'other', expectedIntervalS: 1 });
    driver.advanceTo(T0 + 3_000);
    sut.drop(other.id, driver.now(), true);
    expect(changes.at(-1)).toMatchObject({ kind: 'end', ruleId: 'other:offline' });
    expect(sut.slot(other.id)).toBeUndefined();
  });
});

describe(`${EvaluationService.name}: context gates and registration`, () => {
  // issue 14: a cast that ends raises nothing; readings of a point adopted on its first reading are judged
  let driver: FakeTimerDriver;
  let changes: (ConditionChange & { ruleId: string })[];
  let sut: EvaluationService;
  const rules = new PointRulesFactory(1, 60);

  beforeEach(() => {
    driver = new FakeTimerDriver(T0);
    changes = [];
    const commits = {
      conditionChange: (_p: EvaluationPoint, rule: RuleRef, change: ConditionChange) => {
        changes.push({ ...change, ruleId: rule.id });
        return Promise.resolve();
      },
    } as unknown as AlarmCommitService;
    const writer = { mark: () => undefined, remove: () => undefined } as unknown as RuleStateWriterService;
    sut = new EvaluationService(new TimerService(driver), commits, writer, new MetricsService());
  });

  const caster = () => {
    const cast = factory.point({ id: 'cast', code: 'CAST', type: 'casting_active', unit: '', expectedIntervalS: 3600 });
    const flow = factory.point({ id: 'flow', code: 'CW-F', type: 'water_flow', unit: 'm3/h', expectedIntervalS: 3600 });
    sut.adopt(cast, rules.rulesFor(cast, [], {}).rules, undefined, driver.now());
    sut.adopt(flow, rules.rulesFor(flow, [], { casting_active: 'cast' }).rules, undefined, driver.now());
    sut.reindex();
    return { cast, flow };
  };
  const batch = (...readings: [string, number, number][]) =>
    void sut.onReadings(readings.map(([pointId, value, ts]) => factory.reading({ pointId, value, ts, receivedAt: ts })), driver.now());

  it('raises nothing when casting_active → 0 and the flow → 0 come in one message, whatever their order', () => {
    caster();
    batch(['cast', 1, T0], ['flow', 100, T0]);
    driver.advanceTo(T0 + 120_000);
    batch(['flow', 100, T0 + 115_000]);
    batch(['flow', 0, T0 + 120_000], ['cast', 0, T0 + 120_000]);
    expect(changes.filter((c) => c.ruleId.endsWith(':rate'))).toEqual([]);
  });

  it('raises red for the same drop during a cast', () => {
    caster();
    batch(['cast', 1, T0], ['flow', 100, T0]);
    driver.advanceTo(T0 + 120_000);
    batch(['flow', 100, T0 + 115_000]);
    batch(['flow', 0, T0 + 120_000]);
    expect(changes).toEqual([expect.objectContaining({ ruleId: 'flow:rate', kind: 'start', tier: 'red' })]);
  });

  it('adopts a point it does not hold on its first reading and judges that reading', async () => {
    const fresh = factory.point({ id: 'fresh' });
    sut.onUnknown((ids) => {
      expect(ids).toEqual(['fresh']);
      sut.adopt(fresh, rules.rulesFor(fresh, []).rules, undefined, driver.now());
      return Promise.resolve();
    });
    await sut.onReadings([factory.reading({ pointId: 'fresh', value: 30, ts: T0, receivedAt: T0 })], driver.now());
    expect(changes).toEqual([expect.objectContaining({ ruleId: 'fresh:threshold', kind: 'start', tier: 'yellow' })]);
  });
});
