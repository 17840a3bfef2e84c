import { parseArgs } from 'node:util';
import { RegistryError, RegistryService, type CreatePointInput } from '@sw/persistence';
import type { DataSource } from 'typeorm';

export type Output = (value: Record<string, unknown>, text: string) => void;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function enterpriseAdd(ds: DataSource, args: string[], out: Output): Promise<void> {
  const { values: v } = parseArgs({
    args,
    options: {
      name: { type: 'string' },
      uscc: { type: 'string' },
      region: { type: 'string' },
      categories: { type: 'string' },
      'dust-workers': { type: 'string' },
      employees: { type: 'string' },
    },
  });
  const enterprise = await new RegistryService(ds).createEnterprise({
    name: v.name ?? '',
    uscc: v.uscc ?? '',
    regionCode: v.region ?? '',
    riskCategories: (v.categories ?? '').split(',').filter(Boolean) as never,
    dustWorkers: optionalInt(v['dust-workers'], 'dust-workers'),
    employees: optionalInt(v.employees, 'employees'),
  });
  out({ enterprise }, `enterprise ${enterprise.name} registered: id ${enterprise.id}`);
}

export async function gatewayAdd(ds: DataSource, args: string[], out: Output): Promise<void> {
  const { values: v } = parseArgs({
    args,
    options: {
      enterprise: { type: 'string' },
      code: { type: 'string' },
      protocol: { type: 'string', default: 'mqtt' },
      'modbus-host': { type: 'string' },
      'modbus-port': { type: 'string', default: '502' },
      'unit-id': { type: 'string', default: '1' },
      'poll-ms': { type: 'string', default: '1000' },
      'timeout-ms': { type: 'string', default: '1000' },
    },
  });
  const registry = new RegistryService(ds);
  const enterpriseId = await resolveEnterprise(registry, v.enterprise);
  const modbus = v['modbus-host']
    ? {
        host: v['modbus-host'],
        port: Number(v['modbus-port']),
        unitId: Number(v['unit-id']),
        pollIntervalMs: Number(v['poll-ms']),
        timeoutMs: Number(v['timeout-ms']),
      }
    : null;
  const { gateway, mqtt } = await registry.createGateway(enterpriseId, { code: v.code ?? '', protocol: v.protocol as 'mqtt', modbus });
  const text = mqtt
    ? `gateway ${gateway.code} registered: id ${gateway.id}\nMQTT username: ${mqtt.username}\nMQTT password: ${mqtt.password}\n(shown once; store it on the gateway now)`
    : `gateway ${gateway.code} registered: id ${gateway.id} (polled over Modbus TCP, no MQTT credentials)`;
  out({ gateway: { id: gateway.id, code: gateway.code, protocol: gateway.protocol, enterpriseId }, mqtt }, text);
}

export async function gatewayRotate(ds: DataSource, args: string[], out: Output): Promise<void> {
  const { values: v } = parseArgs({ args, options: { code: { type: 'string' } } });
  const registry = new RegistryService(ds);
  const gateway = await registry.findGatewayByCode(v.code ?? '');
  if (!gateway) throw new RegistryError('not_found', `gateway ${v.code ?? ''} not found`);
  const mqtt = await registry.rotateCredentials(gateway.id);
  out({ mqtt }, `new MQTT password for ${mqtt.username}: ${mqtt.password}\n(shown once; the old one no longer works)`);
}

export async function pointAdd(ds: DataSource, args: string[], out: Output): Promise<void> {
  const { values: v } = parseArgs({
    args,
    options: {
      gateway: { type: 'string' },
      code: { type: 'string' },
      type: { type: 'string' },
      name: { type: 'string' },
      unit: { type: 'string' },
      location: { type: 'string' },
      mandatory: { type: 'boolean', default: false },
      interval: { type: 'string' },
      thresholds: { type: 'string' },
      register: { type: 'string' },
    },
  });
  const registry = new RegistryService(ds);
  const gateway = await registry.findGatewayByCode(v.gateway ?? '');
  if (!gateway) throw new RegistryError('not_found', `gateway ${v.gateway ?? ''} not found`);
  const input: CreatePointInput = {
    code: v.code ?? '',
    type: v.type ?? '',
    name: v.name ?? v.code ?? '',
    unit: v.unit,
    location: v.location,
    mandatory: v.mandatory,
    expectedIntervalS: optionalInt(v.interval, 'interval') ?? undefined,
    thresholds: v.thresholds ? parseJson(v.thresholds, 'thresholds') : undefined,
    register: v.register ? parseJson(v.register, 'register') : undefined,
  };
  const point = await registry.createPoint(gateway.id, input);
  out({ point }, `point ${point.code} (${point.type}, ${point.unit}) registered on ${gateway.code}: id ${point.id}`);
}

async function resolveEnterprise(registry: RegistryService, ref: string | undefined): Promise<string> {
  if (!ref) throw new RegistryError('invalid', '--enterprise <id or uscc> is required');
  if (UUID.test(ref)) return ref;
  const enterprise = await registry.findEnterpriseByUscc(ref);
  if (!enterprise) throw new RegistryError('not_found', `no enterprise with uscc ${ref}`);
  return enterprise.id;
}

function optionalInt(value: string | undefined, name: string): number | null {
  if (value === undefined) return null;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new RegistryError('invalid', `--${name} must be a whole number`);
  return n;
}

function parseJson<T>(text: string, name: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new RegistryError('invalid', `--${name} must be JSON`);
  }
}
