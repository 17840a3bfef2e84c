import type { RiskCategory } from '@sw/persistence';
import type { PointType, RegisterSpec, Thresholds } from '@sw/sensors';

export interface DemoPoint {
  code: string;
  type: PointType;
  name: string;
  location: string;
  intervalS: number;
  /** 判定标准 第十四条: a failed monitor on a required point is itself a major hazard. */
  mandatory?: boolean;
  /** Healthy reading in the point's unit; default: the type's signal profile. */
  baseline?: number;
  /** Per-point setpoints for the types the catalog leaves to the point (docs/domain.md). */
  thresholds?: Thresholds;
  /** Points of a polled gateway: where the device holds the value (docs/contracts.md §2). */
  register?: RegisterSpec;
}

export interface DemoGateway {
  code: string;
  /** A Modbus TCP device polled by ingest (served by `run` on SIMULATOR_MODBUS_HOST:PORT), not an MQTT client. */
  modbus?: { unitId: number; pollIntervalMs: number; timeoutMs: number };
  points: DemoPoint[];
}

export interface DemoEnterprise {
  /** Serial of the made-up organization code inside the USCC (see demoUscc). */
  serial: number;
  name: string;
  regionCode: string;
  riskCategories: RiskCategory[];
  dustWorkers?: number;
  employees: number;
  gateways: DemoGateway[];
}

/** The demo district's region prefix: 苏州市 (3205); 虎丘区 320505, 吴中区 320506, 相城区 320507. */
export const DEMO_REGION_PREFIX = '3205';

const p = (
  code: string, type: PointType, name: string, location: string, intervalS: number, extra: Partial<DemoPoint> = {},
): DemoPoint => ({ code, type, name, location, intervalS, ...extra });
const M = { mandatory: true } as const;

/**
 * Eight enterprises covering every risk category, each with the points its category is watched
 * for. Order matters: incidents default to the first gateway with the right point type.
 */
