import { Point, RegistryService, type Enterprise } from '@sw/persistence';
import type { DataSource } from 'typeorm';
import type { CredentialsGateway, CredentialsPoint } from '../credentials/credentials.schema';
import { defaultBaseline } from '../signals/point-signal';
import { DEMO_DISTRICT, type DemoEnterprise, type DemoGateway } from './demo-district.constants';
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
  /** `created`, or `rotated` for a gateway that existed (its secret was replaced). */
  credentials: 'created' | 'rotated';
  pointsCreated: number;
  points: number;
  warning?: string;
}

export interface DemoProvisionResult {
  enterprises: ProvisionedEnterprise[];
  gateways: ProvisionedGateway[];
  credentials: CredentialsGateway[];
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

  async provision(district: readonly DemoEnterprise[] = DEMO_DISTRICT): Promise<DemoProvisionResult> {
    const result: DemoProvisionResult = { enterprises: [], gateways: [], credentials: [] };
    for (const demo of district) {
      const enterprise = await this.enterprise(demo);
      result.enterprises.push(enterprise);
      for (const gateway of demo.gateways) {
        const { summary, credentials } = await this.gateway(enterprise, gateway);
        result.gateways.push(summary);
        result.credentials.push(credentials);
      }
    }
    return result;
  }

  private async enterprise(demo: DemoEnterprise): Promise<ProvisionedEnterprise> {
    const uscc = demoUscc(demo.regionCode, demo.serial);
    const existing = await this.registry.findEnterpriseByUscc(uscc);
    const enterprise: Enterprise =
      existing ??
      (await this.registry.createEnterprise({
        name: demo.name,
        uscc,
        regionCode: demo.regionCode,
        riskCategories: demo.riskCategories,
        dustWorkers: demo.dustWorkers ?? null,
        employees: demo.employees,
      }));
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
    const registered = new Map((await this.ds.getRepository(Point).findBy({ gatewayId })).map((p) => [p.code, p]));
    let pointsCreated = 0;
    for (const point of demo.points) {
      if (registered.has(point.code)) continue;
      const created = await this.registry.createPoint(gatewayId, {
        code: point.code,
        type: point.type,
        name: point.name,
        location: point.location,
        mandatory: point.mandatory ?? false,
        expectedIntervalS: point.intervalS,
        thresholds: point.thresholds,
      });
      registered.set(created.code, created);
      pointsCreated++;
    }
    // Publish every registered point (also ones added by hand), in the demo's order first.
    const baselines = new Map(demo.points.map((p) => [p.code, p.baseline]));
    const order = new Map(demo.points.map((p, i) => [p.code, i]));
    const points: CredentialsPoint[] = [...registered.values()]
      .sort((a, b) => (order.get(a.code) ?? 1e9) - (order.get(b.code) ?? 1e9) || a.code.localeCompare(b.code))
      .map((p) => ({
        code: p.code,
        type: p.type,
        unit: p.unit,
        intervalS: p.expectedIntervalS,
        baseline: baselines.get(p.code) ?? defaultBaseline(p.type, p.unit),
        name: p.name,
      }));
    return {
      summary: {
        code: demo.code,
        enterprise: enterprise.name,
        credentials: existing ? 'rotated' : 'created',
        pointsCreated,
        points: points.length,
        ...(warning ? { warning } : {}),
      },
      credentials: { code: demo.code, password, enterprise: enterprise.name, points },
    };
  }
}
