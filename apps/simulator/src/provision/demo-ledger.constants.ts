import type { CreateEnterpriseInput } from '@sw/persistence';

/** The ledger fields of a demo enterprise beyond what DEMO_DISTRICT holds (identity, categories, workers). */
export type DemoLedger = Omit<CreateEnterpriseInput, 'name' | 'uscc' | 'regionCode' | 'riskCategories' | 'dustWorkers' | 'employees' | 'status'>;

const DEPT = {
  320505: '苏州高新区（虎丘区）经济发展委员会',
  320506: '吴中区工业和信息化局',
  320507: '相城区工业和信息化局',
} as const;

/**
 * The demo district's basic-information ledger (基础信息台账), by USCC serial: made-up people and
 * plants at plausible places in 苏州 (coordinates GCJ-02, as a Chinese web map gives them). Two
 * entries give the data-quality view something to show: 华铝's fixed furnace and wire-rope caster
 * (判定标准 第五条 items to verify) and 浒通's expired standardization.
 */
export const DEMO_LEDGER: Readonly<Record<number, DemoLedger>> = {
  10501: {
    industry: 'metallurgy', scale: 'above_designated', industryDepartment: DEPT[320505],
    address: '江苏省苏州市高新区浒墅关镇青花路 18 号', longitude: 120.4815, latitude: 31.3972, coordSystem: 'gcj02',
    principalName: '陈志刚', principalPhone: '13801510501', actualControllerName: '陈国华', actualControllerPhone: '13901510501',
    safetyOfficerName: '周海峰', safetyOfficerPhone: '13701510501',
    processes: ['转炉炼钢', '连铸', '轧钢'], keyEquipment: ['1# 120 t 转炉', '煤气柜', '2# 板坯连铸机'],
    processFlags: { hazardousChemicals: true, confinedSpace: true, confinedSpaceGases: ['co'] },
    standardizationGrade: 'level_2', standardizationValidUntil: '2027-10-31',
    threeSimultaneity: [{ name: '煤气回收系统改造', designedOn: '2024-03-15', reviewedOn: '2024-05-10', acceptedOn: '2025-01-20' }],
  },
  10601: {
    industry: 'nonferrous', scale: 'above_designated', industryDepartment: DEPT[320506],
    address: '江苏省苏州市吴中区木渎镇金枫南路 1288 号', longitude: 120.5123, latitude: 31.2612, coordSystem: 'gcj02',
    principalName: '沈建明', principalPhone: '13801510601', actualControllerName: '沈立新', actualControllerPhone: '13901510601',
    safetyOfficerName: '顾晓东', safetyOfficerPhone: '13701510601',
    processes: ['熔炼', '深井铸造', '均质'], keyEquipment: ['30 t 固定式熔铝炉', '1# 深井铸造机', '2# 深井铸造机'],
    processFlags: { deepWellCasting: true, castingFurnace: 'fixed', wireRopeCaster: true, hazardousChemicals: true },
    dustKinds: [],
    standardizationGrade: 'level_3', standardizationValidUntil: '2027-03-31',
    threeSimultaneity: [
      { name: '二期铸造车间扩建', designedOn: '2025-02-10', reviewedOn: '2025-03-20', acceptedOn: '2025-11-30' },
      { name: '倾动炉技改', designedOn: '2026-06-01', reviewedOn: null, acceptedOn: null },
    ],
  },
  10701: {
    industry: 'machinery', scale: 'above_designated', industryDepartment: DEPT[320507],
    address: '江苏省苏州市相城区黄埭镇潘阳工业园春兴路 66 号', longitude: 120.5556, latitude: 31.4531, coordSystem: 'gcj02',
    principalName: '钱伟', principalPhone: '13801510701', actualControllerName: '钱永兴', actualControllerPhone: '13901510701',
    safetyOfficerName: '吴磊', safetyOfficerPhone: '13701510701',
    processes: ['冲压', '抛光', '打磨'], keyEquipment: ['1# 干式除尘器', '2# 干式除尘器', '自动抛光线'],
    dustKinds: ['铝粉', '不锈钢粉'],
    standardizationGrade: 'small_micro', standardizationValidUntil: '2028-01-31',
  },
  10502: {
    industry: 'machinery', scale: 'below_designated', industryDepartment: DEPT[320505],
    address: '江苏省苏州市高新区通安镇华金路 205 号', longitude: 120.4398, latitude: 31.3357, coordSystem: 'gcj02',
    principalName: '许明', principalPhone: '13801510502', actualControllerName: '许明', actualControllerPhone: '13801510502',
    safetyOfficerName: '蒋小兵', safetyOfficerPhone: '13701510502',
    processes: ['金属抛光'], keyEquipment: ['干式除尘器', '抛光机 12 台'],
    dustKinds: ['铝镁粉'],
    standardizationGrade: 'small_micro', standardizationValidUntil: '2026-03-31',
  },
  10602: {
    industry: 'light_industry', scale: 'above_designated', industryDepartment: DEPT[320506],
    address: '江苏省苏州市吴中区香山街道香山大道 399 号', longitude: 120.4286, latitude: 31.2341, coordSystem: 'gcj02',
    principalName: '朱德林', principalPhone: '13801510602', actualControllerName: '朱德林', actualControllerPhone: '13801510602',
    safetyOfficerName: '徐春', safetyOfficerPhone: '13701510602',
    processes: ['开料', '砂光', '喷涂', '组装'], keyEquipment: ['布袋除尘器', '宽带砂光机', '喷漆房'],
    processFlags: { spraying: true, hazardousChemicals: true },
    dustKinds: ['木粉'],
    standardizationGrade: 'level_3', standardizationValidUntil: '2027-08-31',
  },
  10702: {
    industry: 'light_industry', scale: 'below_designated', industryDepartment: DEPT[320507],
    address: '江苏省苏州市相城区阳澄湖镇澄和路 58 号', longitude: 120.7612, latitude: 31.4265, coordSystem: 'gcj02',
    principalName: '陆建平', principalPhone: '13801510702', actualControllerName: '陆根宝', actualControllerPhone: '13901510702',
    safetyOfficerName: '金晓', safetyOfficerPhone: '13701510702',
    processes: ['原料接收', '粉碎', '混合', '制粒'], keyEquipment: ['锤片粉碎机', '脉冲除尘器', '原料筒仓 4 座'],
    processFlags: { silo: true, confinedSpace: true, confinedSpaceGases: ['co'] },
    dustKinds: ['玉米粉', '豆粕粉'],
    standardizationGrade: 'small_micro', standardizationValidUntil: '2027-05-31',
  },
  10503: {
    industry: 'commerce', scale: 'above_designated', industryDepartment: '苏州高新区（虎丘区）商务局',
    address: '江苏省苏州市高新区枫桥街道长江路 788 号', longitude: 120.5462, latitude: 31.3188, coordSystem: 'gcj02',
    principalName: '杨帆', principalPhone: '13801510503', actualControllerName: '杨振华', actualControllerPhone: '13901510503',
    safetyOfficerName: '唐亮', safetyOfficerPhone: '13701510503',
    processes: ['冷藏', '冷冻'], keyEquipment: ['螺杆氨压缩机 3 台', '高压贮氨器', '1# 低温冷藏间'],
    processFlags: { ammoniaRefrigeration: true, ammoniaChargeKg: 8500, confinedSpace: true, confinedSpaceGases: [] },
    standardizationGrade: 'level_3', standardizationValidUntil: '2027-12-31',
  },
  10603: {
    // 污水处理 is 水的生产和供应业, not one of the eight 工贸 sectors: 所属行业 stays empty
    scale: 'above_designated', industryDepartment: '吴中区水务局',
    address: '江苏省苏州市吴中区城南街道东吴南路 1 号', longitude: 120.6206, latitude: 31.2588, coordSystem: 'gcj02',
    principalName: '孙浩', principalPhone: '13801510603', actualControllerName: '吴中区水务集团有限公司', actualControllerPhone: null,
    safetyOfficerName: '马骏', safetyOfficerPhone: '13701510603',
    processes: ['格栅', '提升', '生化处理', '污泥脱水'], keyEquipment: ['进水提升泵房', '集水井', '污泥脱水机房'],
    processFlags: { confinedSpace: true, confinedSpaceGases: ['h2s', 'co'], hazardousChemicals: true },
    standardizationGrade: 'level_3', standardizationValidUntil: '2027-06-30',
  },
};
