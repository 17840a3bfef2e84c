import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { regionPrefixQuery } from '../enterprises/enterprises.dto';
import { ListHazardsQueryDto } from './hazards.dto';

/** The list's filters (no paging: the whole filtered list) and the file format. */
export class ExportHazardsQueryDto extends createZodDto(
  ListHazardsQueryDto.schema.omit({ page: true, pageSize: true }).extend({ format: z.enum(['csv', 'xlsx']).default('csv') }),
) {}

/** An instant, or a day `YYYY-MM-DD` meaning its start in Asia/Shanghai. */
const instant = z.union([
  z.iso.date().transform((d) => new Date(`${d}T00:00:00+08:00`).toISOString()),
  z.iso.datetime({ offset: true }).transform((t) => new Date(t).toISOString()),
]);

/** The analysis period [from, to) and an optional region prefix (within the caller's scope). */
export class HazardAnalysisQueryDto extends createZodDto(
  z
    .object({ from: instant, to: instant, regionCode: regionPrefixQuery.optional() })
    .refine((q) => Date.parse(q.from) < Date.parse(q.to), { message: 'from must lie before to', path: ['to'] }),
) {}
