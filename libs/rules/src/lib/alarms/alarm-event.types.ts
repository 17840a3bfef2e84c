import type { Actor, AlarmEventName, AlarmSnapshot } from './alarm.types';

/** `condition` of an alarm (docs/contracts.md §3). */
export type AlarmCondition = AlarmSnapshot['condition'];

/** `stage` of an alarm (docs/contracts.md §3). */
export type AlarmStage = AlarmSnapshot['stage'];

/**
 * The event object of docs/contracts.md §3, as `GET /alarms/{id}` lists it in `events[]`. `data`
 * holds what the table there names per event (always an object, `{}` when there is nothing).
 */
export interface AlarmEvent {
  seq: number;
  event: AlarmEventName;
  at: string;
  actor: Actor | null;
  data: Record<string, unknown>;
}

/**
 * A committed alarm event: the event object plus the alarm snapshot after it. The one message about
 * alarms that crosses a process boundary — on `internal/events` (alerting and api publish, both
 * follow) and in PostgreSQL's `alarm_events` notifications (api listens) — and the source of the
 * live feed's `alarm` frame. Validated where it comes in by `parseCommittedEvent` (@sw/persistence).
 */
export interface CommittedEvent extends AlarmEvent {
  alarm: AlarmSnapshot;
  /** The alarm's region, for scoping the live feed; not part of the wire frame. */
  regionCode: string;
}

/** The live feed's `alarm` frame (docs/contracts.md §5): the event object and the snapshot after it. */
export interface AlarmFrame extends AlarmEvent {
  type: 'alarm';
  alarm: AlarmSnapshot;
}
