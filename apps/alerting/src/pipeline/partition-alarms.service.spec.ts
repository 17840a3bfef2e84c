import type { AlarmStore, EvaluationPoint } from '@sw/persistence';
import type { AlarmSnapshot, ConditionChange } from '@sw/rules';
import { partitionOf } from '@sw/sensors';
import { FakeTimerDriver } from '@sw/testing';
import type { AlarmCommitService } from '../alarms/alarm-commit.service';
import type { RuleRef } from '../alarms/alarm-context.factory';
import { AlarmTrackerService } from '../alarms/alarm-tracker.service';
import type { AlertingConfig } from '../config/alerting.config';
import { MetricsService } from '../observability/metrics.service';
import { PointRulesFactory, ruleIdOf } from '../points/point-rules.factory';
import { T0, factory } from '../testing/alerting-test.factory';
import { TimerService } from '../timers/timer.service';
import { EvaluationService } from './evaluation.service';
import { PartitionAlarmsService } from './partition-alarms.service';
import { PartitionOwnershipService } from './partition-ownership.service';
import type { RuleStateWriterService } from './rule-state-writer.service';

const P = 4;
const ids = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000004', '00000000-0000-4000-8000-000000000005'];
const mineId = ids.find((id) => partitionOf(id, P) === 0) as string;
const otherId = ids.find((id) => partitionOf(id, P) !== 0) as string;
const rulesOf = new PointRulesFactory(1);

describe(PartitionAlarmsService.name, () => {
  let tracker: AlarmTrackerService;
  let ownership: PartitionOwnershipService;
  let evaluation: EvaluationService;
  let ended: string[];
  let changes: (ConditionChange & { ruleId: string })[];
  let stored: AlarmSnapshot[];
  let sut: PartitionAlarmsService;

  const adopt = (id: string): EvaluationPoint => {
    const point = factory.point({ id });
    evaluation.adopt(point, rulesOf.rulesFor(point, []).rules, undefined, T0);
    return point;
  };
  const alarmOf = (point: string, ruleId: string, over: Partial<AlarmSnapshot> = {}): AlarmSnapshot => factory.alarm({ id: `${ruleId}@alarm`, pointId: point, ruleId, ...over });

  beforeEach(() => {
    ended = [];
    changes = [];
    stored = [];
    tracker = new AlarmTrackerService();
    ownership = new PartitionOwnershipService({ READING_PARTITIONS: P } as AlertingConfig);
    const commits = {
      endCondition: (alarm: AlarmSnapshot) => (ended.push(alarm.ruleId), Promise.resolve()),
      conditionChange: (_p: EvaluationPoint, rule: RuleRef, change: ConditionChange) => (changes.push({ ...change, ruleId: rule.id }), Promise.resolve()),
    } as unknown as AlarmCommitService;
    const writer = { mark: () => undefined, remove: () => undefined } as unknown as RuleStateWriterService;
    evaluation = new EvaluationService(new TimerService(new FakeTimerDriver(T0)), commits, writer, new MetricsService());
    const store = { notClosed: () => Promise.resolve(stored) } as unknown as AlarmStore;
    sut = new PartitionAlarmsService(store, tracker, ownership, evaluation, commits);
  });

  it('tracks the stored alarms of the partitions taken over only', async () => {
    stored = [alarmOf(mineId, `${mineId}:threshold`), alarmOf(otherId, `${otherId}:threshold`)];
    sut.track(await sut.load(), new Set([0]));
    expect([...tracker.all()].map((a) => a.pointId)).toEqual([mineId]);
  });

  it('reconciles alarms with restored states: a gone rule\'s condition ends, an active alarm whose state is quiet ends, other partitions untouched', () => {
    // docs/architecture.md "Scale-out": the taker restores rule states and open alarms; the alarms follow the states
    const point = adopt(mineId);
    const ruleId = ruleIdOf(rulesOf.rulesFor(point, []).rules[0]!, mineId);
    tracker.apply(alarmOf(mineId, ruleId), 'loaded');
    tracker.apply(alarmOf(mineId, `${mineId}:gone`), 'loaded');
    tracker.apply(alarmOf(otherId, `${otherId}:gone`), 'loaded');
    sut.reconcile(new Set([0]), T0 + 1);
    expect(ended).toEqual([`${mineId}:gone`]);
    expect(changes).toEqual([expect.objectContaining({ ruleId, kind: 'end', at: T0 + 1 })]);
  });

  it('untracks the alarms of points no longer owned, ending nothing', () => {
    ownership.own([0]);
    tracker.apply(alarmOf(mineId, `${mineId}:threshold`), 'loaded');
    tracker.apply(alarmOf(otherId, `${otherId}:threshold`), 'loaded');
    sut.untrackDisowned();
    expect([...tracker.all()].map((a) => a.pointId)).toEqual([mineId]);
    expect(ended).toEqual([]);
  });
});
