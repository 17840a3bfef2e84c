import { calendarDate } from '@sw/persistence';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { regionPrefixQuery } from '../enterprises/enterprises.dto';

export class HalfYearReportQueryDto extends createZodDto(
  z
    .object({
      /** region prefix; a regulator's own by default */
      regionCode: regionPrefixQuery.optional(),
      /** first day (Asia/Shanghai); with `to` absent both default to the current half year */
      from: calendarDate.optional(),
      to: calendarDate.optional(),
      format: z.enum(['pdf', 'xlsx']).default('pdf'),
      /** a stored version; the newest by default */
      version: z.coerce.number().int().min(1).optional(),
    })
    .refine((q) => (q.from === undefined) === (q.to === undefined), { message: 'from and to go together', path: ['to'] })
    .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['from'] })
    .refine((q) => !q.from || !q.to || Date.parse(q.to) - Date.parse(q.from) <= 365 * 86_400_000, { message: 'a period spans at most 366 days', path: ['to'] }),
) {}

/** The report whose versions are listed or regenerated: without from/to, the current half year. */
export class HalfYearReportPeriodDto extends createZodDto(
  z
    .object({
      regionCode: regionPrefixQuery.optional(),
      from: calendarDate.optional(),
      to: calendarDate.optional(),
    })
    .refine((q) => (q.from === undefined) === (q.to === undefined), { message: 'from and to go together', path: ['to'] })
    .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['from'] })
    .refine((q) => !q.from || !q.to || Date.parse(q.to) - Date.parse(q.from) <= 365 * 86_400_000, { message: 'a period spans at most 366 days', path: ['to'] }),
) {}
