import {
  escalate,
  escalationDue,
  nextEscalationAt,
  shelfExpired,
  shelfExpiresAt,
  suppress,
  unsuppress,
  type AlarmResult,
  type AlarmSnapshot,
  type EscalationPolicy,
} from '@sw/rules';

/** A transition that writes nothing (the alarm moved on meanwhile). */
export function unchanged(alarm: AlarmSnapshot): AlarmResult {
  return { ok: true, alarm, events: [] };
}

/** When the alarm next needs the clock: its shelf running out or its next escalation step. */
export function alarmDueAt(alarm: AlarmSnapshot, policy: EscalationPolicy): number | null {
  const shelf = shelfExpiresAt(alarm);
  const escalation = nextEscalationAt(alarm, policy);
  if (shelf === null) return escalation;
  return escalation === null ? shelf : Math.min(shelf, escalation);
}

/**
 * What is due on the alarm at `now`, judged on its current (locked) snapshot: the shelf expiring
 * (a system `unshelved`) first, else an escalation step (docs/contracts.md §3: unacknowledged past the
 * tier's limit, not shelved or suppressed). An ack committed meanwhile makes it a no-op.
 */
export function dueTransition(alarm: AlarmSnapshot, now: number, policy: EscalationPolicy): AlarmResult {
  if (alarm.stage === 'closed') return unchanged(alarm);
  const shelf = shelfExpiresAt(alarm);
  if (shelf !== null && shelf <= now) return shelfExpired(alarm, now);
  if (escalationDue(alarm, now, policy)) return escalate(alarm, now);
  return unchanged(alarm);
}

/** Maintenance starting or ending on the alarm's point: `suppressed` / `unsuppressed` by the system. */
export function maintenanceTransition(alarm: AlarmSnapshot, underMaintenance: boolean, now: number, reason: string | null): AlarmResult {
  if (alarm.stage === 'closed') return unchanged(alarm);
  return underMaintenance
    ? suppress(alarm, { at: now, actor: null, ...(reason ? { reason } : {}) })
    : unsuppress(alarm, { at: now, actor: null });
}
