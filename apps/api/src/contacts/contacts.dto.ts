import { RISK_CATEGORIES } from '@sw/persistence';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

const phone = z.string().regex(/^(\+86)?1[3-9]\d{9}$|^\+[1-9]\d{6,14}$/, 'phone must be a mainland mobile number (11 digits, optional +86) or an E.164 number');

const contactFields = {
  name: z.string().trim().min(1).max(64),
  phone: phone.nullable().default(null),
  /** The `key` of the WeCom group robot's webhook URL: a credential. */
  wecomRobotToken: z.string().regex(/^[A-Za-z0-9-]{8,64}$/, 'wecomRobotToken must be the key of a WeCom robot webhook').nullable().default(null),
  /** The person's openid at the Official Account (they follow it). */
  wechatOpenid: z.string().regex(/^[A-Za-z0-9_-]{6,64}$/, 'wechatOpenid must be an Official Account openid').nullable().default(null),
};
const reachable = (c: { phone: string | null; wecomRobotToken: string | null; wechatOpenid: string | null }) => c.phone !== null || c.wecomRobotToken !== null || c.wechatOpenid !== null;
const reachableMessage = { message: 'a contact needs a phone, a WeCom robot or a WeChat openid' };

/** One person notifications reach (docs/domain.md, escalation table): at least one way to reach them. */
export const contactSchema = z.object(contactFields).strict().refine(reachable, reachableMessage);

export type ContactInput = z.infer<typeof contactSchema>;

export const enterpriseContactsSchema = z
  .object({
    /** 安全管理人员 */
    safetyOfficer: contactSchema.nullable(),
    /** 主要负责人 */
    principal: contactSchema.nullable(),
  })
  .strict();

export const dutyOfficersSchema = z.object({ officers: z.array(contactSchema).max(20) }).strict();

/** 行业管理部门 of one risk category in a region: the department and the person it reaches. */
export const industryDepartmentSchema = z
  .object({ category: z.enum(RISK_CATEGORIES), department: z.string().trim().min(1).max(100), ...contactFields })
  .strict()
  .refine(reachable, reachableMessage);

export const industryDepartmentsSchema = z
  .object({ departments: z.array(industryDepartmentSchema).max(RISK_CATEGORIES.length) })
  .strict()
  .refine((b) => new Set(b.departments.map((d) => d.category)).size === b.departments.length, { message: 'one department per category', path: ['departments'] });

export type IndustryDepartmentInput = z.infer<typeof industryDepartmentSchema>;

export class EnterpriseContactsDto extends createZodDto(enterpriseContactsSchema) {}
export class DutyOfficersDto extends createZodDto(dutyOfficersSchema) {}
export class IndustryDepartmentsDto extends createZodDto(industryDepartmentsSchema) {}
