import { calendarDate, contactPhone, ENTERPRISE_STATUSES, newEnterpriseSchema, PERSONNEL_ROLES, personName, RISK_CATEGORIES, updateEnterpriseSchema } from '@sw/persistence';
import { normalizeRegionPrefix } from '@sw/sensors';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { pageQuerySchema } from '../http/paging.dto';

export class CreateEnterpriseDto extends createZodDto(newEnterpriseSchema) {}
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

/** An enterprise's report of a new 主要负责人, 实际控制人 or 安全管理人员 (effectiveDate: default today). */
export class SubmitPersonnelChangeDto extends createZodDto(
  z
    .object({
      role: z.enum(PERSONNEL_ROLES),
      name: personName,
      phone: contactPhone.nullish(),
      effectiveDate: calendarDate.optional(),
      note: z.string().trim().min(1).max(500).nullish(),
    })
    .strict(),
) {}

export class DecidePersonnelChangeDto extends createZodDto(z.object({ reason: z.string().trim().min(1).max(500).nullish() }).strict()) {}
