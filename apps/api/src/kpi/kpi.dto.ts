import { calendarDate } from '@sw/persistence';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { regionPrefixQuery } from '../enterprises/enterprises.dto';

export class ConnectionKpiQueryDto extends createZodDto(
  z.object({
    /** region prefix; a regulator's own by default */
    regionCode: regionPrefixQuery.optional(),
    /** Asia/Shanghai day; today by default */
    asOf: calendarDate.optional(),
  }),
) {}

/** A period of Asia/Shanghai days, both included (at most 366). */
const periodObject = z.object({
  /** region prefix; a regulator's own by default */
  regionCode: regionPrefixQuery.optional(),
  from: calendarDate,
  to: calendarDate,
});

function checkedPeriod<S extends typeof periodObject>(schema: S) {
  return schema
    .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['from'] })
    .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 365 * 86_400_000, { message: 'a period spans at most 366 days', path: ['to'] });
}

export const periodQuerySchema = checkedPeriod(periodObject);

export class PeriodKpiQueryDto extends createZodDto(periodQuerySchema) {}

export class AlarmLoadQueryDto extends createZodDto(checkedPeriod(periodObject.extend({ dutyOfficers: z.coerce.number().int().min(1).max(1000).default(1) }))) {}
