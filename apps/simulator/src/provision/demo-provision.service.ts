import { EnterprisesRepository, Gateway, Point, RegistryService, type Enterprise, type ModbusSettings, type UpdateEnterpriseInput } from '@sw/persistence';
import type { DataSource } from 'typeorm';
import type { CredentialsGateway, CredentialsPoint, ModbusDeviceSpec } from '../credentials/credentials.schema';
import { defaultBaseline } from '../signals/point-signal';
import { DEMO_DISTRICT, type DemoEnterprise, type DemoGateway } from './demo-district.constants';
import { DEMO_LEDGER, type DemoLedger } from './demo-ledger.constants';
import { demoUscc } from './uscc.factory';

export interface ProvisionedEnterprise {
  id: string;
  name: string;
  uscc: string;
  regionCode: string;
  riskCategories: string[];
  created: boolean;
}

export interface ProvisionedGateway {
  code: string;
  enterprise: string;
  /** `created`, or `rotated` for a gateway that existed (its secret was replaced); `polled`: a Modbus device, no secret. */
  credentials: 'created' | 'rotated' | 'polled';
  pointsCreated: number;
  points: number;
  warning?: string;
}

export interface DemoProvisionResult {
  enterprises: ProvisionedEnterprise[];
  gateways: ProvisionedGateway[];
  credentials: CredentialsGateway[];
  modbusDevices: ModbusDeviceSpec[];
}

/** Where `run` serves the demo's Modbus devices, and so where ingest is told to poll them. */
export interface ModbusAddress {
  host: string;
  port: number;
}

/**
 * Registers the demo district through the registry (the same validation as the CLI and the API),
 * idempotently: enterprises are matched by USCC, gateways by code, points by code within their
 * gateway. Secrets are shown once, so a gateway that already existed gets a new one.
 */
export class DemoProvisionService {
  private readonly registry: RegistryService;

  constructor(private readonly ds: DataSource) {
    this.registry = new RegistryService(ds);
  }

  async provision(
    district: readonly DemoEnterprise[] = DEMO_DISTRICT,
    modbus: ModbusAddress = { host: '127.0.0.1', port: 1502 },
  ): Promise<DemoProvisionResult> {
    const result: DemoProvisionResult = { enterprises: [], gateways: [], credentials: [], modbusDevices: [] };
    for (const demo of district) {
      const enterprise = await this.enterprise(demo);
      result.enterprises.push(enterprise);
      for (const gateway of demo.gateways) {
        if (gateway.modbus) {
          const { summary, device } = await this.modbusGateway(enterprise, gateway, { ...modbus, ...gateway.modbus });
          result.gateways.push(summary);
          result.modbusDevices.push(device);
          continue;
        }
        const { summary, credentials } = await this.gateway(enterprise, gateway);
        result.gateways.push(summary);
        result.credentials.push(credentials);
      }
    }
    return result;
  }

  /**
   * A polled gateway: registered as `modbus-tcp` with the address `run` serves it on (updated when
   * that changed, which ingest picks up without a restart), points with their register maps.
   */
  private async modbusGateway(
    enterprise: ProvisionedEnterprise,
    demo: DemoGateway,
    settings: ModbusSettings,
  ): Promise<{ summary: ProvisionedGateway; device: ModbusDeviceSpec }> {
    const existing = await this.registry.findGatewayByCode(demo.code);
    let gatewayId: string;
    if (existing) {
      gatewayId = existing.id;
      if (JSON.stringify(existing.modbus) !== JSON.stringify(settings)) {
        await this.ds.getRepository(Gateway).update(existing.id, { protocol: 'modbus-tcp', modbus: settings });
      }
    } else {
      gatewayId = (await this.registry.createGateway(enterprise.id, { code: demo.code, protocol: 'modbus-tcp', modbus: settings })).gateway.id;
    }
    const { points, created } = await this.points(gatewayId, demo);
    // the device serves the registry's register maps, also ones changed or added by hand
    const mapped = points.flatMap(({ register, ...p }) => (register ? [{ ...p, register }] : []));
    return {
      summary: { code: demo.code, enterprise: enterprise.name, credentials: 'polled', pointsCreated: created, points: points.length },
      device: { code: demo.code, enterprise: enterprise.name, host: settings.host, port: settings.port, unitId: settings.unitId, points: mapped },
    };
  }

