import { CHECK_RESULTS, INSPECTION_MODES, INSPECTION_STATUSES, RISK_LEVELS } from '@sw/inspections';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { regionPrefixQuery } from '../enterprises/enterprises.dto';
import { pageQuerySchema } from '../http/paging.dto';

const TEXT = z.string().trim().min(1).max(2000);
const SHORT = z.string().trim().min(1).max(200);
const DAY = z.iso.date();
const regionPrefix = z.string().regex(/^\d{2}(\d{2}){0,2}$/, 'a region prefix of 2, 4 or 6 digits');

const oneOrMore = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .transform((s) => s.split(',').map((v) => v.trim()))
    .pipe(z.array(z.enum(values)).min(1));

// ---- inspectors and plans ----

export class CreateInspectorDto extends createZodDto(
  z
    .object({
      regionCode: regionPrefix,
      name: SHORT,
      /** 行政执法证号 */
      certificateNo: z.string().trim().min(3).max(64),
      active: z.boolean().default(true),
      relatedEnterpriseIds: z.array(z.guid()).max(200).default([]),
    })
    .strict(),
) {}

export class UpdateInspectorDto extends createZodDto(
  z.object({ name: SHORT.optional(), active: z.boolean().optional(), relatedEnterpriseIds: z.array(z.guid()).max(200).optional() }).strict(),
) {}

export class InspectorRegionQueryDto extends createZodDto(z.object({ regionCode: regionPrefixQuery.optional() })) {}

const targets = z.object(Object.fromEntries(RISK_LEVELS.map((l) => [l, z.number().int().min(0).max(100_000)])) as Record<(typeof RISK_LEVELS)[number], z.ZodNumber>).strict();

export class PutPlanDto extends createZodDto(z.object({ regionCode: regionPrefix, year: z.number().int().min(2000).max(2100), targets, note: TEXT.nullable().optional() }).strict()) {}

export class PlanQueryDto extends createZodDto(z.object({ regionCode: regionPrefixQuery.optional(), year: z.coerce.number().int().min(2000).max(2100).optional() })) {}

// ---- draws ----

export class CreateDrawDto extends createZodDto(
  z
    .object({
      regionCode: regionPrefix,
      /** enterprises to draw */
      n: z.number().int().min(1).max(500),
      /** inspectors per team, at least 2 */
      m: z.number().int().min(2).max(10),
      /** K: leave out enterprises inspected within the last K days (default 30) */
      excludeDays: z.number().int().min(0).max(3650).optional(),
      /** the planned visit day of the tasks created (default today) */
      visitDate: DAY.optional(),
      planId: z.guid().optional(),
      /** a seed announced beforehand (公开摇号); default 128 random bits */
      seed: z.string().trim().min(8).max(128).optional(),
    })
    .strict(),
) {}

export class ListDrawsQueryDto extends createZodDto(pageQuerySchema.extend({ regionCode: regionPrefixQuery.optional() })) {}

// ---- inspections ----

export class ListInspectionsQueryDto extends createZodDto(
  pageQuerySchema.extend({
    enterpriseId: z.guid().optional(),
    regionCode: regionPrefixQuery.optional(),
    status: oneOrMore(INSPECTION_STATUSES).optional(),
    mode: oneOrMore(INSPECTION_MODES).optional(),
    drawId: z.guid().optional(),
  }),
) {}

export class CreateInspectionDto extends createZodDto(
  z
    .object({
      mode: z.enum(INSPECTION_MODES),
      enterpriseId: z.guid().optional(),
      /** online patrol from an alarm: the alarm's enterprise is inspected */
      alarmId: z.guid().optional(),
      visitDate: DAY.optional(),
      subject: TEXT.optional(),
      inspectorIds: z.array(z.guid()).max(10).optional(),
    })
    .strict()
    .refine((b) => b.enterpriseId || b.alarmId, { message: 'enterpriseId or alarmId is required', path: ['enterpriseId'] }),
) {}

export class RecordInspectionDto extends createZodDto(
  z
    .object({
      visitDate: DAY,
      inspectorIds: z.array(z.guid()).min(2).max(10),
      checklist: z.array(z.object({ id: z.number().int().positive(), result: z.enum(CHECK_RESULTS), note: z.string().trim().max(2000).optional() }).strict()).max(500),
      summary: z.string().trim().max(4000).optional(),
    })
    .strict(),
) {}

export class AddFindingDto extends createZodDto(
  z
    .object({
      kind: z.enum(['major', 'general']),
      article: z.number().int().min(1).max(99).optional(),
      item: z.number().int().min(1).max(99).nullable().optional(),
      description: TEXT,
      location: SHORT.optional(),
    })
    .strict()
    .refine((b) => b.kind === 'general' || b.article !== undefined, { message: 'a major finding names its 判定标准 article (and item)', path: ['article'] }),
) {}

export class IssueOrderDto extends createZodDto(z.object({ number: z.string().trim().min(3).max(64), deadline: DAY, requirements: TEXT }).strict()) {}

export class ReinspectDto extends createZodDto(z.object({ visitDate: DAY, passed: z.boolean(), note: TEXT }).strict()) {}

export class PenaltyDto extends createZodDto(
  z.object({ legalBasis: TEXT, amount: z.number().min(0).max(1e10), decisionNumber: z.string().trim().min(3).max(64), decidedOn: DAY }).strict(),
) {}

export class CloseInspectionDto extends createZodDto(z.object({ comment: TEXT.optional() }).strict()) {}
export class CancelInspectionDto extends createZodDto(z.object({ reason: TEXT }).strict()) {}

/** Multipart fields beside the `photos` files. */
export class InspectionPhotosDto extends createZodDto(z.object({ checklistItemId: z.coerce.number().int().positive().optional() }).strict()) {}

export class DueQueryDto extends createZodDto(z.object({ regionCode: regionPrefixQuery.optional(), asOf: DAY.optional(), all: z.enum(['true', 'false']).optional() })) {}
