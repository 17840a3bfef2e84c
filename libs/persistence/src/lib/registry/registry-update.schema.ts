import { z } from 'zod';
import { validateThresholds } from '@sw/rules';
import { ENTERPRISE_STATUSES } from '../entities/enterprise.entity';
import { createEnterpriseSchema, modbusSettingsSchema, registerMapSchema, thresholdsSchema } from './registry.schema';

/** An Asia/Shanghai calendar day, `YYYY-MM-DD`, that exists. */
export const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), {
    message: 'must be a real calendar date',
  });

/**
 * CONTRACTS.md §4 `PATCH /enterprises/{id}`: any field of the enterprise; a `status` change takes an
 * optional `effectiveDate` (default today, Asia/Shanghai) and is kept as history.
 */
export const updateEnterpriseSchema = createEnterpriseSchema
  .omit({ status: true })
  .partial()
  .extend({
    status: z.enum(ENTERPRISE_STATUSES).optional(),
    effectiveDate: calendarDate.optional(),
  })
  .strict()
  .refine((p) => p.effectiveDate === undefined || p.status !== undefined, {
    message: 'effectiveDate goes with status',
    path: ['effectiveDate'],
  });
export type UpdateEnterpriseInput = z.input<typeof updateEnterpriseSchema>;

/** A gateway's code and protocol identify it to the broker; only the Modbus settings change. */
export const updateGatewaySchema = z.object({ modbus: modbusSettingsSchema }).strict();
export type UpdateGatewayInput = z.input<typeof updateGatewaySchema>;

/** Setpoint shapes (zod) plus their order and deadband rules (`validateThresholds` of @sw/rules). */
export const checkedThresholdsSchema = thresholdsSchema.superRefine((t, ctx) => {
  for (const message of validateThresholds(t)) ctx.addIssue({ code: 'custom', message });
});

/** CONTRACTS.md §4 `PATCH /points/{id}`: code and type identify the point and stay. */
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