  private async enterprise(demo: DemoEnterprise): Promise<ProvisionedEnterprise> {
    const uscc = demoUscc(demo.regionCode, demo.serial);
    const existing = await this.registry.findEnterpriseByUscc(uscc);
    const ledger = DEMO_LEDGER[demo.serial] ?? {};
    const enterprise: Enterprise =
      existing ??
      (await this.registry.createEnterprise({
        name: demo.name,
        uscc,
        regionCode: demo.regionCode,
        riskCategories: demo.riskCategories,
        dustWorkers: demo.dustWorkers ?? null,
        employees: demo.employees,
        ...ledger,
      }));
    // a district provisioned before the ledger had these fields gets them once (its address was empty)
    if (existing && existing.address === null && ledger.address) await new EnterprisesRepository(this.ds).update(existing.id, stripNulls(ledger));
    return {
      id: enterprise.id,
      name: enterprise.name,
      uscc: enterprise.uscc,
      regionCode: enterprise.regionCode,
      riskCategories: enterprise.riskCategories,
      created: !existing,
    };
  }

  private async gateway(
    enterprise: ProvisionedEnterprise,
    demo: DemoGateway,
  ): Promise<{ summary: ProvisionedGateway; credentials: CredentialsGateway }> {
    const existing = await this.registry.findGatewayByCode(demo.code);
    let gatewayId: string;
    let password: string;
    let warning: string | undefined;
    if (existing) {
      gatewayId = existing.id;
      password = (await this.registry.rotateCredentials(existing.id)).password;
      if (existing.enterpriseId !== enterprise.id) warning = `gateway ${demo.code} belongs to another enterprise; used as it is`;
    } else {
      const created = await this.registry.createGateway(enterprise.id, { code: demo.code, protocol: 'mqtt' });
      gatewayId = created.gateway.id;
      password = (created.mqtt as { password: string }).password;
    }
    const { points, created: pointsCreated } = await this.points(gatewayId, demo);
    return {
      summary: {
        code: demo.code,
        enterprise: enterprise.name,
        credentials: existing ? 'rotated' : 'created',
        pointsCreated,
        points: points.length,
        ...(warning ? { warning } : {}),
      },
      credentials: { code: demo.code, password, enterprise: enterprise.name, points: points.map(withoutRegister) },
    };
  }

  /** Creates the demo's missing points; every registered point (also ones added by hand), in the demo's order first. */
  private async points(gatewayId: string, demo: DemoGateway): Promise<{ points: (CredentialsPoint & { register: Point['register'] })[]; created: number }> {
    const registered = new Map((await this.ds.getRepository(Point).findBy({ gatewayId })).map((p) => [p.code, p]));
    let created = 0;
    for (const point of demo.points) {
      if (registered.has(point.code)) continue;
      const entity = await this.registry.createPoint(gatewayId, {
        code: point.code,
        type: point.type,
        name: point.name,
        location: point.location,
        mandatory: point.mandatory ?? false,
        expectedIntervalS: point.intervalS,
        thresholds: point.thresholds,
        register: point.register,
      });
      registered.set(entity.code, entity);
      created++;
    }
    const baselines = new Map(demo.points.map((p) => [p.code, p.baseline]));
    const order = new Map(demo.points.map((p, i) => [p.code, i]));
    const points = [...registered.values()]
      .sort((a, b) => (order.get(a.code) ?? 1e9) - (order.get(b.code) ?? 1e9) || a.code.localeCompare(b.code))
      .map((p) => ({
        code: p.code,
        type: p.type,
        unit: p.unit,
        intervalS: p.expectedIntervalS,
        baseline: baselines.get(p.code) ?? defaultBaseline(p.type, p.unit),
        name: p.name,
        register: p.register,
      }));
    return { points, created };
  }
}

function withoutRegister(point: CredentialsPoint & { register: unknown }): CredentialsPoint {
  const { code, type, unit, intervalS, baseline, name } = point;
  return { code, type, unit, intervalS, baseline, name };
}

/** A PATCH takes no null person (a role is replaced, never emptied): drop the nulls of the ledger entry. */
function stripNulls(ledger: DemoLedger): UpdateEnterpriseInput {
  return Object.fromEntries(Object.entries(ledger).filter(([, v]) => v !== null && v !== undefined)) as UpdateEnterpriseInput;
}
