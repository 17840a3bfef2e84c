import type { EnterpriseDetail, ProcessFlags } from '../api/api.types';
import { flagLines, ledgerGroups, standardizationText } from './ledger-view';

const NO_FLAGS: ProcessFlags = {
  deepWellCasting: false, castingFurnace: null, wireRopeCaster: false, ammoniaRefrigeration: false, ammoniaChargeKg: null, chlorine: false,
  confinedSpace: false, confinedSpaceGases: [], hazardousChemicals: false, liquor: false, tobaccoFumigation: false, spraying: false, silo: false,
};
const factory = {
  enterprise: (over: Partial<EnterpriseDetail> = {}): EnterpriseDetail => ({
    id: 'e1', name: '苏州某铝业', uscc: '91110108551385082Q', regionCode: '320506', riskCategories: ['aluminum_casting', 'metal_dust'], status: 'suspended',
    dustWorkers: null, employees: 320, industry: 'nonferrous', scale: 'above_designated', address: '吴中区某路 1 号', longitude: 120.5, latitude: 31.2,
    coordSystem: 'gcj02', industryDepartment: '吴中区工业和信息化局', processes: ['熔炼', '铸造'], keyEquipment: [], processFlags: { ...NO_FLAGS },
    dustKinds: ['铝粉'], standardizationGrade: 'level_3', standardizationValidUntil: '2027-01-31', standardizationRevokedOn: null, threeSimultaneity: [],
    principalName: '王建国', principalPhone: '13800001111', actualControllerName: '王立新', actualControllerPhone: null, safetyOfficerName: null, safetyOfficerPhone: null,
    statusHistory: [{ status: 'suspended', effectiveDate: '2026-01-05', reason: '停产整顿', recordedAt: '2026-01-05T02:00:00Z' }],
    personnelHistory: [], personnelChanges: [],
    ...over,
  }),
};

describe('ledger view', () => {
  it('groups every field under 基本信息, 负责人, 工艺与设备, 粉尘, 标准化, 三同时', () => {
    const sut = ledgerGroups(factory.enterprise(), '2026-06-30');
    expect(sut.map((g) => g.title)).toEqual(['基本信息', '负责人', '工艺与设备', '粉尘', '标准化', '三同时']);
    const rows = Object.fromEntries(sut.flatMap((g) => g.rows));
    expect(rows).toMatchObject({
      所属行业: '有色',
      企业规模: '规上',
      经营状态: '停产（2026-01-05 起，停产整顿）',
      经纬度: '120.5, 31.2（GCJ-02）',
      主要负责人: '王建国（13800001111）',
      实际控制人: '王立新',
      安全管理人员: '—',
      主要生产工艺: '熔炼、铸造',
      涉粉作业人数: '未填报（数据缺口）',
    });
  });

  it('names the flags the plan lists, with their details', () => {
    const sut = flagLines(factory.enterprise({ processFlags: { ...NO_FLAGS, deepWellCasting: true, castingFurnace: 'fixed', ammoniaRefrigeration: true, ammoniaChargeKg: 800, confinedSpace: true, confinedSpaceGases: ['h2s'] } }));
    expect(sut).toEqual(['深井铸造（固定式浇铸炉）', '液氨制冷（存量 800 kg）', '有限空间（硫化氢）']);
  });

  it('标准化: valid, expired, revoked', () => {
    expect(standardizationText(factory.enterprise(), '2026-06-30')).toBe('三级（有效期至 2027-01-31）');
    expect(standardizationText(factory.enterprise(), '2027-02-01')).toBe('三级（有效期至 2027-01-31，已过期）');
    expect(standardizationText(factory.enterprise({ standardizationRevokedOn: '2026-05-01' }), '2026-06-30')).toBe('三级（2026-05-01 已撤销）');
  });
});
