import { createEnterpriseSchema, ENTERPRISE_STATUSES, RISK_CATEGORIES, updateEnterpriseSchema } from '@sw/persistence';
import { normalizeRegionPrefix } from '@sw/sensors';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { pageQuerySchema } from '../http/paging.dto';

export class CreateEnterpriseDto extends createZodDto(createEnterpriseSchema) {}
export class UpdateEnterpriseDto extends createZodDto(updateEnterpriseSchema) {}

export const regionPrefixQuery = z.string().transform((code, ctx) => {
  const prefix = normalizeRegionPrefix(code);
  if (!prefix) ctx.addIssue({ code: 'custom', message: 'regionCode must be a region prefix of 2, 4 or 6 digits' });
  return prefix ?? '';
});

export class ListEnterprisesQueryDto extends createZodDto(
  pageQuerySchema.extend({
    regionCode: regionPrefixQuery.optional(),
    status: z.enum(ENTERPRISE_STATUSES).optional(),
    category: z.enum(RISK_CATEGORIES).optional(),
    q: z.string().trim().min(1).max(100).optional(),
  }),
) {}
