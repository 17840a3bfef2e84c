import { z } from 'zod';
import { validateThresholds } from '@sw/rules';
import { ENTERPRISE_STATUSES } from '../entities/enterprise.entity';
import { calendarDate, checkLedgerFields, contactPhone, ledgerListsPatchShape, personName } from '../ledger/ledger-fields.schema';
import { createEnterpriseSchema, modbusSettingsSchema, registerMapSchema, thresholdsSchema } from './registry.schema';


/**
 * docs/contracts.md §4 `PATCH /enterprises/{id}`: any field of the enterprise; a `status` change takes an
 * optional `effectiveDate` (default today, Asia/Shanghai) and `statusReason` and is kept as history.
 * The personnel (主要负责人, 实际控制人, 安全管理人员) change through `PATCH` too (regulators) and are kept
 * as personnel history.
 */
export const updateEnterpriseSchema = createEnterpriseSchema
  .omit({ status: true })
  .partial()
  .extend({
    ...ledgerListsPatchShape,
    // a person is replaced, never removed (the ledger keeps someone in each role); phone null clears it
    principalName: personName.optional(),
    principalPhone: contactPhone.nullable().optional(),
    actualControllerName: personName.optional(),
    actualControllerPhone: contactPhone.nullable().optional(),
    safetyOfficerName: personName.optional(),
    safetyOfficerPhone: contactPhone.nullable().optional(),
    status: z.enum(ENTERPRISE_STATUSES).optional(),
    effectiveDate: calendarDate.optional(),
    /** why the status changed (停产整顿, 关停取缔, …), kept in the status history */
    statusReason: z.string().trim().min(1).max(200).optional(),
  })
  .strict()
  .refine((p) => (p.effectiveDate === undefined && p.statusReason === undefined) || p.status !== undefined, {
    message: 'effectiveDate and statusReason go with status',
    path: ['effectiveDate'],
  })
  // a partial change is checked as given; pairs (longitude/latitude, name/phone) are sent together
  .superRefine((p, ctx) => checkLedgerFields(p, ctx, true));
export type UpdateEnterpriseInput = z.input<typeof updateEnterpriseSchema>;

/** A gateway's code and protocol identify it to the broker; only the Modbus settings change. */
export const updateGatewaySchema = z.object({ modbus: modbusSettingsSchema }).strict();
export type UpdateGatewayInput = z.input<typeof updateGatewaySchema>;

/** Setpoint shapes (zod) plus their order and deadband rules (`validateThresholds` of @sw/rules). */
export const checkedThresholdsSchema = thresholdsSchema.superRefine((t, ctx) => {
  for (const message of validateThresholds(t)) ctx.addIssue({ code: 'custom', message });
});

/** docs/contracts.md §4 `PATCH /points/{id}`: code and type identify the point and stay. */
export const updatePointSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    location: z.string().trim().max(200).nullable(),
    mandatory: z.boolean(),
    expectedIntervalS: z.number().int().min(1).max(86_400),
    register: registerMapSchema.nullable(),
    thresholds: checkedThresholdsSchema.nullable(),
  })
  .partial()
  .strict();
export type UpdatePointInput = z.input<typeof updatePointSchema>;

/** Longest maintenance window: one week. */
export const MAINTENANCE_MAX_MINUTES = 10_080;

export const maintenanceSchema = z
  .object({
    minutes: z.number().int().min(1).max(MAINTENANCE_MAX_MINUTES),
    reason: z.string().trim().min(1).max(2000),
  })
  .strict();
export type MaintenanceInput = z.input<typeof maintenanceSchema>;
