import { z } from 'zod';
import { calendarDate } from '../registry/registry-update.schema';
import { createEnterpriseSchema } from '../registry/registry.schema';

/**
 * One ledger (台账) row: the enterprise as registered, plus `statusSince`, the Asia/Shanghai day
 * from which its current status holds (the status history's latest entry). Export writes it and
 * import reads it, so a round trip keeps the history's last step.
 */
const personName = z.string().trim().min(1).max(64);
/** the notifications' rule for a contact phone (SMS goes to it): mainland mobile, optional +86, or E.164 */
const phone = z.string().trim().regex(/^(\+86)?1[3-9]\d{9}$|^\+[1-9]\d{6,14}$/, 'must be a mainland mobile number (11 digits, optional +86) or an E.164 number');

export const ledgerRecordSchema = createEnterpriseSchema
  .extend({
    statusSince: calendarDate.nullish(),
    /** 主要负责人 and 安全管理人员: the enterprise's contacts (enterprise_contacts), name and phone */
    principalName: personName.nullish(),
    principalPhone: phone.nullish(),
    safetyOfficerName: personName.nullish(),
    safetyOfficerPhone: phone.nullish(),
  })
  .refine((r) => !r.principalPhone || r.principalName, { message: 'principalPhone needs principalName', path: ['principalName'] })
  .refine((r) => !r.safetyOfficerPhone || r.safetyOfficerName, { message: 'safetyOfficerPhone needs safetyOfficerName', path: ['safetyOfficerName'] });
export type LedgerRecord = z.output<typeof ledgerRecordSchema>;

/** Column order of the ledger files: code name and the Chinese header Excel users see. */
export const LEDGER_COLUMNS = [
  ['name', '企业名称'],
  ['uscc', '统一社会信用代码'],
  ['regionCode', '行政区划代码'],
  ['riskCategories', '风险类别'],
  ['dustWorkers', '涉粉作业人数'],
  ['employees', '从业人数'],
  ['standardizationGrade', '标准化等级'],
  ['principalName', '主要负责人'],
  ['principalPhone', '主要负责人电话'],
  ['safetyOfficerName', '安全管理人员'],
  ['safetyOfficerPhone', '安全管理人员电话'],
  ['status', '经营状态'],
  ['statusSince', '状态生效日期'],
] as const satisfies readonly (readonly [keyof LedgerRecord, string])[];
export type LedgerColumn = (typeof LEDGER_COLUMNS)[number][0];
