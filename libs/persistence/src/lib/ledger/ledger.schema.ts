import { z } from 'zod';
import { createEnterpriseSchema } from '../registry/registry.schema';
import { calendarDate, checkLedgerFields } from './ledger-fields.schema';

/**
 * One ledger (台账) row: the enterprise as registered with every ledger field and its three people,
 * plus `statusSince` and `statusReason`, the Asia/Shanghai day from which its current status holds
 * and why (the status history's latest entry). Export writes it and import reads it, so a round
 * trip keeps the history's last step.
 */
export const ledgerRecordSchema = createEnterpriseSchema
  .extend({
    statusSince: calendarDate.nullish(),
    statusReason: z.string().trim().min(1).max(200).nullish(),
  })
  .superRefine((r, ctx) => checkLedgerFields(r, ctx));
export type LedgerRecord = z.output<typeof ledgerRecordSchema>;
