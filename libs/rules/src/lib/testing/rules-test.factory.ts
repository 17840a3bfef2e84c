// Factories for this library's specs (docs/style.md: factories instead of fixtures). Not exported.
import { Observable, type OperatorFunction, type SchedulerLike, type Subscription, map } from 'rxjs';
import type { Tier } from '@sw/sensors';
import type { AlarmContext, AlarmSnapshot } from '../alarms/alarm.types';
import type { ConditionChange, ReadingInput, RuleConditionChange, RuleInput, RuleState } from '../evaluation/evaluation.types';
import { TICK, initialState, nextTimerAt, restoreState, step } from '../evaluation/point-evaluation.rule';
import type { CombinedRule, DigitalRule, FaultRule, OfflineRule, RateRule, RuleDefinition, ThresholdRule } from '../rules/rule.types';

export const T0 = Date.UTC(2026, 10, 28, 2, 0, 0); // 2026-11-28T02:00:00Z

export const factory = {
  reading: (over: Partial<ReadingInput> = {}): ReadingInput => ({ ts: 0, value: 0, quality: 'good', ...over }),
  threshold: (over: Partial<ThresholdRule> = {}): ThresholdRule => ({
    kind: 'threshold',
    id: 'co-threshold',
    pointId: 'CO-01',
    thresholds: { high: { yellow: 24, orange: 160 } },
    ...over,
  }),
  rate: (over: Partial<RateRule> = {}): RateRule => ({
    kind: 'rate',
    id: 'flow-rate',
    pointId: 'FLOW-1',
    direction: 'drop',
    percent: 30,
    withinS: 10,
    tier: 'red',
    ...over,
  }),
  digital: (over: Partial<DigitalRule> = {}): DigitalRule => ({ kind: 'digital', id: 'spark', pointId: 'SPARK-1', tier: 'orange', ...over }),
  combined: (over: Partial<CombinedRule> = {}): CombinedRule => ({
    kind: 'combined',
    id: 'leak',
    pointId: 'IN',
    op: 'and',
    conditions: [{ value: { diff: ['IN', 'OUT'] }, op: '>=', setpoint: 5 }],
    tier: 'red',
    ...over,
  }),
  offline: (over: Partial<OfflineRule> = {}): OfflineRule => ({
    kind: 'offline',
    id: 'co-offline',
    pointId: 'CO-01',
    expectedIntervalS: 60,
    missedIntervals: 3,
    tier: 'yellow',
    ...over,
  }),
  fault: (over: Partial<FaultRule> = {}): FaultRule => ({
    kind: 'fault',
    id: 'co-fault',
    pointId: 'CO-01',
    tier: 'yellow',
    physicalRange: { min: 0, max: 5000 },
    stuckAfterS: 6 * 3600,
    ...over,
  }),
  change: (kind: ConditionChange['kind'], tier: Tier, at: number, over: Partial<ConditionChange> = {}): ConditionChange => ({
    kind,
    tier,
    value: 180,
    at,
    ...over,
  }),
  /** The change `overTime` emits (`ruleId` tagged). */
  emitted: (ruleId: string, kind: ConditionChange['kind'], tier: Tier, at: number, over: Partial<ConditionChange> = {}): RuleConditionChange => ({
    kind,
    tier,
    at,
    value: null,
    ruleId,
    ...over,
  }),
  context: (over: Partial<AlarmContext> = {}): AlarmContext => ({
    newAlarmId: 'alarm-1',
    enterpriseId: 'ent-1',
    gatewayId: 'gw-1',
    pointId: 'point-1',
    pointCode: 'CO-01',
    ruleId: 'co-threshold',
    kind: 'threshold',
    unit: 'ppm',
    enterpriseName: '某钢铁有限公司',
    pointName: '一氧化碳',
    ...over,
  }),
  alarm: (over: Partial<AlarmSnapshot> = {}): AlarmSnapshot => ({
    id: 'alarm-1',
    seq: 7,
    enterpriseId: 'ent-1',
    gatewayId: 'gw-1',
    pointId: 'point-1',
    pointCode: 'CO-01',
    ruleId: 'co-threshold',
    kind: 'threshold',
    tier: 'orange',
    peakTier: 'orange',
    value: 180,
    peakValue: 180,
    unit: 'ppm',
    condition: 'active',
    acknowledged: false,
    stage: 'open',
    shelvedUntil: null,
    suppressed: false,
    escalationLevel: 0,
    raisedAt: new Date(T0).toISOString(),
    clearedAt: null,
    ackedAt: null,
    disposedAt: null,
    closedAt: null,
    message: '…',
    escalationStartedAt: new Date(T0).toISOString(),
    ...over,
  }),
};

