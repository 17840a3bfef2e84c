import { createDataSource, RegistryService } from '@sw/persistence';
import { usccCheckChar, type PointType } from '@sw/sensors';
import type { LoadGateway } from '../load/load-generator';

export interface ProvisionedBench {
  gateways: LoadGateway[];
  probe: { code: string; password: string; pointId: string; pointCode: string };
}

/** A point type with a value that stays well inside its default setpoints. */
export interface PointMixEntry {
  type: PointType;
  unit: string;
  baseline: number;
}

/** The demo district's rule mix: every type has default rules (thresholds, offline, fault, rate). */
export const RULE_MIX: PointMixEntry[] = [
  { type: 'co', unit: 'ppm', baseline: 4 },
  { type: 'hopper_temperature', unit: '°C', baseline: 40 },
  { type: 'filter_dp', unit: 'Pa', baseline: 800 },
  { type: 'o2', unit: '%VOL', baseline: 20.9 },
  { type: 'h2s', unit: 'mg/m3', baseline: 1 },
  { type: 'combustible_gas', unit: '%LEL', baseline: 3 },
];

const TEMPERATURE: PointMixEntry[] = [{ type: 'temperature', unit: '°C', baseline: 25 }];

/**
 * G gateways × P points under one enterprise (types cycling through `mix`), plus a probe gateway
 * with one CO point for latency.
 */
export async function provisionBench(databaseUrl: string, gatewayCount: number, pointsPer: number, mix: PointMixEntry[] = TEMPERATURE): Promise<ProvisionedBench> {
  const ds = await createDataSource({ url: databaseUrl, poolSize: 4 }).initialize();
  try {
    const registry = new RegistryService(ds);
    const first17 = '91320505MA1MBENCH';
    const enterprise = await registry.createEnterprise({
      name: '基准测试企业',
      uscc: first17 + (usccCheckChar(first17) as string),
      regionCode: '320505',
      riskCategories: ['metal_dust'],
      dustWorkers: 50,
    });
    const gateways: LoadGateway[] = [];
    for (let g = 0; g < gatewayCount; g++) {
      const code = `BENCH-${String(g).padStart(3, '0')}`;
      const { gateway, mqtt } = await registry.createGateway(enterprise.id, { code, protocol: 'mqtt' });
      const points: string[] = [];
      const baselines: number[] = [];
      for (let p = 0; p < pointsPer; p++) {
        const entry = mix[(g * pointsPer + p) % mix.length] as PointMixEntry;
        const pointCode = `P-${String(p).padStart(4, '0')}`;
        await registry.createPoint(gateway.id, { code: pointCode, type: entry.type, unit: entry.unit, name: `${entry.type} ${p}`, expectedIntervalS: 60 });
        points.push(pointCode);
        baselines.push(entry.baseline);
      }
      gateways.push({ code, password: mqtt?.password ?? null, points, baselines });
    }
    const { gateway, mqtt } = await registry.createGateway(enterprise.id, { code: 'PROBE-001', protocol: 'mqtt' });
    const point = await registry.createPoint(gateway.id, { code: 'PROBE', type: 'co', unit: 'ppm', name: '延迟探针 CO' });
    return { gateways, probe: { code: gateway.code, password: mqtt?.password as string, pointId: point.id, pointCode: point.code } };
  } finally {
    await ds.destroy();
  }
}
