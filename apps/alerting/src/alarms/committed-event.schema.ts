import { decodeCommittedEvent } from '@sw/persistence';
import type { AlarmSnapshot } from '@sw/rules';

/**
 * The alarm snapshot an `internal/events` payload carries, or null when it is not a committed event
 * (validated by the one schema, `committedEventSchema` of @sw/persistence).
 */
export function snapshotOfEvent(payload: Buffer): AlarmSnapshot | null {
  return decodeCommittedEvent(payload)?.alarm ?? null;
}
