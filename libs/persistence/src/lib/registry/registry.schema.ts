import { z } from 'zod';
import { isPointType, isValidRegionCode, isValidUscc, POINT_CATALOG, TIERS, type PointType } from '@sw/sensors';
import { ENTERPRISE_STATUSES, RISK_CATEGORIES, STANDARDIZATION_GRADES } from '../entities/enterprise.entity';
import { GATEWAY_PROTOCOLS } from '../entities/gateway.entity';
import { checkLedgerFields, ledgerFieldsShape, personnelShape } from '../ledger/ledger-fields.schema';

/** docs/contracts.md §4: gateway and point codes. */
export const GATEWAY_CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{2,63}$/;
export const POINT_CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export const createEnterpriseSchema = z.object({
  name: z.string().trim().min(1).max(200),
  uscc: z
    .string()
    .trim()
    .toUpperCase()
    .refine(isValidUscc, { message: 'uscc is not a valid 统一社会信用代码 (GB 32100 check character)' }),
  regionCode: z.string().refine(isValidRegionCode, { message: 'regionCode must be six digits (GB/T 2260)' }),
  riskCategories: z.array(z.enum(RISK_CATEGORIES)).min(1).refine((a) => new Set(a).size === a.length, {
    message: 'riskCategories has duplicates',
  }),
  dustWorkers: z.number().int().min(0).nullish(),
  employees: z.number().int().min(0).nullish(),
  status: z.enum(ENTERPRISE_STATUSES).default('operating'),
  standardizationGrade: z.enum(STANDARDIZATION_GRADES).nullish(),
  ...ledgerFieldsShape,
  ...personnelShape,
});

/** docs/contracts.md §4 `POST /enterprises`: every ledger field, with the rules across fields. */
export const newEnterpriseSchema = createEnterpriseSchema.superRefine((r, ctx) => checkLedgerFields(r, ctx));
export type CreateEnterpriseInput = z.input<typeof createEnterpriseSchema>;

export const modbusSettingsSchema = z.object({
  host: z.string().min(1).max(255),
  port: z.number().int().min(1).max(65535).default(502),
  unitId: z.number().int().min(0).max(255).default(1),
  pollIntervalMs: z.number().int().min(100).max(3_600_000).default(1000),
  timeoutMs: z.number().int().min(50).max(60_000).default(1000),
});

export const createGatewaySchema = z
  .object({
    code: z.string().regex(GATEWAY_CODE, 'code must match ^[A-Za-z0-9][A-Za-z0-9_-]{2,63}$'),
    protocol: z.enum(GATEWAY_PROTOCOLS).default('mqtt'),
    modbus: modbusSettingsSchema.nullish(),
  })
  .refine((g) => (g.protocol === 'modbus-tcp') === Boolean(g.modbus), {
    message: 'modbus settings are required for, and only for, protocol modbus-tcp',
    path: ['modbus'],
  });
export type CreateGatewayInput = z.input<typeof createGatewaySchema>;

const setpoints = z
  .object(Object.fromEntries(TIERS.map((t) => [t, z.number().finite().optional()])))
  .strict()
  .nullable()
  .optional();

export const thresholdsSchema = z
  .object({
    high: setpoints,
    low: setpoints,
    deadband: z.number().finite().min(0).optional(),
    onDelayS: z.number().int().min(0).max(86_400).optional(),
    offDelayS: z.number().int().min(0).max(86_400).optional(),
  })
  .strict();

export const registerMapSchema = z.object({
  function: z.enum(['coil', 'discrete', 'holding', 'input']),
  address: z.number().int().min(0).max(65535),
  type: z.enum(['bool', 'int16', 'uint16', 'int32', 'uint32', 'float32', 'float64']),
  wordOrder: z.enum(['ABCD', 'CDAB', 'BADC', 'DCBA']).default('ABCD'),
  scale: z.number().finite().default(1),
  offset: z.number().finite().default(0),
});

export const createPointSchema = z
  .object({
    code: z.string().regex(POINT_CODE, 'code must match ^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$'),
    type: z.string().refine(isPointType, { message: 'type is not in the point catalog' }),
    unit: z.string().max(16).optional(), // '' for digital points
    name: z.string().trim().min(1).max(200),
    location: z.string().trim().max(200).nullish(),
    mandatory: z.boolean().default(false),
    expectedIntervalS: z.number().int().min(1).max(86_400).default(60),
    register: registerMapSchema.nullish(),
    thresholds: thresholdsSchema.nullish(),
  })
  .transform((p, ctx) => {
    const spec = POINT_CATALOG[p.type as PointType];
    const unit = p.unit ?? spec.unit;
    if (spec.units.length > 0 && !spec.units.includes(unit)) {
      ctx.addIssue({ code: 'custom', path: ['unit'], message: `unit for ${p.type} must be one of ${spec.units.join(', ')}` });
      return z.NEVER;
    }
    return { ...p, type: p.type as PointType, unit };
  });
export type CreatePointInput = z.input<typeof createPointSchema>;

/** Flattens zod issues into the one-line reasons the CLI and the API return. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message));
}
