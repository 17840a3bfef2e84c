import { HAZARD_SOURCES, HAZARD_STATUSES, RISK_CATEGORY_CODES } from '@sw/hazards';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { regionPrefixQuery } from '../enterprises/enterprises.dto';
import { pageQuerySchema } from '../http/paging.dto';

const TEXT = z.string().trim().min(1).max(2000);
const SHORT = z.string().trim().min(1).max(200);

/** `a` or `a,b`: one or several values of an enum. */
const oneOrMore = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .transform((s) => s.split(',').map((v) => v.trim()))
    .pipe(z.array(z.enum(values)).min(1));

const article = z.number().int().min(1).max(99);
const item = z.number().int().min(1).max(99).nullable();

export class ListHazardsQueryDto extends createZodDto(
  pageQuerySchema.extend({
    status: oneOrMore(HAZARD_STATUSES).optional(),
    source: oneOrMore(HAZARD_SOURCES).optional(),
    category: z.enum(RISK_CATEGORY_CODES).optional(),
    article: z.coerce.number().int().min(1).max(99).optional(),
    item: z.coerce.number().int().min(1).max(99).optional(),
    enterpriseId: z.guid().optional(),
    regionCode: regionPrefixQuery.optional(),
    overdue: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  }),
) {}

export class CatalogueQueryDto extends createZodDto(z.object({ category: z.enum(RISK_CATEGORY_CODES).optional() })) {}

/** A hazard recorded through REST: self-check, inspection, a regulator directly, or from an alarm (`alarmId`). */
export class CreateHazardDto extends createZodDto(
  z
    .object({
      source: z.enum(['self_check', 'inspection', 'regulator', 'alarm']),
      enterpriseId: z.guid().optional(),
      alarmId: z.guid().optional(),
      article,
      item,
      description: TEXT.optional(),
      location: SHORT.optional(),
      pointId: z.guid().optional(),
    })
    .strict()
    .refine((b) => b.source !== 'alarm' || b.alarmId, { message: 'source alarm takes alarmId', path: ['alarmId'] })
    .refine((b) => b.source === 'alarm' || b.description, { message: 'description is required', path: ['description'] }),
) {}

export class HazardFromAlarmDto extends createZodDto(z.object({ article, item, description: TEXT.optional(), location: SHORT.optional() }).strict()) {}

export class ConfirmHazardDto extends createZodDto(z.object({ comment: TEXT.optional() }).strict()) {}
export class ReasonDto extends createZodDto(z.object({ reason: TEXT }).strict()) {}
export class SignOffDto extends createZodDto(z.object({ comment: TEXT.optional() }).strict()) {}

export class PlanHazardDto extends createZodDto(
  z
    .object({
      measures: TEXT,
      funds: z.number().min(0).max(1e10).nullable().optional(),
      responsible: SHORT,
      deadline: z.iso.datetime({ offset: true }),
    })
    .strict(),
) {}

/** Multipart form field(s) beside the `photos` files (or a JSON body without photos). */
export class SubmitEvidenceDto extends createZodDto(z.object({ text: TEXT }).strict()) {}
