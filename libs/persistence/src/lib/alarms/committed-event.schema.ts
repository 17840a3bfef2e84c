import type { AlarmEventName, AlarmKind, AlarmSnapshot, CommittedEvent } from '@sw/rules';
import type { Tier } from '@sw/sensors';
import { z } from 'zod';

// The unions of @sw/rules as values; `Exact` below fails the build when either side changes alone.
const TIERS = ['red', 'orange', 'yellow', 'blue'] as const satisfies readonly Tier[];
const KINDS = ['threshold', 'rate', 'offline', 'fault', 'combined'] as const satisfies readonly AlarmKind[];
const EVENTS = [
  'raised', 'reactivated', 'tier_changed', 'cleared', 'acknowledged', 'disposed', 'closed',
  'shelved', 'unshelved', 'suppressed', 'unsuppressed', 'escalated', 'notified', 'commented',
] as const satisfies readonly AlarmEventName[];

const time = z.iso.datetime(); // ISO 8601 UTC (docs/contracts.md §3)
const seq = z.number().int().positive();

/** The alarm object of docs/contracts.md §3 (`AlarmSnapshot` of @sw/rules). */
export const alarmSnapshotSchema = z.object({
  id: z.string(),
  seq,
  enterpriseId: z.string(),
  gatewayId: z.string(),
  pointId: z.string().nullable(),
  pointCode: z.string().nullable(),
  ruleId: z.string(),
  kind: z.enum(KINDS),
  tier: z.enum(TIERS),
  peakTier: z.enum(TIERS),
  value: z.number().nullable(),
  peakValue: z.number().nullable(),
  unit: z.string(),
  condition: z.enum(['active', 'cleared']),
  acknowledged: z.boolean(),
  stage: z.enum(['open', 'disposed', 'closed']),
  shelvedUntil: time.nullable(),
  suppressed: z.boolean(),
  escalationLevel: z.number().int().nonnegative(),
  raisedAt: time,
  clearedAt: time.nullable(),
  ackedAt: time.nullable(),
  disposedAt: time.nullable(),
  closedAt: time.nullable(),
  message: z.string(),
  escalationStartedAt: time,
});

/** A committed alarm event (`CommittedEvent` of @sw/rules): the §3 event object, the snapshot after it, its region. */
export const committedEventSchema = z.object({
  seq,
  event: z.enum(EVENTS),
  at: time,
  actor: z.object({ id: z.string(), username: z.string(), role: z.string() }).nullable(),
  data: z.record(z.string(), z.unknown()),
  alarm: alarmSnapshotSchema,
  regionCode: z.string(),
});

type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemasMatchTypes: [Exact<z.output<typeof alarmSnapshotSchema>, AlarmSnapshot>, Exact<z.output<typeof committedEventSchema>, CommittedEvent>] = [true, true];
void schemasMatchTypes;

/**
 * The committed event a JSON value is, or null. What passes is the value itself (fields the
 * contract does not name are kept, as they travelled).
 */
export function parseCommittedEvent(json: unknown): CommittedEvent | null {
  return committedEventSchema.safeParse(json).success ? (json as CommittedEvent) : null;
}

/** The committed event an `internal/events` payload carries, or null when it is not JSON or not one. */
export function decodeCommittedEvent(payload: Buffer | string): CommittedEvent | null {
  let json: unknown;
  try {
    json = JSON.parse(typeof payload === 'string' ? payload : payload.toString('utf8'));
  } catch {
    return null;
  }
  return parseCommittedEvent(json);
}
