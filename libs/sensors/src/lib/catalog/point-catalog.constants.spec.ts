import { POINT_CATALOG, POINT_TYPES, TIERS, isPointType } from './point-catalog.constants';
import { type PointType, type Tier } from './point-catalog.types';

describe('POINT_CATALOG', () => {
  it('has one spec per point type, keyed by its own type', () => {
    // docs/domain.md catalog: every type code POST /gateways/{id}/points takes has defaults
    expect(Object.keys(POINT_CATALOG).sort()).toEqual([...POINT_TYPES].sort());
    expect(new Set(POINT_TYPES).size).toBe(25);
    for (const type of POINT_TYPES) expect(POINT_CATALOG[type].type).toBe(type);
  });

  it.each<[PointType, string, string[], number | undefined, object | undefined, object | undefined]>([
    // type, unit, units, molar mass, high setpoints, low setpoints
    ['co', 'ppm', ['ppm', 'mg/m3'], 28.01, { yellow: 24, orange: 48, red: 160 }, undefined],
    ['h2s', 'mg/m3', ['mg/m3', 'ppm'], 34.08, { yellow: 10, orange: 20 }, undefined],
    ['nh3', 'mg/m3', ['mg/m3', 'ppm'], 17.03, { yellow: 20, orange: 40 }, undefined],
    ['cl2', 'mg/m3', ['mg/m3', 'ppm'], 70.9, { yellow: 1, orange: 2 }, undefined],
    ['combustible_gas', '%LEL', ['%LEL'], undefined, { yellow: 25, orange: 50 }, undefined],
    ['o2', '%VOL', ['%VOL'], undefined, { orange: 23.5 }, { orange: 19.5 }],
    ['hopper_temperature', '°C', ['°C'], undefined, { yellow: 60, orange: 70 }, undefined],
    ['filter_dp', 'Pa', ['Pa'], undefined, { yellow: 1500 }, { yellow: 100 }],
  ])('%s: unit %s, default setpoints as docs/domain.md states them', (type, unit, units, molarMass, high, low) => {
    // docs/domain.md catalog table: unit, molar mass and every default setpoint with its tier
    const sut = POINT_CATALOG[type];
    expect(sut.signal).toBe('analog');
    expect(sut.unit).toBe(unit);
    expect(sut.units).toEqual(units);
    expect(sut.molarMass).toBe(molarMass);
    expect(sut.thresholds?.high).toEqual(high);
    expect(sut.thresholds?.low).toEqual(low);
  });

  it('lifts CO orange held 15 minutes to red', () => {
    // docs/domain.md: co "orange held 15 min → red"
    expect(POINT_CATALOG.co.sustained).toEqual({ fromTier: 'orange', toTier: 'red', forS: 900 });
  });

  it.each<PointType>(['water_flow', 'water_pressure'])('%s: a drop of 30 %% within 10 s is red', (type) => {
    // docs/domain.md: water_flow / water_pressure "drop ≥ 30 % within 10 s → red"
    expect(POINT_CATALOG[type].rate).toEqual({ direction: 'drop', percent: 30, withinS: 10, tier: 'red' });
  });

  it.each<[PointType, string, { high?: Tier; low?: Tier }]>([
    ['water_level', 'mm', { low: 'orange' }],
    ['water_flow', 'm3/h', { low: 'orange' }],
    ['water_pressure', 'MPa', { low: 'orange' }],
    ['melt_level', 'mm', { high: 'orange', low: 'orange' }],
    ['outlet_temperature', '°C', { high: 'orange' }],
    ['flow_difference', 'm3/h', { high: 'red' }],
    ['furnace_top_pressure', 'kPa', { high: 'red' }],
  ])('%s (%s) has setpoints per point only, with the tier docs/domain.md names', (type, unit, perPoint) => {
    // docs/domain.md: "per point (low → orange)" etc.: no default setpoint, only the usual tier
    const sut = POINT_CATALOG[type];
    expect(sut.unit).toBe(unit);
    expect(sut.thresholds).toBeNull();
    expect(sut.perPoint).toEqual(perPoint);
  });

  it.each<[PointType, Tier]>([
    ['spark_detected', 'orange'],
    ['airlock_fault', 'orange'],
    ['explosion_protection_fault', 'orange'],
    ['interlock_bypassed', 'red'],
  ])('%s is digital and 1 alarms %s', (type, tier) => {
    // docs/domain.md: "1 → orange (interlock_bypassed → red)"
    const sut = POINT_CATALOG[type];
    expect(sut).toMatchObject({ signal: 'digital', unit: '', digitalAlarm: tier, physicalRange: { min: 0, max: 1 } });
    expect(sut.context).toBeUndefined();
  });

  it.each<PointType>(['equipment_running', 'casting_active'])('%s is digital context that never alarms', (type) => {
    // docs/domain.md: "none itself; gates rules"
    const sut = POINT_CATALOG[type];
    expect(sut).toMatchObject({ signal: 'digital', context: true, thresholds: null });
    expect(sut.digitalAlarm).toBeUndefined();
  });

  it.each<PointType>(['temperature', 'pressure', 'level', 'analog'])('%s takes any unit and has no defaults', (type) => {
    // docs/domain.md: "any" unit, "per point only"
    const sut = POINT_CATALOG[type];
    expect(sut).toMatchObject({ signal: 'analog', units: [], thresholds: null });
    expect(sut.physicalRange.min).toBeLessThan(-1e300);
    expect(sut.physicalRange.max).toBeGreaterThan(1e300);
  });

  it.each(POINT_TYPES)('%s: default setpoints lie inside the physical range', (type) => {
    // docs/domain.md: outside the physical range is a sensor fault, so no default setpoint may be there
    const sut = POINT_CATALOG[type];
    expect(sut.physicalRange.min).toBeLessThan(sut.physicalRange.max);
    const setpoints = [...Object.values(sut.thresholds?.high ?? {}), ...Object.values(sut.thresholds?.low ?? {})];
    for (const v of setpoints) {
      expect(v).toBeGreaterThan(sut.physicalRange.min);
      expect(v).toBeLessThan(sut.physicalRange.max);
    }
  });

  it.each(POINT_TYPES)('%s names its basis and a Chinese label', (type) => {
    // docs/domain.md: "every default records the standard and edition it comes from"
    const sut = POINT_CATALOG[type];
    expect(sut.basis.length).toBeGreaterThan(0);
    expect(sut.labelZh).toMatch(/\p{Script=Han}/u);
  });

  it('records the standard and edition of the gas defaults', () => {
    // docs/domain.md: gas setpoints follow GB/T 50493-2019 with GBZ 2.1; CO follows GB 6222-2005 practice
    expect(POINT_CATALOG.co.basis).toContain('GB 6222-2005');
    expect(POINT_CATALOG.co.basis).toContain('[template]');
    for (const type of ['h2s', 'nh3', 'cl2'] as const) expect(POINT_CATALOG[type].basis).toContain('GBZ 2.1');
    for (const type of ['h2s', 'combustible_gas', 'o2'] as const) expect(POINT_CATALOG[type].basis).toContain('GB/T 50493-2019');
    expect(POINT_CATALOG.hopper_temperature.basis).toContain('[template]');
  });

  it('cannot be changed at run time', () => {
    // docs/contracts.md §4: per-point thresholds override the defaults; they never rewrite them
    const high = POINT_CATALOG.co.thresholds?.high as Record<string, number>;
    expect(() => {
      high['yellow'] = 1;
    }).toThrow(TypeError);
    expect(POINT_CATALOG.co.thresholds?.high?.yellow).toBe(24);
  });
});

