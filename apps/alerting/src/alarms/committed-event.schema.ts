import type { AlarmSnapshot } from '@sw/rules';
import { z } from 'zod';

/**
 * An event on `internal/events` as alerting needs it: the alarm snapshot after it (the `CommittedEvent`
 * of @sw/persistence). Only the fields that decide timers and ordering are checked; the rest passes.
 */
export const committedEventSchema = z.looseObject({
  seq: z.number().int().positive(),
  event: z.string(),
  alarm: z.looseObject({
    id: z.string(),
    seq: z.number().int().positive(),
    pointId: z.string().nullable(),
    ruleId: z.string(),
    stage: z.enum(['open', 'disposed', 'closed']),
    acknowledged: z.boolean(),
    suppressed: z.boolean(),
    shelvedUntil: z.string().nullable(),
    escalationStartedAt: z.string(),
  }),
});

/** The alarm snapshot an `internal/events` payload carries, or null when it is not one. */
export function snapshotOfEvent(payload: Buffer): AlarmSnapshot | null {
  let json: unknown;
  try {
    json = JSON.parse(payload.toString('utf8'));
  } catch {
    return null;
  }
  const parsed = committedEventSchema.safeParse(json);
  return parsed.success ? (parsed.data.alarm as unknown as AlarmSnapshot) : null;
}
