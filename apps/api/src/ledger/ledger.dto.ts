import { createZodDto } from 'nestjs-zod';
import { calendarDate } from '@sw/persistence';
import { z } from 'zod';
import { regionPrefixQuery } from '../enterprises/enterprises.dto';

export class ImportLedgerQueryDto extends createZodDto(
  z.object({
    /** `all-or-nothing` (default): one bad row imports nothing; `valid-only`: the valid rows are imported */
    mode: z.enum(['all-or-nothing', 'valid-only']).default('all-or-nothing'),
    /** `true`: answer 202 with the job at once and follow it at `GET /imports/{id}` */
    async: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  }),
) {}

export class ExportLedgerQueryDto extends createZodDto(
  z.object({
    format: z.enum(['csv', 'xlsx']).default('csv'),
    regionCode: regionPrefixQuery.optional(),
  }),
) {}

export class LedgerQualityQueryDto extends createZodDto(
  z.object({
    format: z.enum(['json', 'csv', 'xlsx']).default('json'),
    regionCode: regionPrefixQuery.optional(),
    /** the day checked (scope, status, validity); default today, Asia/Shanghai */
    asOf: calendarDate.optional(),
  }),
) {}
