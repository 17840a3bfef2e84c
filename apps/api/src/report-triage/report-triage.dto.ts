import { PUBLIC_REPORT_STATUSES } from '@sw/persistence';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { pageQuerySchema } from '../http/paging.dto';

const TEXT = z.string().trim().min(1).max(2000);

export class ListReportsQueryDto extends createZodDto(
  pageQuerySchema.extend({
    status: z
      .string()
      .transform((s) => s.split(',').map((v) => v.trim()))
      .pipe(z.array(z.enum(PUBLIC_REPORT_STATUSES)).min(1))
      .optional(),
  }),
) {}

export class AssignReportDto extends createZodDto(z.object({ assigneeId: z.guid().optional(), enterpriseId: z.guid().optional() }).strict()) {}
export class VerifyReportDto extends createZodDto(z.object({ note: TEXT }).strict()) {}
export class ReportEnterpriseDto extends createZodDto(z.object({ enterpriseId: z.guid() }).strict()) {}

const reward = z.number().min(0).max(1e8);

/** 查实 (confirmed: creates a confirmed hazard with source report) or 不实 (unfounded), with the reply the reporter reads. */
export class CloseReportDto extends createZodDto(
  z
    .object({
      outcome: z.enum(['confirmed', 'unfounded']),
      reply: TEXT,
      article: z.number().int().min(1).max(99).optional(),
      item: z.number().int().min(1).max(99).nullable().optional(),
      description: TEXT.optional(),
      reward: reward.optional(),
    })
    .strict()
    .refine((b) => b.outcome !== 'confirmed' || (b.article !== undefined && b.item !== undefined), { message: '查实 takes article and item (判定标准)', path: ['article'] })
    .refine((b) => b.outcome === 'confirmed' || (b.article === undefined && b.reward === undefined), { message: '不实 takes only a reply', path: ['outcome'] }),
) {}

export class RewardDto extends createZodDto(z.object({ amount: reward, note: z.string().trim().max(500).optional() }).strict()) {}