describe('TIERS', () => {
  it('lists the tiers highest first', () => {
    // docs/contracts.md §3: "Tiers, highest first: red, orange, yellow, blue"
    expect(TIERS).toEqual(['red', 'orange', 'yellow', 'blue']);
  });
});

describe('isPointType', () => {
  it.each(POINT_TYPES)('accepts the catalog type %s', (type) => {
    // docs/domain.md: type codes are the catalog's
    expect(isPointType(type)).toBe(true);
  });

  it.each([['CO'], ['smoke'], [''], ['toString'], ['__proto__'], [1], [null], [undefined]])('rejects %p', (s) => {
    // docs/domain.md: anything outside the catalog is not a point type (including Object.prototype keys)
    expect(isPointType(s)).toBe(false);
  });
});

describe('POINT_CATALOG bases', () => {
  it('cites every 判定标准 use with an article, names the edition, and marks templates', () => {
    // issue 14: every basis names article and item as published (应急管理部令第10号), or says [template]
    for (const type of POINT_TYPES) {
      const { basis } = POINT_CATALOG[type];
      if (basis.includes('判定标准') && type !== 'water_level') expect(basis).toMatch(/判定标准（应急管理部令第10号，2023）.*第[一二三四五六七八九十]+条/);
      if (['hopper_temperature', 'filter_dp', 'water_level', 'equipment_running', 'casting_active'].includes(type)) expect(basis).toMatch(/^\[template\]/);
    }
  });

  it('puts spark detection, airlocks and explosion protection under 第十一条 and no water level under any article', () => {
    // 判定标准 第十一条 (三) 泄爆/惰化/抑爆, (四)(八) 火花探测消除, (六) 锁气卸灰; water level is in neither 第五条 nor 第十一条
    expect(POINT_CATALOG.spark_detected.basis).toMatch(/第十一条 \(四\)/);
    expect(POINT_CATALOG.airlock_fault.basis).toMatch(/第十一条 \(六\)/);
    expect(POINT_CATALOG.explosion_protection_fault.basis).toMatch(/第十一条 \(三\)/);
    for (const type of ['spark_detected', 'airlock_fault', 'explosion_protection_fault'] as const) expect(POINT_CATALOG[type].basis).not.toContain('第五条');
    expect(POINT_CATALOG.water_level.basis).not.toMatch(/第.+条/);
  });

  it('gives CO the GB/T 50493 tiers of GBZ 2.1 PC-STEL and names the superseded GB 6222 edition', () => {
    // docs/domain.md: 24 / 48 / 160 ppm; GB 6222-2005 superseded by GB 6222-2025 on 2026-05-01
    expect(POINT_CATALOG.co.thresholds?.high).toEqual({ yellow: 24, orange: 48, red: 160 });
    expect(POINT_CATALOG.co.basis).toContain('GB 6222-2005');
    expect(POINT_CATALOG.co.basis).toContain('superseded by GB 6222-2025');
    expect(POINT_CATALOG.co.basis).toContain('[template]');
  });
});
