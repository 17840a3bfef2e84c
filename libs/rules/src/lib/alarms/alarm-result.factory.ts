import type { Actor, AlarmError, AlarmErrorCode, AlarmEventData, AlarmEventDraft, AlarmEventName, AlarmResult, AlarmSnapshot } from './alarm.types';

// Epoch ms → the ISO 8601 UTC string of the wire (docs/contracts.md §3).
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function draft(event: AlarmEventName, at: number, actor: Actor | null, data: AlarmEventData = {}): AlarmEventDraft {
  return { event, at: iso(at), actor, data };
}

export function accepted(alarm: AlarmSnapshot, events: AlarmEventDraft[]): AlarmResult {
  return { ok: true, alarm, events };
}

export function conflict(code: AlarmErrorCode, reason: string): AlarmError {
  return { ok: false, kind: 'conflict', code, reason };
}

export function invalid(reason: string): AlarmError {
  return { ok: false, kind: 'invalid', code: 'invalid_input', reason };
}

/** The alarm a transition was asked for does not exist (any more): the same refusal in api and alerting. */
export function alarmNotFound(id: string): AlarmError {
  return { ok: false, kind: 'not_found', code: 'alarm_not_found', reason: `alarm ${id} not found` };
}

// Event data without the keys whose value is undefined.
export function dataOf(fields: Record<string, string | number | boolean | null | undefined>): AlarmEventData {
  const data: AlarmEventData = {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) data[key] = value;
  return data;
}
