import { GRADE_PART_KEYS, RISK_LEVELS } from '@sw/grading';
import { calendarDate } from '@sw/persistence';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { regionPrefixQuery } from '../enterprises/enterprises.dto';

export class CurrentGradesQueryDto extends createZodDto(
  z.object({
    /** region prefix; the caller's whole scope by default */
    regionCode: regionPrefixQuery.optional(),
    /** only this risk level (风险等级) */
    level: z.enum(RISK_LEVELS).optional(),
  }),
) {}

export class GradeHistoryQueryDto extends createZodDto(
  z
    .object({
      /** first Asia/Shanghai day; 90 days before `to` by default */
      from: calendarDate.optional(),
      /** last day; today by default */
      to: calendarDate.optional(),
    })
    .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['from'] }),
) {}

const gradePart = z.object({
  key: z.enum(GRADE_PART_KEYS),
  label: z.string().describe('固有风险, 重大事故隐患, 报警（近30天）, 在线率（近30天）, 安全生产标准化'),
  value: z.union([z.number(), z.string(), z.null()]).describe('the input the points come from (count, rate 0–1, grade code, or null when unknown)'),
  points: z.number().describe('0–100'),
  weight: z.number().describe('the part’s share of the score, 0–1'),
  detail: z.string().describe('the reason in the trade’s words'),
});

const grade = z.object({
  enterpriseId: z.uuid(),
  day: z.string().describe('Asia/Shanghai day, YYYY-MM-DD'),
  level: z.enum(RISK_LEVELS).describe('风险等级: red 重大风险, orange 较大风险, yellow 一般风险, blue 低风险 — an enterprise-level 风险预警, not an alarm'),
  score: z.number().describe('Σ points × weight, 0–100'),
  parts: z.array(gradePart),
  standardizationVeto: z.boolean().describe('一票否决: an open major hazard voids the standardization credit'),
  weights: z.record(z.string(), z.number()),
  thresholds: z.object({ red: z.number(), orange: z.number(), yellow: z.number() }).partial(),
  computedAt: z.string().describe('the instant the inputs describe'),
});

export class CurrentGradesDto extends createZodDto(
  z.object({
    regionCode: z.string().nullable(),
    counts: z.object({ red: z.number(), orange: z.number(), yellow: z.number(), blue: z.number() }),
    items: z.array(grade.extend({ enterpriseName: z.string(), regionCode: z.string() })),
  }),
) {}

export class GradeHistoryDto extends createZodDto(z.object({ enterpriseId: z.uuid(), from: z.string(), to: z.string(), items: z.array(grade) })) {}
