import { createGatewaySchema, createPointSchema, newEnterpriseSchema, RISK_CATEGORIES } from '@sw/persistence';
import { regionInPrefix, type PointType } from '@sw/sensors';
import { DEMO_DISTRICT, DEMO_REGION_PREFIX } from './demo-district.constants';
import { DEMO_LEDGER } from './demo-ledger.constants';
import { demoUscc } from './uscc.factory';

const gateways = DEMO_DISTRICT.flatMap((e) => e.gateways.map((g) => ({ enterprise: e, gateway: g })));
const typesOf = (category: string): Set<PointType> =>
  new Set(DEMO_DISTRICT.filter((e) => e.riskCategories.includes(category as never)).flatMap((e) => e.gateways.flatMap((g) => g.points.map((p) => p.type))));

describe('DEMO_DISTRICT', () => {
  it('covers every risk category with about eight enterprises in 320505–320507', () => {
    expect(new Set(DEMO_DISTRICT.flatMap((e) => e.riskCategories))).toEqual(new Set(RISK_CATEGORIES));
    expect(DEMO_DISTRICT.length).toBeGreaterThanOrEqual(7);
    expect(new Set(DEMO_DISTRICT.map((e) => e.regionCode))).toEqual(new Set(['320505', '320506', '320507']));
    for (const e of DEMO_DISTRICT) expect(regionInPrefix(e.regionCode, DEMO_REGION_PREFIX)).toBe(true);
  });

  it('registers as the API would: valid enterprises, gateways and points', () => {
    for (const e of DEMO_DISTRICT) {
      expect(newEnterpriseSchema.safeParse({ ...e, ...DEMO_LEDGER[e.serial], uscc: demoUscc(e.regionCode, e.serial) }).error).toBeUndefined();
    }
    for (const { gateway } of gateways) {
      const protocol = gateway.modbus ? 'modbus-tcp' : 'mqtt';
      const modbus = gateway.modbus ? { host: '127.0.0.1', port: 1502, ...gateway.modbus } : undefined;
      expect(createGatewaySchema.safeParse({ code: gateway.code, protocol, modbus }).error).toBeUndefined();
      for (const p of gateway.points) {
        expect(createPointSchema.safeParse({ ...p, expectedIntervalS: p.intervalS }).error).toBeUndefined();
      }
    }
  });

  // issue 20: the enterprise page shows a full ledger on first start
  it('gives every enterprise a full ledger: address, GCJ-02 coordinates in 苏州, its three people, processes, standardization', () => {
    for (const e of DEMO_DISTRICT) {
      const l = DEMO_LEDGER[e.serial];
      expect(l).toBeDefined();
      expect(l).toMatchObject({ address: expect.stringContaining('苏州市'), coordSystem: 'gcj02', industryDepartment: expect.any(String), scale: expect.any(String) });
      expect([l!.principalName, l!.actualControllerName, l!.safetyOfficerName, l!.safetyOfficerPhone].every(Boolean)).toBe(true);
      expect(l!.longitude).toBeGreaterThan(119.9);
      expect(l!.longitude).toBeLessThan(121.35);
      expect(l!.latitude).toBeGreaterThan(30.77);
      expect(l!.latitude).toBeLessThan(32.05);
      expect(l!.processes?.length).toBeGreaterThan(0);
      expect(['level_1', 'level_2', 'level_3', 'small_micro']).toContain(l!.standardizationGrade);
      if (e.dustWorkers !== undefined) expect(l!.dustKinds?.length).toBeGreaterThan(0);
    }
    expect(DEMO_DISTRICT.filter((e) => !DEMO_LEDGER[e.serial]?.industry).map((e) => e.name)).toEqual(['苏州吴中城南污水处理有限公司']); // not a 工贸 sector
  });

  it('has unique USCCs, gateway codes and point codes per gateway', () => {
    expect(new Set(DEMO_DISTRICT.map((e) => demoUscc(e.regionCode, e.serial))).size).toBe(DEMO_DISTRICT.length);
    expect(new Set(gateways.map((g) => g.gateway.code)).size).toBe(gateways.length);
    for (const { gateway } of gateways) expect(new Set(gateway.points.map((p) => p.code)).size).toBe(gateway.points.length);
  });

  it('gives every enterprise 1–3 gateways and demo intervals of 5–30 s', () => {
    for (const e of DEMO_DISTRICT) expect(e.gateways.length).toBeGreaterThanOrEqual(1);
    for (const e of DEMO_DISTRICT) expect(e.gateways.length).toBeLessThanOrEqual(3);
    const intervals = gateways.flatMap((g) => g.gateway.points.map((p) => p.intervalS));
    expect(Math.min(...intervals)).toBeGreaterThanOrEqual(5);
    expect(Math.max(...intervals)).toBeLessThanOrEqual(30);
  });

  it('watches what each category is watched for (docs/domain.md catalog)', () => {
    expect([...typesOf('steel')]).toEqual(expect.arrayContaining(['co', 'outlet_temperature', 'water_flow']));
    expect([...typesOf('aluminum_casting')]).toEqual(
      expect.arrayContaining(['water_flow', 'water_pressure', 'melt_level', 'casting_active', 'water_level']),
    );
    expect([...typesOf('metal_dust')]).toEqual(expect.arrayContaining(['hopper_temperature', 'filter_dp', 'spark_detected']));
    expect([...typesOf('ammonia_refrigeration')]).toContain('nh3');
    expect([...typesOf('confined_space')]).toEqual(expect.arrayContaining(['h2s', 'o2', 'co']));
  });

  it('includes a Modbus TCP casting PLC with every point mapped to a register (docs/contracts.md §2)', () => {
    const polled = gateways.filter((g) => g.gateway.modbus);
    expect(polled.map((g) => [g.gateway.code, g.enterprise.riskCategories])).toEqual([['WZL-PLC-02', ['aluminum_casting']]]);
    const plc = polled[0]!.gateway;
    expect(plc.points.map((p) => p.type)).toEqual(['casting_active', 'water_flow', 'water_pressure', 'melt_level']);
    expect(plc.points.every((p) => p.register)).toBe(true);
    expect(plc.points.filter((p) => p.register?.type === 'float32').map((p) => p.register?.wordOrder)).toEqual(['CDAB', 'CDAB']);
  });

  it('includes a metal dust enterprise in the 2025 scope (≥ 30 dust workers)', () => {
    expect(DEMO_DISTRICT.some((e) => e.riskCategories.includes('metal_dust') && (e.dustWorkers ?? 0) >= 30)).toBe(true);
  });

  it('marks the safety-critical points mandatory (判定标准 第十四条)', () => {
    const critical: PointType[] = ['co', 'h2s', 'nh3', 'spark_detected', 'hopper_temperature', 'water_pressure'];
    const points = gateways.flatMap((g) => g.gateway.points).filter((p) => critical.includes(p.type));
    const mandatoryShare = points.filter((p) => p.mandatory).length / points.length;
    expect(mandatoryShare).toBeGreaterThan(0.8);
  });
});
