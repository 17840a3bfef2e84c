import { createDataSource, RegistryService } from '@sw/persistence';
import { usccCheckChar } from '@sw/sensors';
import type { LoadGateway } from '../load/load-generator';

export interface ProvisionedBench {
  gateways: LoadGateway[];
  probe: { code: string; password: string; pointId: string };
}

/** G gateways × P `temperature` points under one enterprise, plus a probe gateway for latency. */
export async function provisionBench(databaseUrl: string, gatewayCount: number, pointsPer: number): Promise<ProvisionedBench> {
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
      for (let p = 0; p < pointsPer; p++) {
        const pointCode = `HOPPER-T-${String(p).padStart(4, '0')}`;
        await registry.createPoint(gateway.id, { code: pointCode, type: 'temperature', unit: '°C', name: `灰斗温度 ${p}` });
        points.push(pointCode);
      }
      gateways.push({ code, password: mqtt?.password ?? null, points });
    }
    const { gateway, mqtt } = await registry.createGateway(enterprise.id, { code: 'PROBE-001', protocol: 'mqtt' });
    const point = await registry.createPoint(gateway.id, { code: 'PROBE', type: 'temperature', unit: '°C', name: '延迟探针' });
    return { gateways, probe: { code: gateway.code, password: mqtt?.password as string, pointId: point.id } };
  } finally {
    await ds.destroy();
  }
}
