import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

const phone = z.string().regex(/^(\+86)?1[3-9]\d{9}$|^\+[1-9]\d{6,14}$/, 'phone must be a mainland mobile number (11 digits, optional +86) or an E.164 number');

/** One person notifications reach (docs/domain.md, escalation table): at least one way to reach them. */
export const contactSchema = z
  .object({
    name: z.string().trim().min(1).max(64),
    phone: phone.nullable().default(null),
    /** The `key` of the WeCom group robot's webhook URL: a credential. */
    wecomRobotToken: z.string().regex(/^[A-Za-z0-9-]{8,64}$/, 'wecomRobotToken must be the key of a WeCom robot webhook').nullable().default(null),
    /** The person's openid at the Official Account (they follow it). */
    wechatOpenid: z.string().regex(/^[A-Za-z0-9_-]{6,64}$/, 'wechatOpenid must be an Official Account openid').nullable().default(null),
  })
  .strict()
  .refine((c) => c.phone !== null || c.wecomRobotToken !== null || c.wechatOpenid !== null, { message: 'a contact needs a phone, a WeCom robot or a WeChat openid' });

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

export class EnterpriseContactsDto extends createZodDto(enterpriseContactsSchema) {}
export class DutyOfficersDto extends createZodDto(dutyOfficersSchema) {}
