import { isPointType, type PointType } from '@sw/sensors';
import { z } from 'zod';

export const credentialsPointSchema = z.object({
  code: z.string().min(1),
  type: z.string().refine(isPointType, { message: 'not a catalog point type' }).transform((t) => t as PointType),
  unit: z.string(),
  /** The point's registered expectedIntervalS: how often `run` publishes it. */
  intervalS: z.number().positive(),
  /** The healthy reading, in the point's unit. */
  baseline: z.number().finite(),
  name: z.string().optional(),
});

export const credentialsGatewaySchema = z.object({
  code: z.string().min(3),
  password: z.string().min(1),
  enterprise: z.string().optional(),
  points: z.array(credentialsPointSchema).min(1),
});

const registerSchema = z.object({
  function: z.enum(['coil', 'discrete', 'holding', 'input']),
  address: z.number().int().min(0).max(65535),
  type: z.enum(['bool', 'int16', 'uint16', 'int32', 'uint32', 'float32', 'float64']),
  wordOrder: z.enum(['ABCD', 'CDAB', 'BADC', 'DCBA']).optional(),
  scale: z.number().finite().optional(),
  offset: z.number().finite().optional(),
});

/** A polled gateway the simulator serves as a Modbus TCP device (no secret: ingest polls it). */
export const modbusDeviceSchema = z.object({
  code: z.string().min(3),
  enterprise: z.string().optional(),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  unitId: z.number().int().min(0).max(255),
  points: z.array(credentialsPointSchema.extend({ register: registerSchema })).min(1),
});

/** `.demo/credentials.json`: everything `run` needs, and secrets, so the file is 0600. */
export const credentialsFileSchema = z.object({
  version: z.literal(1),
  kind: z.enum(['demo', 'bench']),
  brokerUrl: z.string().min(1),
  writtenAt: z.string(),
  gateways: z.array(credentialsGatewaySchema).min(1),
  modbusDevices: z.array(modbusDeviceSchema).optional(),
});

export type CredentialsPoint = z.infer<typeof credentialsPointSchema>;
export type CredentialsGateway = z.infer<typeof credentialsGatewaySchema>;
export type CredentialsFile = z.infer<typeof credentialsFileSchema>;
export type ModbusDeviceSpec = z.infer<typeof modbusDeviceSchema>;
