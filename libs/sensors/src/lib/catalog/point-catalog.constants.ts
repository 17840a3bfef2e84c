import { type PointType, type PointTypeSpec, type Tier } from './point-catalog.types';

/** Every point type code, in catalog order. */
export const POINT_TYPES: readonly PointType[] = Object.freeze([
  'co', 'h2s', 'nh3', 'cl2', 'combustible_gas', 'o2',
  'hopper_temperature', 'filter_dp', 'water_level', 'water_flow', 'water_pressure', 'melt_level',
  'outlet_temperature', 'flow_difference', 'furnace_top_pressure',
  'spark_detected', 'airlock_fault', 'explosion_protection_fault', 'interlock_bypassed',
  'equipment_running', 'casting_active',
  'temperature', 'pressure', 'level', 'analog',
] as const);

/** Alarm tiers, highest first (docs/contracts.md §3); rules evaluate them in this order. */
export const TIERS: readonly Tier[] = Object.freeze(['red', 'orange', 'yellow', 'blue'] as const);

// Basis strings, written once. 判定标准 = 《工贸企业重大事故隐患判定标准》(应急管理部令第10号, in force
// 2023-05-15; it repealed the 《工贸行业重大生产安全事故隐患判定标准（2017版）》). Articles: 第四条 冶金,
// 第五条 有色, 第十一条 粉尘爆炸, 第十四条 failed monitoring/alarm/interlock devices. The deep-well items
// of 第五条 are cited by their text ("深井铸造 结晶器冷却水" …) because their item numbers inside 第五条 were
// checked only in an extract that numbers them (一)–(七) on its own.
const PANDING = '判定标准（应急管理部令第10号，2023）';
const GB50493 = 'GB/T 50493-2019';
const GB50493_GBZ = `${GB50493} + GBZ 2.1-2019`;
const CRYSTALLISER = `${PANDING} 第五条 深井铸造结晶器冷却水进水压力、进水流量监测报警及联锁项; drop ≥ 30 % within 10 s → red and low → orange are [template]`;
const DUST_HALL = `${PANDING} 第十一条`;
const DIGITAL = { signal: 'digital', unit: '', units: [''], physicalRange: { min: 0, max: 1 }, thresholds: null } as const;
// Types with "any" unit have no range: any finite value is plausible.
const ANY = { signal: 'analog', units: [], physicalRange: { min: -Number.MAX_VALUE, max: Number.MAX_VALUE }, thresholds: null, basis: '—' } as const;

/*
 * Physical ranges: the widest span a common fixed instrument of that type reports, so a value
 * beyond it cannot be a measurement (docs/domain.md: out of the physical range → fault). Gas
 * transmitters clamp at zero and signal faults below it (NAMUR NE 43), so gases start at 0.
 */
