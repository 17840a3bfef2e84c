import type { EvaluationPoint } from '@sw/persistence';
import type { ConditionChange } from '@sw/rules';
import type { NormalizedReading, PriorityReading } from '@sw/sensors';
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

// docs/architecture.md, alarm fast lane: a priority copy is evaluated ahead of its batch only when
// it is next in the point's order, and a reading is evaluated once whichever lane brings it first.
describe('alarm fast lane in EvaluationService', () => {
  let driver: FakeTimerDriver;
  let changes: (ConditionChange & { ruleId: string })[];
  let commit: { resolve: () => void }[];
  let sut: EvaluationService;
  let point: EvaluationPoint;

  const reading = (value: number, n: number): NormalizedReading => factory.reading({ pointId: point.id, value, ts: T0 + n * 1000, receivedAt: T0 + n * 1000 + 5 });
  const priority = (r: NormalizedReading, prev: NormalizedReading): PriorityReading => ({ ...r, prevTs: prev.ts, prevReceivedAt: prev.receivedAt });

  beforeEach(() => {
    driver = new FakeTimerDriver(T0);
    changes = [];
    commit = [];
    const commits = {
      conditionChange: (_p: EvaluationPoint, rule: RuleRef, change: ConditionChange) => {
        changes.push({ ...change, ruleId: rule.id });
        return new Promise<void>((resolve) => commit.push({ resolve }));
      },
    } as unknown as AlarmCommitService;
    const writer = { mark: () => undefined, remove: () => undefined } as unknown as RuleStateWriterService;
    sut = new EvaluationService(new TimerService(driver), commits, writer, new MetricsService());
    point = factory.point();
    sut.adopt(point, rulesOf.rulesFor(point, []).rules, undefined, T0);
  });

  it('evaluates a crossing early once, and acknowledges its batch only after the early transition is committed', async () => {
    const r1 = reading(5, 1);
    const r2 = reading(30, 2); // CO yellow is 24 ppm
    expect(sut.onReadings([r1], T0 + 1_000)).toBeNull();
    expect(sut.onPriority(priority(r2, r1), T0 + 2_000)).toBe(true);
    expect(changes).toEqual([expect.objectContaining({ kind: 'start', tier: 'yellow' })]);

    let acked = false;
    const batch = sut.onReadings([r2], T0 + 2_001);
    void batch?.then(() => (acked = true));
    expect(changes).toHaveLength(1); // the batched copy is not evaluated again
    expect(batch).not.toBeNull();
    await Promise.resolve();
    expect(acked).toBe(false);
    commit[0]?.resolve();
    await batch;
    expect(acked).toBe(true);
  });

  it('leaves a copy to its batch when the reading before it is still to be evaluated, so order per point holds', () => {
    const r1 = reading(5, 1);
    const r2 = reading(30, 2);
    const r3 = reading(5, 3);
    void sut.onReadings([r1], T0 + 1_000);
    expect(sut.onPriority(priority(r3, r2), T0 + 3_000)).toBe(false); // r2 not evaluated yet
    void sut.onReadings([r2, r3], T0 + 3_001);
    expect(changes.map((c) => c.kind)).toEqual(['start', 'end']);
  });

  it('takes nothing early before the point has had a reading from a batch (after a restart or takeover)', () => {
    const r1 = reading(5, 1);
    expect(sut.onPriority(priority(reading(30, 2), r1), T0 + 2_000)).toBe(false);
    expect(changes).toEqual([]);
  });

  it('chains early copies while their batches lag, each batched copy skipped in turn', () => {
    const r1 = reading(5, 1);
    const r2 = reading(30, 2);
    const r3 = reading(5, 3);
    void sut.onReadings([r1], T0 + 1_000);
    expect(sut.onPriority(priority(r2, r1), T0 + 2_000)).toBe(true);
    expect(sut.onPriority(priority(r3, r2), T0 + 3_000)).toBe(true);
    void sut.onReadings([r2, r3], T0 + 3_001);
    expect(changes.map((c) => c.kind)).toEqual(['start', 'end']);
    // the next reading comes by batch only: evaluated as usual
    void sut.onReadings([reading(30, 4)], T0 + 4_000);
    expect(changes.map((c) => c.kind)).toEqual(['start', 'end', 'start']);
  });
});
