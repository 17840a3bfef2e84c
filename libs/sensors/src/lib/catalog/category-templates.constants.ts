import { POINT_CATALOG } from './point-catalog.constants';
import type { PointType } from './point-catalog.types';

/** An enterprise's risk category (the registry's `riskCategories`). */
export type TemplateCategory =
  | 'steel'
  | 'aluminum_casting'
  | 'metal_dust'
  | 'wood_dust'
  | 'other_dust'
  | 'ammonia_refrigeration'
  | 'confined_space';

/** One point of a category's mandatory set (必选): what registering it creates. */
export interface TemplatePoint {
  /** Point code on the gateway; unique within the enterprise's combined set. */
  code: string;
  type: PointType;
  /** The catalog's default unit of the type ('' for digital points). */
  unit: string;
  nameZh: string;
  /** Seconds between readings the gateway should keep; offline after 3 of them. [template] */
  expectedIntervalS: number;
  /** What makes the point required: article and item, or `[template]`. */
  basis: string;
}

/** A category's mandatory indicator set. */
export interface CategoryTemplate {
  category: TemplateCategory;
  labelZh: string;
  /**
   * Whether a published national point list (接入规范) backs the set. None was public when this
   * was written: every set is a [template] derived from the monitoring-alarm items of 判定标准.
   */
  publishedList: boolean;
  /** The documents the set follows, and what in them is not public. */
  sources: readonly string[];
  points: readonly TemplatePoint[];
}

// 判定标准 = 《工贸企业重大事故隐患判定标准》(应急管理部令第10号, in force 2023-05-15).
const PANDING = '判定标准（应急管理部令第10号，2023）';
const STEEL_AL_NOTICE =
  '应急管理部办公厅《关于全面推进钢铁和铝加工（深井铸造）企业安全生产风险监测预警系统建设应用的通知》（应急厅函〔2024〕8号）: the modules and their 数据接入规范（试行）; the point lists of those specifications are not public';
const DUST_SPEC =
  '《粉尘涉爆企业安全生产风险监测预警数据接入规范（试行）》: classes sensor data as 必选参数 and two further classes; secondary summaries name 灰斗温度、进出口压差、锁气卸灰、湿式除尘水位/流量、除尘设备启停; the list itself is not public';
const DUST_NOTICE = '应急管理部办公厅 应急厅函〔2023〕82号 (dust-explosion enterprises: connect the monitoring-warning system)';

// Intervals are [template]: 5 s for process signals that precede a fast accident (cooling water,
// molten metal), 10 s for gas and dust-system signals; offline after three missed intervals.
const FAST = 5;
const NORMAL = 10;

function point(code: string, type: PointType, nameZh: string, expectedIntervalS: number, basis: string): TemplatePoint {
  return { code, type, unit: POINT_CATALOG[type].unit, nameZh, expectedIntervalS, basis };
}

const DRY_COLLECTOR = (article: string): TemplatePoint[] => [
  point('DC-RUN', 'equipment_running', '除尘器启停信号', NORMAL, `[template] context for the collector's rules; ${DUST_SPEC.split(':')[0]} (per secondary summaries)`),
  point('DC-DP', 'filter_dp', '除尘器进出口压差', NORMAL, '[template] (接入规范 必选参数 per secondary summaries)'),
  point('DC-HT', 'hopper_temperature', '除尘器灰斗温度', NORMAL, '[template] (接入规范 必选参数 per secondary summaries)'),
  point('DC-EXP', 'explosion_protection_fault', '泄爆/隔爆/抑爆装置状态', NORMAL, `${PANDING} 第十一条 (三)`),
  ...(article ? [point('DC-AIRLOCK', 'airlock_fault', '锁气卸灰装置故障', NORMAL, `${PANDING} 第十一条 ${article}`)] : []),
];