const CATALOG: Record<PointType, PointTypeSpec> = {
  co: {
    type: 'co', signal: 'analog', unit: 'ppm', units: ['ppm', 'mg/m3'], molarMass: 28.01,
    physicalRange: { min: 0, max: 5000 }, // high-range CO detectors in gas areas span 0–5000 ppm
    // 一级 ≤ 100 % OEL, 二级 ≤ 200 % OEL of PC-STEL 30 mg/m³: 24 / 48 ppm; red 160 ppm (200 mg/m³) is a template
    thresholds: { high: { yellow: 24, orange: 48, red: 160 } },
    sustained: { fromTier: 'orange', toTier: 'red', forS: 900 }, // 15 min
    basis: `${GB50493} §5.5 (一级 ≤ 100 % OEL, 二级 ≤ 200 % OEL) with GBZ 2.1-2019 PC-STEL 30 mg/m³: yellow 24 ppm, orange 48 ppm; red 160 ppm (200 mg/m³) and orange held 15 min → red are [template] from the GB 6222-2005 short-work limit (superseded by GB 6222-2025 from 2026-05-01); fixed CO monitors: ${PANDING} 第四条 (六) (steel gas areas), 第六条 (一) (coal mills)`,
    labelZh: '一氧化碳',
  },
  h2s: {
    type: 'h2s', signal: 'analog', unit: 'mg/m3', units: ['mg/m3', 'ppm'], molarMass: 34.08,
    physicalRange: { min: 0, max: 1500 }, // 0–1000 ppm high-range detectors ≈ 1521 mg/m³
    thresholds: { high: { yellow: 10, orange: 20 } },
    basis: `${GB50493_GBZ} (MAC 10 mg/m³)`, labelZh: '硫化氢',
  },
  nh3: {
    type: 'nh3', signal: 'analog', unit: 'mg/m3', units: ['mg/m3', 'ppm'], molarMass: 17.03,
    physicalRange: { min: 0, max: 4000 }, // refrigeration detectors span up to 0–5000 ppm ≈ 3800 mg/m³
    thresholds: { high: { yellow: 20, orange: 40 } },
    basis: `${GB50493_GBZ} (PC-TWA 20 mg/m³)`, labelZh: '氨气',
  },
  cl2: {
    type: 'cl2', signal: 'analog', unit: 'mg/m3', units: ['mg/m3', 'ppm'], molarMass: 70.9,
    physicalRange: { min: 0, max: 320 }, // 0–100 ppm high-range detectors ≈ 316 mg/m³
    thresholds: { high: { yellow: 1, orange: 2 } },
    basis: `${GB50493_GBZ} (MAC 1 mg/m³)`, labelZh: '氯气',
  },
  combustible_gas: {
    type: 'combustible_gas', signal: 'analog', unit: '%LEL', units: ['%LEL'],
    physicalRange: { min: 0, max: 100 }, // catalytic and IR detectors span 0–100 %LEL
    thresholds: { high: { yellow: 25, orange: 50 } },
    basis: GB50493, labelZh: '可燃气体',
  },
  o2: {
    type: 'o2', signal: 'analog', unit: '%VOL', units: ['%VOL'],
    physicalRange: { min: 0, max: 30 }, // O₂ detectors span 0–25 or 0–30 %VOL
    thresholds: { high: { orange: 23.5 }, low: { orange: 19.5 } }, // both orange: either is an immediate danger
    basis: `${GB50493} (both limits orange, docs/domain.md)`, labelZh: '氧气',
  },
  hopper_temperature: {
    type: 'hopper_temperature', signal: 'analog', unit: '°C', units: ['°C'],
    physicalRange: { min: -50, max: 400 }, // Pt100 transmitters; outdoor winter lows to −50 °C
    thresholds: { high: { yellow: 60, orange: 70 } },
    basis: `[template] — no national figure; dry collectors: ${PANDING} 第十一条 (三) requires explosion protection, not a temperature`, contextTypes: ['equipment_running'], labelZh: '灰斗温度',
  },
  filter_dp: {
    type: 'filter_dp', signal: 'analog', unit: 'Pa', units: ['Pa'],
    physicalRange: { min: -500, max: 10000 }, // 0–10 kPa transmitters; small reverse dp while pulse-cleaning
    thresholds: { high: { yellow: 1500 }, low: { yellow: 100 } }, // high: clogging; low: bag rupture
    basis: '[template] — no national figure', contextTypes: ['equipment_running'], labelZh: '除尘器压差',
  },
  water_level: {
    type: 'water_level', signal: 'analog', unit: 'mm', units: ['mm'],
    physicalRange: { min: 0, max: 30000 }, // radar and ultrasonic level transmitters span up to 30 m
    thresholds: null, perPoint: { low: 'orange' },
    basis: `[template] — no article of ${PANDING} names a water level (wet-collector level interlocks are provincial enforcement practice)`, contextTypes: ['equipment_running'], labelZh: '水位',
  },
  water_flow: {
    type: 'water_flow', signal: 'analog', unit: 'm3/h', units: ['m3/h'],
    physicalRange: { min: 0, max: 20000 }, // blast-furnace cooling circuits run to several thousand m³/h
    thresholds: null, perPoint: { low: 'orange' },
    rate: { direction: 'drop', percent: 30, withinS: 10, tier: 'red' },
    basis: CRYSTALLISER, contextTypes: ['casting_active', 'equipment_running'], labelZh: '冷却水流量',
  },
  water_pressure: {
    type: 'water_pressure', signal: 'analog', unit: 'MPa', units: ['MPa'],
    physicalRange: { min: -0.1, max: 4 }, // gauge: full vacuum is −0.1 MPa; transmitters span 0–4 MPa
    thresholds: null, perPoint: { low: 'orange' },
    rate: { direction: 'drop', percent: 30, withinS: 10, tier: 'red' },
    basis: CRYSTALLISER, contextTypes: ['casting_active'], labelZh: '冷却水压力',
  },
  melt_level: {
    type: 'melt_level', signal: 'analog', unit: 'mm', units: ['mm'],
    physicalRange: { min: 0, max: 2000 }, // launder level gauges span well under 2 m
    thresholds: null, perPoint: { high: 'orange', low: 'orange' },
    basis: `${PANDING} 第五条 深井铸造流槽、流槽与模盘（分配流槽）入口连接处液位监测报警及联锁项; setpoints per point`, contextTypes: ['casting_active'], labelZh: '铝液液位',
  },
  outlet_temperature: {
    type: 'outlet_temperature', signal: 'analog', unit: '°C', units: ['°C'],
    physicalRange: { min: -50, max: 200 }, // Pt100 transmitters on cooling-water outlets
    thresholds: null, perPoint: { high: 'orange' },
    basis: `${PANDING} 第四条 (四); 第五条 有色冶炼炉窑闭路循环水冷元件项`, labelZh: '冷却水出水温度',
  },
  flow_difference: {
    type: 'flow_difference', signal: 'analog', unit: 'm3/h', units: ['m3/h'],
    physicalRange: { min: -20000, max: 20000 }, // inlet − outlet of two water_flow ranges; noise may be negative
    thresholds: null, perPoint: { high: 'red' }, // a leak into the furnace
    basis: `${PANDING} 第四条 (四); 第五条 有色冶炼炉窑闭路循环水冷元件项`, labelZh: '进出水流量差',
  },
  furnace_top_pressure: {
    type: 'furnace_top_pressure', signal: 'analog', unit: 'kPa', units: ['kPa'],
    physicalRange: { min: -100, max: 600 }, // gauge: vacuum floor; transmitters span 0–600 kPa
    thresholds: null, perPoint: { high: 'red' }, // at or above the design maximum
    basis: `${PANDING} 第四条 (五)`, labelZh: '高炉炉顶压力',
  },
  spark_detected: { type: 'spark_detected', ...DIGITAL, digitalAlarm: 'orange', basis: `${DUST_HALL} (四) (positive-pressure dust systems), (八) (wood sander ducts)`, labelZh: '火花探测' },
  airlock_fault: { type: 'airlock_fault', ...DIGITAL, digitalAlarm: 'orange', basis: `${DUST_HALL} (六)`, labelZh: '锁气卸灰故障' },
  explosion_protection_fault: {
    type: 'explosion_protection_fault', ...DIGITAL, digitalAlarm: 'orange', basis: `${DUST_HALL} (三) (泄爆、惰化、抑爆); a failed device: 第十四条`, labelZh: '防爆装置故障',
  },
  interlock_bypassed: {
    type: 'interlock_bypassed', ...DIGITAL, digitalAlarm: 'red', basis: `${PANDING} 第十四条 (a required interlock that is not in use); interlocks named in 第四条 (四)(五), 第五条 深井铸造项; red is [template]`, labelZh: '联锁旁路',
  },
  equipment_running: { type: 'equipment_running', ...DIGITAL, context: true, basis: '[template] — context signal (除尘设备启停信号), no alarm of its own', labelZh: '设备运行' },
  casting_active: { type: 'casting_active', ...DIGITAL, context: true, basis: '[template] — context signal, no alarm of its own', labelZh: '铸造进行中' },
  temperature: { type: 'temperature', ...ANY, unit: '°C', labelZh: '温度' },
  pressure: { type: 'pressure', ...ANY, unit: 'kPa', labelZh: '压力' },
  level: { type: 'level', ...ANY, unit: 'mm', labelZh: '液位' },
  analog: { type: 'analog', ...ANY, unit: '', labelZh: '模拟量' },
};

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** The point type catalog: defaults per type, deeply frozen (docs/domain.md). */
export const POINT_CATALOG: Readonly<Record<PointType, PointTypeSpec>> = deepFreeze(CATALOG);

/** Whether `s` is one of the catalog's point type codes. */
export function isPointType(s: unknown): s is PointType {
  return typeof s === 'string' && Object.prototype.hasOwnProperty.call(CATALOG, s);
}