export const DEMO_DISTRICT: readonly DemoEnterprise[] = [
  {
    serial: 10501, name: '苏州浒墅关特钢有限公司', regionCode: '320505', riskCategories: ['steel'], employees: 1850,
    gateways: [
      { code: 'HSG-GAS-01', points: [
        p('CO-01', 'co', '1#转炉煤气区 CO 检测', '炼钢车间 1#转炉煤气回收风机房', 5, M),
        p('CO-02', 'co', '煤气加压站 CO 检测', '煤气柜区 加压机房', 5, M),
        p('CO-03', 'co', '转炉炉前平台 CO 检测', '炼钢车间 1#转炉 +9.5 m 平台', 5, M),
        p('O2-01', 'o2', '煤气加压站 氧含量', '煤气柜区 加压机房', 10),
      ] },
      { code: 'HSG-COOL-01', points: [
        p('FI-01', 'water_flow', '1#转炉氧枪冷却水进水流量', '炼钢车间 氧枪冷却水供水总管', 5, { ...M, baseline: 310, thresholds: { low: { orange: 240 } } }),
        p('FO-01', 'water_flow', '1#转炉氧枪冷却水回水流量', '炼钢车间 氧枪冷却水回水总管', 5, { baseline: 309, thresholds: { low: { orange: 240 } } }),
        p('FD-01', 'flow_difference', '1#转炉氧枪冷却水进出水流量差', '炼钢车间 氧枪冷却水系统', 5, { ...M, thresholds: { high: { red: 8 } } }),
        p('OT-01', 'outlet_temperature', '1#转炉氧枪冷却水出水温度', '炼钢车间 氧枪冷却水回水总管', 10, { ...M, thresholds: { high: { orange: 55 } } }),
        p('OT-02', 'outlet_temperature', '1#高炉炉身冷却壁出水温度', '炼铁车间 1#高炉 炉身第 8 段', 10, { baseline: 42, thresholds: { high: { orange: 60 } } }),
        p('TP-01', 'furnace_top_pressure', '1#高炉炉顶压力', '炼铁车间 1#高炉 炉顶', 5, { ...M, thresholds: { high: { red: 250 } } }),
      ] },
    ],
  },
  {
    serial: 10601, name: '苏州吴中华铝铸造有限公司', regionCode: '320506', riskCategories: ['aluminum_casting'], employees: 320,
    gateways: [
      { code: 'WZL-CAST-01', points: [
        p('CA-01', 'casting_active', '1#深井铸造机 铸造状态', '铸造车间 1#铸造井', 5),
        p('FL-01', 'water_flow', '1#结晶器冷却水流量', '铸造车间 1#铸造井 结晶器供水管', 5, { ...M, thresholds: { low: { orange: 80 } } }),
        p('PR-01', 'water_pressure', '1#结晶器冷却水压力', '铸造车间 1#铸造井 结晶器供水管', 5, { ...M, thresholds: { low: { orange: 0.2 } } }),
        p('ML-01', 'melt_level', '1#流槽铝液液位', '铸造车间 1#流槽与分流盘连接处', 5, { ...M, thresholds: { high: { orange: 160 } } }),
      ] },
      // 2# casting pit: its PLC is polled over Modbus TCP; floats word-swapped (CDAB) as many PLCs store them
      { code: 'WZL-PLC-02', modbus: { unitId: 1, pollIntervalMs: 1_000, timeoutMs: 1_000 }, points: [
        p('CA-02', 'casting_active', '2#深井铸造机 铸造状态', '铸造车间 2#铸造井 PLC', 5, { register: { function: 'coil', address: 0, type: 'bool' } }),
        p('FL-02', 'water_flow', '2#结晶器冷却水流量', '铸造车间 2#铸造井 结晶器供水管', 5, {
          ...M, baseline: 125, thresholds: { low: { orange: 80 } }, register: { function: 'holding', address: 100, type: 'float32', wordOrder: 'CDAB' },
        }),
        p('PR-03', 'water_pressure', '2#结晶器冷却水压力', '铸造车间 2#铸造井 结晶器供水管', 5, {
          ...M, thresholds: { low: { orange: 0.2 } }, register: { function: 'holding', address: 102, type: 'float32', wordOrder: 'CDAB' },
        }),
        p('ML-02', 'melt_level', '2#流槽铝液液位', '铸造车间 2#流槽与分流盘连接处', 5, {
          ...M, thresholds: { high: { orange: 160 } }, register: { function: 'input', address: 0, type: 'int16', scale: 0.1 },
        }),
      ] },
      { code: 'WZL-WATER-01', points: [
        p('LT-01', 'water_level', '应急水箱液位', '铸造车间 屋面应急水箱', 30, { ...M, thresholds: { low: { orange: 2000 } } }),
        p('PR-02', 'water_pressure', '应急供水管网压力', '铸造车间 应急供水总管', 10, { ...M, baseline: 0.4, thresholds: { low: { orange: 0.25 } } }),
        p('RUN-01', 'equipment_running', '1#循环水泵运行状态', '循环水泵房', 10),
      ] },
    ],
  },
  {
    serial: 10701, name: '苏州相城精密五金制品有限公司', regionCode: '320507', riskCategories: ['metal_dust'], dustWorkers: 46, employees: 260,
    gateways: [
      { code: 'XCW-DC-01', points: [
        p('HT-01', 'hopper_temperature', '1#干式除尘器灰斗温度', '抛光车间 1#除尘器灰斗', 10, M),
        p('DP-01', 'filter_dp', '1#干式除尘器滤袋压差', '抛光车间 1#除尘器', 30),
        p('SP-01', 'spark_detected', '1#除尘管道火花探测', '抛光车间 1#除尘器进风管', 5, M),
        p('AL-01', 'airlock_fault', '1#锁气卸灰阀故障', '抛光车间 1#除尘器卸灰口', 10),
      ] },
      { code: 'XCW-DC-02', points: [
        p('HT-02', 'hopper_temperature', '2#干式除尘器灰斗温度', '打磨车间 2#除尘器灰斗', 10, M),
        p('DP-02', 'filter_dp', '2#干式除尘器滤袋压差', '打磨车间 2#除尘器', 30),
        p('SP-02', 'spark_detected', '2#除尘管道火花探测', '打磨车间 2#除尘器进风管', 5, M),
      ] },
    ],
  },
  {
    serial: 10502, name: '苏州浒通金属抛光有限公司', regionCode: '320505', riskCategories: ['metal_dust'], dustWorkers: 14, employees: 85,
    gateways: [
      { code: 'HTP-DC-01', points: [
        p('HT-01', 'hopper_temperature', '干式除尘器灰斗温度', '抛光车间 除尘器灰斗', 10, M),
        p('DP-01', 'filter_dp', '干式除尘器滤袋压差', '抛光车间 除尘器', 30),
        p('SP-01', 'spark_detected', '除尘管道火花探测', '抛光车间 除尘器进风管', 5, M),
        p('EP-01', 'explosion_protection_fault', '除尘器泄爆装置状态', '抛光车间 除尘器泄爆口', 10),
        p('IB-01', 'interlock_bypassed', '除尘器与抛光机联锁旁路', '抛光车间 控制柜', 10),
      ] },
    ],
  },
  {
    serial: 10602, name: '苏州吴中香山木业家具有限公司', regionCode: '320506', riskCategories: ['wood_dust'], dustWorkers: 38, employees: 210,
    gateways: [
      { code: 'WZM-DC-01', points: [
        p('HT-01', 'hopper_temperature', '木工车间布袋除尘器灰斗温度', '木工车间 布袋除尘器灰斗', 10, M),
        p('DP-01', 'filter_dp', '木工车间布袋除尘器压差', '木工车间 布袋除尘器', 30),
        p('SP-01', 'spark_detected', '砂光机吸尘管道火花探测', '砂光工段 吸尘主管', 5, M),
        p('EP-01', 'explosion_protection_fault', '除尘器泄爆装置状态', '木工车间 布袋除尘器泄爆口', 10),
      ] },
    ],
  },
  {
    serial: 10702, name: '苏州阳澄湖饲料有限公司', regionCode: '320507', riskCategories: ['other_dust'], dustWorkers: 18, employees: 120,
    gateways: [
      { code: 'YCF-DC-01', points: [
        p('DP-01', 'filter_dp', '粉碎工段脉冲除尘器压差', '粉碎车间 脉冲除尘器', 30),
        p('HT-01', 'hopper_temperature', '粉碎工段除尘器灰斗温度', '粉碎车间 脉冲除尘器灰斗', 10),
        p('RUN-01', 'equipment_running', '1#锤片粉碎机运行状态', '粉碎车间 1#粉碎机', 10),
      ] },
    ],
  },
  {
    serial: 10503, name: '苏州虎丘冷链物流有限公司', regionCode: '320505', riskCategories: ['ammonia_refrigeration'], employees: 150,
    gateways: [
      { code: 'HQL-NH3-01', points: [
        p('NH3-01', 'nh3', '氨制冷机房 氨气浓度', '氨制冷机房 压缩机组上方', 5, M),
        p('NH3-02', 'nh3', '高压贮氨器 氨气浓度', '氨制冷机房 贮氨器间', 5, M),
        p('RUN-01', 'equipment_running', '1#螺杆氨压缩机运行状态', '氨制冷机房 1#压缩机', 10),
      ] },
      { code: 'HQL-NH3-02', points: [
        p('NH3-03', 'nh3', '冷库穿堂 氨气浓度', '1#冷库 穿堂', 5, M),
        p('T-01', 'temperature', '1#低温冷藏间温度', '1#冷库 低温冷藏间', 30, { baseline: -18, thresholds: { high: { yellow: -12 } } }),
      ] },
    ],
  },
  {
    serial: 10603, name: '苏州吴中城南污水处理有限公司', regionCode: '320506', riskCategories: ['confined_space'], employees: 95,
    gateways: [
      { code: 'WZS-CS-01', points: [
        p('H2S-01', 'h2s', '进水提升泵房集水井 硫化氢', '进水提升泵房 集水井', 5, M),
        p('O2-01', 'o2', '进水提升泵房集水井 氧含量', '进水提升泵房 集水井', 5, M),
        p('CO-01', 'co', '进水提升泵房集水井 一氧化碳', '进水提升泵房 集水井', 5, M),
        p('EX-01', 'combustible_gas', '进水提升泵房集水井 可燃气体', '进水提升泵房 集水井', 5),
      ] },
    ],
  },
];
