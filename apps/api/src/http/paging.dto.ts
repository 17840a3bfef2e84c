import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

/** docs/contracts.md §4: `page` from 1, `pageSize` default 50, at most 500. */
export const pageQuerySchema = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});

export class PageQueryDto extends createZodDto(pageQuerySchema) {}

/**
 * An ISO 8601 time in a query string (docs/contracts.md §4), as a Date: a date-time with `Z` or an
 * offset, or a bare date meaning the start of that Asia/Shanghai day.
 */
export const isoTime = z.union([z.iso.datetime({ offset: true }), z.iso.date()]).transform((s) => new Date(s.length === 10 ? `${s}T00:00:00+08:00` : s));
