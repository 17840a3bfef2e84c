import { z } from 'zod';
import { INCIDENT_KINDS } from './incident.types';

/** `POST /incidents` body; unknown keys are refused so a typo does not pass silently. */
export const startIncidentSchema = z
  .object({
    kind: z.enum(INCIDENT_KINDS),
    gateway: z.string().min(1).max(64).optional(),
    /** A point of that gateway, instead of the first of the kind's types. */
    point: z.string().min(1).max(64).optional(),
    durationS: z.number().int().min(1).max(86_400).optional(),
  })
  .strict();

export type StartIncidentBody = z.infer<typeof startIncidentSchema>;
