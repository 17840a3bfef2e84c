// Operator and system actions on an alarm: rows 5–13 of the docs/contracts.md §3 transition table.
import { DISPOSAL_CAUSES, MAX_TEXT_LENGTH, SHELVE_MINUTES } from './alarm.constants';
import { accepted, conflict, dataOf, draft, invalid, iso } from './alarm-result.factory';
import type { ActionInput, AlarmError, AlarmEventDraft, AlarmResult, AlarmSnapshot, DisposalCause } from './alarm.types';

const CLOSED = (): AlarmError => conflict('alarm_closed', 'the alarm is closed');

function badText(v: unknown, required: boolean): boolean {
  if (v === undefined) return required;
  return typeof v !== 'string' || v.length > MAX_TEXT_LENGTH || (required && v.trim().length === 0);
}

/** `POST …/ack {comment?}`: not closed; a repeated ack answers ok and writes nothing. */
export function ack(alarm: AlarmSnapshot, input: ActionInput & { comment?: string }): AlarmResult {
  if (badText(input.comment, false)) return invalid(`comment must be a string of at most ${MAX_TEXT_LENGTH} characters`);
  if (alarm.stage === 'closed') return CLOSED();
  if (alarm.acknowledged) return accepted(alarm, []);
  const next: AlarmSnapshot = { ...alarm, acknowledged: true, ackedAt: iso(input.at) };
  return accepted(next, [draft('acknowledged', input.at, input.actor, dataOf({ comment: input.comment }))]);
}

/** `POST …/dispose {cause, measures}`: stage open (active or cleared); `acknowledged` first if needed. */
export function dispose(alarm: AlarmSnapshot, input: ActionInput & { cause: DisposalCause; measures: string }): AlarmResult {
  if (!DISPOSAL_CAUSES.includes(input.cause)) return invalid(`cause must be one of ${DISPOSAL_CAUSES.join(', ')}`);
  if (badText(input.measures, true)) return invalid(`measures must be a non-empty string of at most ${MAX_TEXT_LENGTH} characters`);
  if (alarm.stage === 'closed') return CLOSED();
  if (alarm.stage === 'disposed') return conflict('already_disposed', 'the alarm is already disposed');
  const events: AlarmEventDraft[] = [];
  let next = alarm;
  if (!alarm.acknowledged) {
    next = { ...next, acknowledged: true, ackedAt: iso(input.at) };
    events.push(draft('acknowledged', input.at, input.actor));
  }
  next = { ...next, stage: 'disposed', disposedAt: iso(input.at) };
  events.push(draft('disposed', input.at, input.actor, { cause: input.cause, measures: input.measures }));
  return accepted(next, events);
}

/** `POST …/close {comment?}`: needs the condition cleared and the stage disposed, else a `conflict` with the reason. */
export function close(alarm: AlarmSnapshot, input: ActionInput & { comment?: string }): AlarmResult {
  if (badText(input.comment, false)) return invalid(`comment must be a string of at most ${MAX_TEXT_LENGTH} characters`);
  if (alarm.stage === 'closed') return CLOSED();
  if (alarm.condition === 'active') return conflict('condition_active', 'the condition is still active: close needs it cleared and disposed');
  if (alarm.stage !== 'disposed') return conflict('not_disposed', 'the alarm is not disposed: close needs it cleared and disposed');
  const next: AlarmSnapshot = { ...alarm, stage: 'closed', closedAt: iso(input.at) };
  return accepted(next, [draft('closed', input.at, input.actor, dataOf({ comment: input.comment }))]);
}

/** `POST …/shelve {minutes, reason}`: not closed; 1–1440 minutes; a new shelf replaces the old one. */
export function shelve(alarm: AlarmSnapshot, input: ActionInput & { minutes: number; reason: string }): AlarmResult {
  const { min, max } = SHELVE_MINUTES;
  if (!Number.isInteger(input.minutes) || input.minutes < min || input.minutes > max) {
    return invalid(`minutes must be an integer from ${min} to ${max}`);
  }
  if (badText(input.reason, true)) return invalid(`reason must be a non-empty string of at most ${MAX_TEXT_LENGTH} characters`);
  if (alarm.stage === 'closed') return CLOSED();
  const until = iso(input.at + input.minutes * 60_000);
  const next: AlarmSnapshot = { ...alarm, shelvedUntil: until };
  return accepted(next, [draft('shelved', input.at, input.actor, { minutes: input.minutes, reason: input.reason, until })]);
}

