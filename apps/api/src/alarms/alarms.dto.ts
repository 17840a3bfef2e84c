import { DISPOSAL_CAUSES, SHELVE_MINUTES } from '@sw/rules';
import { TIERS } from '@sw/sensors';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { regionPrefixQuery } from '../enterprises/enterprises.dto';
import { isoTime, pageQuerySchema } from '../http/paging.dto';

const TEXT = z.string().trim().min(1).max(2000);

/** `a` or `a,b`: one or several values of an enum. */
const oneOrMore = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .transform((s) => s.split(',').map((v) => v.trim()))
    .pipe(z.array(z.enum(values)).min(1));

export class ListAlarmsQueryDto extends createZodDto(
  pageQuerySchema.extend({
    condition: oneOrMore(['active', 'cleared']).optional(),
    tier: oneOrMore(TIERS as unknown as readonly [string, ...string[]]).optional(),
    stage: oneOrMore(['open', 'disposed', 'closed']).optional(),
    kind: oneOrMore(['threshold', 'rate', 'offline', 'fault', 'combined']).optional(),
    enterpriseId: z.guid().optional(),
    regionCode: regionPrefixQuery.optional(),
    pointId: z.guid().optional(),
    from: isoTime.optional(),
    to: isoTime.optional(),
  }),
) {}

export class AckDto extends createZodDto(z.object({ comment: TEXT.optional() }).strict()) {}
export class CloseDto extends createZodDto(z.object({ comment: TEXT.optional() }).strict()) {}
export class DisposeDto extends createZodDto(
  z.object({ cause: z.enum(DISPOSAL_CAUSES as unknown as readonly [string, ...string[]]), measures: TEXT }).strict(),
) {}
export class ShelveDto extends createZodDto(
  z.object({ minutes: z.number().int().min(SHELVE_MINUTES.min).max(SHELVE_MINUTES.max), reason: TEXT }).strict(),
) {}
export class CommentDto extends createZodDto(z.object({ text: TEXT }).strict()) {}
