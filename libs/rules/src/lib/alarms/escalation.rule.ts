import { DEFAULT_ESCALATION_POLICY, type EscalationPolicy } from './escalation.constants';
import type { AlarmSnapshot } from './alarm.types';

/**
 * Whether the alarm's escalation clock runs: unacknowledged, not closed, not shelved, not
 * suppressed (docs/contracts.md §3), and active unless the policy lets cleared alarms escalate.
 */
export function isEscalating(alarm: AlarmSnapshot, policy: EscalationPolicy = DEFAULT_ESCALATION_POLICY): boolean {
  return (
    !alarm.acknowledged &&
    alarm.stage !== 'closed' &&
    alarm.shelvedUntil === null &&
    !alarm.suppressed &&
    (alarm.condition === 'active' || !policy.stopWhenCleared)
  );
}

/** When the next `escalated` is due (epoch ms), or null when none is. */
export function nextEscalationAt(alarm: AlarmSnapshot, policy: EscalationPolicy = DEFAULT_ESCALATION_POLICY): number | null {
  if (!isEscalating(alarm, policy)) return null;
  const step = policy.tiers[alarm.tier].steps[alarm.escalationLevel];
  return step ? Date.parse(alarm.escalationStartedAt) + step.afterS * 1000 : null;
}

/** Whether `escalated` is due at `now` (epoch ms). */
export function escalationDue(alarm: AlarmSnapshot, now: number, policy: EscalationPolicy = DEFAULT_ESCALATION_POLICY): boolean {
  const at = nextEscalationAt(alarm, policy);
  return at !== null && now >= at;
}

/** The first repeat notification strictly after `after` (epoch ms), or null when none is due. */
export function nextRepeatAt(alarm: AlarmSnapshot, after: number, policy: EscalationPolicy = DEFAULT_ESCALATION_POLICY): number | null {
  const every = policy.tiers[alarm.tier].repeatEveryS;
  if (every === null || !isEscalating(alarm, policy)) return null;
  const start = Date.parse(alarm.escalationStartedAt);
  const period = every * 1000;
  const round = Math.max(1, Math.floor((after - start) / period) + 1);
  return start + round * period;
}