const TEMPLATES: readonly CategoryTemplate[] = [
  {
    category: 'steel',
    labelZh: '钢铁',
    publishedList: false,
    sources: [STEEL_AL_NOTICE, `${PANDING} 第四条 (四)(五)(六)`],
    points: [
      point('SM-OT', 'outlet_temperature', '炼钢炉水冷元件出水温度', FAST, `${PANDING} 第四条 (四)`),
      point('SM-FD', 'flow_difference', '炼钢炉水冷元件进出水流量差', FAST, `${PANDING} 第四条 (四)`),
      point('SM-IL', 'interlock_bypassed', '炼钢炉倾动/氧枪提升/电极断电联锁旁路', FAST, `${PANDING} 第四条 (四); a bypassed interlock: 第十四条`),
      point('BF-TOP', 'furnace_top_pressure', '高炉炉顶工作压力', FAST, `${PANDING} 第四条 (五)`),
      point('GAS-CO', 'co', '煤气区域固定式一氧化碳', NORMAL, `${PANDING} 第四条 (六)`),
    ],
  },
  {
    category: 'aluminum_casting',
    labelZh: '铝加工（深井铸造）',
    publishedList: false,
    sources: [STEEL_AL_NOTICE, `${PANDING} 第五条 (深井铸造 items: 结晶器冷却水; 流槽液位; 快速切断阀、紧急排放阀联锁)`],
    points: [
      point('CAST', 'casting_active', '铸造进行中', NORMAL, '[template] context for the cooling-water and melt-level rules'),
      point('CW-P', 'water_pressure', '结晶器冷却水进水压力', FAST, `${PANDING} 第五条 深井铸造结晶器冷却水进水压力项`),
      point('CW-F', 'water_flow', '结晶器冷却水进水流量', FAST, `${PANDING} 第五条 深井铸造结晶器冷却水进水流量项`),
      point('ML-OUT', 'melt_level', '浇铸炉铝液出口流槽液位', FAST, `${PANDING} 第五条 深井铸造流槽液位项`),
      point('ML-MOULD', 'melt_level', '流槽与模盘（分配流槽）入口连接处液位', FAST, `${PANDING} 第五条 深井铸造流槽与模盘入口连接处液位项`),
      point('CAST-IL', 'interlock_bypassed', '快速切断阀/紧急排放阀/流槽断开联锁旁路', FAST, `${PANDING} 第五条 深井铸造联锁项; a bypassed interlock: 第十四条`),
    ],
  },
  {
    category: 'metal_dust',
    labelZh: '金属粉尘',
    publishedList: false,
    sources: [DUST_SPEC, DUST_NOTICE, `${PANDING} 第十一条 (三)(四)(六)`],
    points: [
      ...DRY_COLLECTOR('(六)'),
      point('DC-SPARK', 'spark_detected', '火花探测', NORMAL, `${PANDING} 第十一条 (四)`),
    ],
  },
  {
    category: 'wood_dust',
    labelZh: '木粉尘',
    publishedList: false,
    sources: [DUST_SPEC, DUST_NOTICE, `${PANDING} 第十一条 (三)(六)(八)`],
    points: [
      ...DRY_COLLECTOR('(六)'),
      point('DC-SPARK', 'spark_detected', '砂光机风管火花探测', NORMAL, `${PANDING} 第十一条 (八)`),
    ],
  },
  {
    category: 'other_dust',
    labelZh: '其他可燃性粉尘',
    publishedList: false,
    sources: [DUST_SPEC, `${PANDING} 第十一条 (三)`],
    points: DRY_COLLECTOR(''),
  },
  {
    category: 'ammonia_refrigeration',
    labelZh: '涉氨制冷',
    publishedList: false,
    sources: ['[template] — 判定标准 第十二条 names no monitor; ammonia detectors interlocked with ventilation come from other rules; alarm levels GB/T 50493-2019 + GBZ 2.1-2019'],
    points: [point('NH3-01', 'nh3', '氨气浓度（机房）', NORMAL, '[template] GB/T 50493-2019 + GBZ 2.1-2019')],
  },
  {
    category: 'confined_space',
    labelZh: '有限空间',
    publishedList: false,
    sources: [`[template] — ${PANDING} 第十三条 concerns how confined-space work is done (检测、通风); fixed monitors at entrances are a template; alarm levels GB/T 50493-2019`],
    points: [
      point('CS-O2', 'o2', '有限空间氧气', NORMAL, '[template] GB/T 50493-2019'),
      point('CS-H2S', 'h2s', '有限空间硫化氢', NORMAL, `[template] ${PANDING} 第十三条 (硫化氢、一氧化碳中毒风险)`),
      point('CS-CO', 'co', '有限空间一氧化碳', NORMAL, `[template] ${PANDING} 第十三条 (硫化氢、一氧化碳中毒风险)`),
    ],
  },
];

/** The mandatory indicator set per risk category (必选), deeply frozen. */
export const CATEGORY_TEMPLATES: Readonly<Record<TemplateCategory, CategoryTemplate>> = Object.freeze(
  Object.fromEntries(TEMPLATES.map((t) => [t.category, Object.freeze({ ...t, points: Object.freeze(t.points.map((p) => Object.freeze(p))) })])) as Record<
    TemplateCategory,
    CategoryTemplate
  >,
);

/** The combined mandatory set of an enterprise's categories: one point per code (the first category's wins). */
export function mandatorySetOf(categories: Iterable<string>): TemplatePoint[] {
  const byCode = new Map<string, TemplatePoint>();
  for (const c of categories) {
    const template = (CATEGORY_TEMPLATES as Partial<Record<string, CategoryTemplate>>)[c];
    for (const p of template?.points ?? []) if (!byCode.has(p.code)) byCode.set(p.code, p);
  }
  return [...byCode.values()];
}

/** "必选 connected/required 已接入": how much of the mandatory set is registered and has reported. */
export interface MandatoryCoverage {
  /** Template points matched by a registered mandatory point of the same type. */
  registered: number;
  /** Of those, matched by one that has delivered at least one reading. */
  connected: number;
  required: number;
}

/**
 * The coverage of an enterprise's mandatory set by its mandatory points: per type, as many
 * template points as there are mandatory points of that type (at most the required number).
 */
export function mandatoryCoverage(categories: Iterable<string>, points: Iterable<{ type: PointType; mandatory: boolean; reported: boolean }>): MandatoryCoverage {
  const need = new Map<PointType, number>();
  for (const p of mandatorySetOf(categories)) need.set(p.type, (need.get(p.type) ?? 0) + 1);
  const have = new Map<PointType, { registered: number; connected: number }>();
  for (const p of points) {
    if (!p.mandatory) continue;
    const h = have.get(p.type) ?? { registered: 0, connected: 0 };
    h.registered++;
    if (p.reported) h.connected++;
    have.set(p.type, h);
  }
  const out: MandatoryCoverage = { registered: 0, connected: 0, required: 0 };
  for (const [type, n] of need) {
    const h = have.get(type);
    out.required += n;
    out.registered += Math.min(n, h?.registered ?? 0);
    out.connected += Math.min(n, h?.connected ?? 0);
  }
  return out;
}
