import { Observable, type OperatorFunction, type SchedulerLike, type Subscription, asyncScheduler } from 'rxjs';
import { TICK, initialState, nextTimerAt, restoreState, step } from '../evaluation/point-evaluation.rule';
import type { ReadingInput, RuleConditionChange, RuleInput, RuleState } from '../evaluation/evaluation.types';
import type { RuleDefinition } from '../rules/rule.types';

/** Options of `evaluatePoint`. */
export interface EvaluatePointOptions {
  /** Persisted states by rule id: adopted with `restoreState`, their pending timers re-armed. */
  initial?: Readonly<Record<string, RuleState>>;
  /** Called with every new state, e.g. to persist rules with pending timers. */
  onState?: (ruleId: string, state: RuleState) => void;
}

type Emit = (change: RuleConditionChange) => void;

interface RuleSlot {
  apply(input: RuleInput): void;
  dispose(): void;
}

// One rule's state and its one pending timer on the scheduler.
function ruleSlot(rule: RuleDefinition, initial: RuleState, scheduler: SchedulerLike, options: EvaluatePointOptions, emit: Emit): RuleSlot {
  let state = initial;
  let timer: { at: number; sub: Subscription } | null = null;
  const dispose = (): void => {
    timer?.sub.unsubscribe();
    timer = null;
  };
  const arm = (at: number | null): void => {
    if (timer?.at === at) return; // most readings leave the pending timer as it is
    dispose();
    if (at === null) return;
    const sub = scheduler.schedule(() => {
      timer = null; // fired: re-armed by what the tick answers
      apply(TICK);
    }, Math.max(0, at - scheduler.now()));
    timer = { at, sub };
  };
  const apply = (input: RuleInput): void => {
    const result = step(rule, state, input, scheduler.now());
    if (result.state !== state) {
      state = result.state;
      options.onState?.(rule.id, state);
    }
    for (const change of result.changes) emit({ ...change, ruleId: rule.id });
    arm(result.nextTimerAt ?? null);
  };
  arm(nextTimerAt(rule, state));
  return { apply, dispose };
}

/**
 * Turns one point's readings (and those of the points its rules also read: combined operands,
 * gates) into condition changes, using `step` per rule and `scheduler` for the timers, which fire
 * with no data arriving (offline, on/off delays, sustained lifts). The scheduler's clock is the
 * evaluation clock. Completes when the readings complete; unsubscribing cancels every timer.
 */
export function evaluatePoint(
  rules: readonly RuleDefinition[],
  scheduler: SchedulerLike = asyncScheduler,
  options: EvaluatePointOptions = {},
): OperatorFunction<ReadingInput, RuleConditionChange> {
  return (readings) =>
    new Observable<RuleConditionChange>((subscriber) => {
      const start = scheduler.now();
      const emit: Emit = (change) => subscriber.next(change);
      const slots = rules.map((rule) => {
        const persisted = options.initial?.[rule.id];
        const state = persisted ? restoreState(rule, persisted, start) : initialState(rule, start);
        return ruleSlot(rule, state, scheduler, options, emit);
      });
      const source = readings.subscribe({
        next: (reading) => slots.forEach((slot) => slot.apply(reading)),
        error: (err: unknown) => subscriber.error(err),
        complete: () => subscriber.complete(),
      });
      return () => {
        source.unsubscribe();
        slots.forEach((slot) => slot.dispose());
      };
    });
}
