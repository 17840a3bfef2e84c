import { rankOf, type EscalationPolicy, type NotifyTarget } from '@sw/rules';
import type { CommittedEvent } from '@sw/persistence';
import type { Tier } from '@sw/sensors';

/**
 * Whom an event notifies under the policy (docs/domain.md): a raise, a reactivation or a rise in tier
 * notifies the tier's "at once" recipients; an escalation its step's recipients. Nothing while the
 * alarm is shelved or suppressed (docs/contracts.md §3), nothing for other events.
 */
export function notifyTargetsFor(e: Pick<CommittedEvent, 'event' | 'alarm' | 'data'>, policy: EscalationPolicy): readonly NotifyTarget[] {
  const { alarm } = e;
  if (alarm.shelvedUntil !== null || alarm.suppressed) return [];
  const tier = policy.tiers[alarm.tier];
  if (e.event === 'raised' || e.event === 'reactivated') return tier.notify;
  if (e.event === 'tier_changed') return rankOf(alarm.tier) > rankOf(e.data['from'] as Tier | undefined) ? tier.notify : [];
  if (e.event === 'escalated') return tier.steps[alarm.escalationLevel - 1]?.notify ?? [];
  return [];
}

/** The events that may notify somebody (the policy, per region, says whom): raises, reactivations, rises in tier and escalations of an alarm neither shelved nor suppressed. */
export function mayNotify(e: Pick<CommittedEvent, 'event' | 'alarm'>): boolean {
  if (e.alarm.shelvedUntil !== null || e.alarm.suppressed) return false;
  return e.event === 'raised' || e.event === 'reactivated' || e.event === 'tier_changed' || e.event === 'escalated';
}
