import { Observable, type OperatorFunction, type SchedulerLike, type Subscription, asyncScheduler, switchMap } from 'rxjs';
import type { AlarmSnapshot } from '../alarms/alarm.types';
import { DEFAULT_ESCALATION_POLICY, type EscalationPolicy, type NotifyTarget } from '../alarms/escalation.constants';
import { nextEscalationAt, nextRepeatAt } from '../alarms/escalation.rule';

/** What is due for an unacknowledged alarm: an `escalated` transition, or a repeat notification. */
export type EscalationAction =
  | { action: 'escalate'; alarmId: string; at: number; level: number; notify: readonly NotifyTarget[] }
  | { action: 'repeat'; alarmId: string; at: number; round: number; notify: readonly NotifyTarget[] };

// Everyone notified so far at `level`: the tier's first recipients and every step reached.
function notifiedSoFar(policy: EscalationPolicy, alarm: AlarmSnapshot, level: number): NotifyTarget[] {
  const tier = policy.tiers[alarm.tier];
  return [...tier.notify, ...tier.steps.slice(0, level).flatMap((s) => s.notify)];
}

function plan(alarm: AlarmSnapshot, policy: EscalationPolicy, scheduler: SchedulerLike): Observable<EscalationAction> {
  return new Observable<EscalationAction>((subscriber) => {
    let level = alarm.escalationLevel;
    let repeatAfter = scheduler.now();
    let timer: Subscription | undefined;
    const next = (): void => {
      const at = { ...alarm, escalationLevel: level };
      const escalation = nextEscalationAt(at, policy);
      const repeat = nextRepeatAt(at, repeatAfter, policy);
      if (escalation === null && repeat === null) return subscriber.complete();
      const escalates = repeat === null || (escalation !== null && escalation <= repeat);
      const due = (escalates ? escalation : repeat) as number;
      timer = scheduler.schedule(() => {
        if (escalates) {
          level++;
          subscriber.next({ action: 'escalate', alarmId: alarm.id, at: due, level, notify: policy.tiers[alarm.tier].steps[level - 1]?.notify ?? [] });
        } else {
          repeatAfter = due;
          const round = Math.round((due - Date.parse(alarm.escalationStartedAt)) / ((policy.tiers[alarm.tier].repeatEveryS ?? 1) * 1000));
          subscriber.next({ action: 'repeat', alarmId: alarm.id, at: due, round, notify: notifiedSoFar(policy, alarm, level) });
        }
        next();
      }, Math.max(0, due - scheduler.now()));
    };
    next();
    return () => timer?.unsubscribe();
  });
}

/**
 * For the snapshots of one alarm (each new one replaces the plan of the last): emits escalations
 * and repeat notifications as they fall due on `scheduler`, nothing once the alarm is acknowledged,
 * closed, shelved or suppressed. Overdue escalations (after a restart) come at once; missed
 * repeats are not replayed. The caller applies `escalate` and feeds the new snapshot back.
 */
export function watchEscalation(
  policy: EscalationPolicy = DEFAULT_ESCALATION_POLICY,
  scheduler: SchedulerLike = asyncScheduler,
): OperatorFunction<AlarmSnapshot, EscalationAction> {
  return switchMap((alarm) => plan(alarm, policy, scheduler));
}