/** Readings stamped with the scheduler's clock: marbles carry a value, or a partial reading. */
export function stamped(scheduler: SchedulerLike): OperatorFunction<number | Partial<ReadingInput>, ReadingInput> {
  return map((v) => ({ ts: scheduler.now(), value: 0, ...(typeof v === 'number' ? { value: v } : v) }));
}

/** Feeds `[now, input]` pairs through `step` from a fresh state; answers every change and the last result. */
export function runSteps(rule: RuleDefinition, inputs: readonly [number, RuleInput][], state: RuleState = initialState(rule, 0)) {
  const changes: ConditionChange[] = [];
  let last = { state, changes, nextTimerAt: undefined as number | undefined };
  for (const [now, input] of inputs) {
    const result = step(rule, last.state, input, now);
    changes.push(...result.changes);
    last = { state: result.state, changes: result.changes, nextTimerAt: result.nextTimerAt };
  }
  return { changes, state: last.state, nextTimerAt: last.nextTimerAt };
}

/** A reading at `ts` for `step`, evaluated at the same time. */
export function at(ts: number, value: number, over: Partial<ReadingInput> = {}): [number, ReadingInput] {
  return [ts, { ts, value, ...over }];
}

/**
 * A marble string from `[frame, key]` pairs in run-mode milliseconds, e.g. `[[0, 'a'], [1000, 'b']]`
 * → `'a 999ms b'` (each key takes the frames of its characters, as marbles count them).
 */
export function timeline(events: readonly (readonly [number, string])[]): string {
  let frame = 0;
  const parts: string[] = [];
  for (const [t, key] of events) {
    if (t < frame) throw new RangeError(`event '${key}' at ${t} overlaps the previous one`);
    if (t > frame) parts.push(`${t - frame}ms`);
    parts.push(key);
    frame = t + key.length;
  }
  return parts.join(' ');
}

const KEYS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Marbles and values for `cold(marbles, values)` from `[frame, value]` pairs (one key per value). */
export function series<T>(points: readonly (readonly [number, T])[]): { marbles: string; values: Record<string, T> } {
  const values: Record<string, T> = {};
  const events = points.map(([t, v], i) => {
    const key = KEYS[i] as string;
    values[key] = v;
    return [t, key] as const;
  });
  return { marbles: timeline(events), values };
}

/**
 * Drives `step` in virtual time for marble specs, the way apps/alerting's EvaluationService drives
 * it in production (there is no other evaluation path): one point's rules, states from
 * `initialState` (or `restoreState` of `initial`), ONE deadline per point — the earliest
 * `nextTimerAt` of its rules — and, when it comes, a `TICK` for each rule that is due. Every reading
 * goes to every rule at `scheduler.now()` (the evaluation clock). `onState` sees each new state.
 */
export function overTime(
  rules: readonly RuleDefinition[],
  scheduler: SchedulerLike,
  options: { initial?: Readonly<Record<string, RuleState>>; onState?: (ruleId: string, state: RuleState) => void } = {},
): OperatorFunction<ReadingInput, RuleConditionChange> {
  return (readings) =>
    new Observable<RuleConditionChange>((subscriber) => {
      const start = scheduler.now();
      const states = rules.map((rule) => {
        const persisted = options.initial?.[rule.id];
        return persisted ? restoreState(rule, persisted, start) : initialState(rule, start);
      });
      let timer: Subscription | null = null;
      const apply = (i: number, input: RuleInput): void => {
        const rule = rules[i] as RuleDefinition;
        const result = step(rule, states[i] as RuleState, input, scheduler.now());
        if (result.state !== states[i]) {
          states[i] = result.state;
          options.onState?.(rule.id, result.state);
        }
        for (const change of result.changes) subscriber.next({ ...change, ruleId: rule.id });
      };
      const rearm = (): void => {
        timer?.unsubscribe();
        const due = Math.min(...rules.map((rule, i) => nextTimerAt(rule, states[i] as RuleState) ?? Infinity));
        timer = due === Infinity ? null : scheduler.schedule(onDue, Math.max(0, due - scheduler.now()));
      };
      const onDue = (): void => {
        rules.forEach((rule, i) => {
          const due = nextTimerAt(rule, states[i] as RuleState);
          if (due !== null && due <= scheduler.now()) apply(i, TICK);
        });
        rearm();
      };
      rearm();
      const source = readings.subscribe({
        next: (reading) => {
          rules.forEach((_rule, i) => apply(i, reading));
          rearm();
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => subscriber.complete(),
      });
      return () => {
        source.unsubscribe();
        timer?.unsubscribe();
      };
    });
}