/** `POST …/unshelve`: only while shelved. */
export function unshelve(alarm: AlarmSnapshot, input: ActionInput): AlarmResult {
  if (alarm.shelvedUntil === null) return conflict('not_shelved', 'the alarm is not shelved');
  return accepted({ ...alarm, shelvedUntil: null }, [draft('unshelved', input.at, input.actor)]);
}

/** The shelf ran out (a system `unshelved`): only while shelved and once `shelvedUntil` has passed. */
export function shelfExpired(alarm: AlarmSnapshot, at: number): AlarmResult {
  if (alarm.shelvedUntil === null) return conflict('not_shelved', 'the alarm is not shelved');
  if (at < Date.parse(alarm.shelvedUntil)) return conflict('shelf_not_expired', `the shelf lasts until ${alarm.shelvedUntil}`);
  return accepted({ ...alarm, shelvedUntil: null }, [draft('unshelved', at, null, { expired: true })]);
}

/** When the shelf runs out (epoch ms), or null when not shelved. */
export function shelfExpiresAt(alarm: AlarmSnapshot): number | null {
  return alarm.shelvedUntil === null ? null : Date.parse(alarm.shelvedUntil);
}

/** Point maintenance starts: `suppressed`. Already suppressed answers ok with no events. */
export function suppress(alarm: AlarmSnapshot, input: ActionInput & { reason?: string }): AlarmResult {
  if (badText(input.reason, false)) return invalid(`reason must be a string of at most ${MAX_TEXT_LENGTH} characters`);
  if (alarm.suppressed) return accepted(alarm, []);
  return accepted({ ...alarm, suppressed: true }, [draft('suppressed', input.at, input.actor, dataOf({ reason: input.reason }))]);
}

/** Point maintenance ends: `unsuppressed`. Not suppressed answers ok with no events. */
export function unsuppress(alarm: AlarmSnapshot, input: ActionInput): AlarmResult {
  if (!alarm.suppressed) return accepted(alarm, []);
  return accepted({ ...alarm, suppressed: false }, [draft('unsuppressed', input.at, input.actor)]);
}

/** Unacknowledged past the tier's limit: `escalationLevel` + 1, tier unchanged; never while shelved or suppressed. */
export function escalate(alarm: AlarmSnapshot, at: number): AlarmResult {
  if (alarm.stage === 'closed') return CLOSED();
  if (alarm.acknowledged) return conflict('acknowledged', 'the alarm is acknowledged: nothing to escalate');
  if (alarm.shelvedUntil !== null) return conflict('shelved', 'no escalation while shelved');
  if (alarm.suppressed) return conflict('suppressed', 'no escalation while suppressed (maintenance)');
  const level = alarm.escalationLevel + 1;
  return accepted({ ...alarm, escalationLevel: level }, [draft('escalated', at, null, { level, tier: alarm.tier })]);
}

/** What a notification attempt reports. */
export interface NotificationOutcome {
  at: number;
  channel: string;
  recipient: string;
  outcome: string;
  reason?: string;
}

/** A notification attempt ended: `notified` with channel, recipient, outcome, reason; the alarm is unchanged. */
export function notified(alarm: AlarmSnapshot, input: NotificationOutcome): AlarmResult {
  for (const key of ['channel', 'recipient', 'outcome'] as const) {
    if (badText(input[key], true)) return invalid(`${key} must be a non-empty string`);
  }
  const data = dataOf({ channel: input.channel, recipient: input.recipient, outcome: input.outcome, reason: input.reason ?? null });
  return accepted(alarm, [draft('notified', input.at, null, data)]);
}

/** `POST …/comments {text}`: always allowed; the alarm is unchanged. */
export function comment(alarm: AlarmSnapshot, input: ActionInput & { text: string }): AlarmResult {
  if (badText(input.text, true)) return invalid(`text must be a non-empty string of at most ${MAX_TEXT_LENGTH} characters`);
  return accepted(alarm, [draft('commented', input.at, input.actor, { text: input.text })]);
}
