import { calendarDate } from '@sw/persistence';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { regionPrefixQuery } from '../enterprises/enterprises.dto';
import { SECTION_KEYS } from './work-summary.types';

export class RegionQueryDto extends createZodDto(z.object({ regionCode: regionPrefixQuery.optional() })) {}

export class CreateLedgerSnapshotDto extends createZodDto(
  z.object({
    /** region prefix; a regulator's own by default, required for an admin */
    regionCode: regionPrefixQuery.optional(),
    /** the day the ledger is frozen as of (Asia/Shanghai); today by default, never in the future */
    asOf: calendarDate.optional(),
  }),
) {}

/** A half year: 1 January–30 June or 1 July–31 December. */
const halfYear = z
  .object({ regionCode: regionPrefixQuery.optional(), from: calendarDate, to: calendarDate })
  .refine((q) => (q.from.slice(5) === '01-01' && q.to === `${q.from.slice(0, 4)}-06-30`) || (q.from.slice(5) === '07-01' && q.to === `${q.from.slice(0, 4)}-12-31`), {
    message: 'a half year runs from 01-01 to 06-30 or from 07-01 to 12-31',
    path: ['to'],
  });

export class OpenWorkSummaryDto extends createZodDto(halfYear) {}

const narrative = z.string().max(20_000);

export class SaveWorkSummaryDto extends createZodDto(
  z.object({
    /** the narrative of each section written so far; sections left out keep theirs */
    narratives: z.object(Object.fromEntries(SECTION_KEYS.map((k) => [k, narrative.optional()])) as Record<(typeof SECTION_KEYS)[number], z.ZodOptional<typeof narrative>>).strict(),
    /** the revision the text was edited from; a newer stored revision answers 409 */
    revision: z.number().int().min(1).optional(),
  }),
) {}

export class FinalizeWorkSummaryDto extends createZodDto(z.object({ revision: z.number().int().min(1).optional() })) {}

export class DocumentQueryDto extends createZodDto(z.object({ format: z.enum(['docx', 'pdf']).default('pdf') })) {}
