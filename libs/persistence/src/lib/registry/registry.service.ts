import type { DataSource } from 'typeorm';
import type { z } from 'zod';
import { Enterprise } from '../entities/enterprise.entity';
import { EnterpriseStatusChange } from '../entities/enterprise-status-change.entity';
import { Gateway } from '../entities/gateway.entity';
import { Point } from '../entities/point.entity';
import { RegistryError } from './registry.errors';
import {
  newEnterpriseSchema,
  createGatewaySchema,
  createPointSchema,
  describeIssues,
  type CreateEnterpriseInput,
  type CreateGatewayInput,
  type CreatePointInput,
} from './registry.schema';
import { writePersonnel } from '../ledger/personnel.repository';
import { generateSecret, hashGatewaySecret, mosquittoHash } from './secrets';

export interface MqttCredentials {
  username: string;
  password: string;
}

/**
 * Writes to the registry of enterprises, gateways and points. Used by the CLI now and by the REST
 * API later, so validation and uniqueness rules live here once.
 */
export class RegistryService {
  constructor(private readonly ds: DataSource) {}

  /** Registers an enterprise with its ledger fields; its people start the personnel history (`by`: the user). */
  async createEnterprise(input: CreateEnterpriseInput, today = shanghaiToday(), by: string | null = null): Promise<Enterprise> {
    const { principalName, principalPhone, actualControllerName, actualControllerPhone, safetyOfficerName, safetyOfficerPhone, ...data } = parse(newEnterpriseSchema, input, 'enterprise');
    const people = { principalName, principalPhone, actualControllerName, actualControllerPhone, safetyOfficerName, safetyOfficerPhone };
    return this.ds.transaction(async (em) => {
      if (await em.existsBy(Enterprise, { uscc: data.uscc })) {
        throw new RegistryError('conflict', `an enterprise with uscc ${data.uscc} already exists`);
      }
      const enterprise = await em.save(Enterprise, em.create(Enterprise, { ...data, dustWorkers: data.dustWorkers ?? null, employees: data.employees ?? null }));
      await em.save(EnterpriseStatusChange, em.create(EnterpriseStatusChange, { enterpriseId: enterprise.id, status: enterprise.status, effectiveDate: today }));
      await writePersonnel(em, enterprise.id, people, today, { source: 'registry', changedBy: by });
      return enterprise;
    });
  }

  /** Registers a gateway; an MQTT gateway's credentials are returned this once and never again. */
  async createGateway(enterpriseId: string, input: CreateGatewayInput): Promise<{ gateway: Gateway; mqtt: MqttCredentials | null }> {
    const data = parse(createGatewaySchema, input, 'gateway');
    if (!(await this.ds.getRepository(Enterprise).existsBy({ id: enterpriseId }))) {
      throw new RegistryError('not_found', `enterprise ${enterpriseId} not found`);
    }
    if (await this.ds.getRepository(Gateway).existsBy({ code: data.code })) {
      throw new RegistryError('conflict', `a gateway with code ${data.code} already exists`);
    }
    const secret = data.protocol === 'mqtt' ? generateSecret() : null;
    const gateway = this.ds.getRepository(Gateway).create({
      enterpriseId,
      code: data.code,
      protocol: data.protocol,
      modbus: data.modbus ?? null,
      ...(secret ? await hashesFor(secret) : { secretHash: null, mosquittoHash: null, secretRotatedAt: null }),
    });
    const saved = await this.ds.getRepository(Gateway).save(gateway);
    return { gateway: saved, mqtt: secret ? { username: saved.code, password: secret } : null };
  }

  /** A new secret; the old one stops working as soon as ingest sees the change (NOTIFY). */
  async rotateCredentials(gatewayId: string): Promise<MqttCredentials> {
    const gateway = await this.ds.getRepository(Gateway).findOneBy({ id: gatewayId });
    if (!gateway) throw new RegistryError('not_found', `gateway ${gatewayId} not found`);
    if (gateway.protocol !== 'mqtt') throw new RegistryError('invalid', 'only mqtt gateways have credentials');
    const secret = generateSecret();
    await this.ds.getRepository(Gateway).update({ id: gatewayId }, await hashesFor(secret));
    return { username: gateway.code, password: secret };
  }

  async createPoint(gatewayId: string, input: CreatePointInput): Promise<Point> {
    const data = parse(createPointSchema, input, 'point');
    const gateway = await this.ds.getRepository(Gateway).findOneBy({ id: gatewayId });
    if (!gateway) throw new RegistryError('not_found', `gateway ${gatewayId} not found`);
    if (gateway.protocol === 'modbus-tcp' && !data.register) {
      throw new RegistryError('invalid', 'a point of a modbus-tcp gateway needs a register');
    }
    if (await this.ds.getRepository(Point).existsBy({ gatewayId, code: data.code })) {
      throw new RegistryError('conflict', `gateway ${gateway.code} already has a point ${data.code}`);
    }
    const repo = this.ds.getRepository(Point);
    return repo.save(
      repo.create({
        ...data,
        gatewayId,
        location: data.location ?? null,
        register: data.register ?? null,
        thresholds: data.thresholds ?? null,
      }),
    );
  }

  findEnterpriseByUscc(uscc: string): Promise<Enterprise | null> {
    return this.ds.getRepository(Enterprise).findOneBy({ uscc: uscc.toUpperCase() });
  }

  findGatewayByCode(code: string): Promise<Gateway | null> {
    return this.ds.getRepository(Gateway).findOneBy({ code });
  }
}

async function hashesFor(secret: string) {
  const [secretHash, mqHash] = await Promise.all([hashGatewaySecret(secret), mosquittoHash(secret)]);
  return { secretHash, mosquittoHash: mqHash, secretRotatedAt: new Date() };
}

function parse<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const details = describeIssues(result.error);
    throw new RegistryError('invalid', `invalid ${what}: ${details.join('; ')}`, details);
  }
  return result.data;
}

/** Today's calendar date in Asia/Shanghai (UTC+8, no DST), as YYYY-MM-DD. */
export function shanghaiToday(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}
