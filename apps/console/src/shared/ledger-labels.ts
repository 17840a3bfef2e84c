// Chinese words of the ledger's (基础信息台账) code names, as the ledger files write them.
import type { EnterpriseDetail, EnterpriseStatus, Industry, PersonnelRole } from '../api/api.types';

export const STATUS_LABEL: Record<EnterpriseStatus, string> = { opened: '开业', operating: '在产', suspended: '停产', out_of_business: '停业', closed: '关停' };
export const INDUSTRY_LABEL: Record<Industry, string> = {
  metallurgy: '冶金',
  nonferrous: '有色',
  building_materials: '建材',
  machinery: '机械',
  light_industry: '轻工',
  textile: '纺织',
  tobacco: '烟草',
  commerce: '商贸',
};
export const SCALE_LABEL = { above_designated: '规上', below_designated: '规下' } as const;
export const GRADE_LABEL: Record<NonNullable<EnterpriseDetail['standardizationGrade']>, string> = { level_1: '一级', level_2: '二级', level_3: '三级', small_micro: '小微企业' };
export const COORD_LABEL = { gcj02: 'GCJ-02', wgs84: 'WGS-84' } as const;
export const FURNACE_LABEL = { tilting: '倾动式', fixed: '固定式' } as const;
export const GAS_LABEL = { h2s: '硫化氢', co: '一氧化碳' } as const;
export const ROLE_OF_PERSON: Record<PersonnelRole, string> = { principal: '主要负责人', actual_controller: '实际控制人', safety_officer: '安全管理人员' };
export const PERSONNEL_SOURCE_LABEL = { registry: '登记', ledger_import: '台账导入', regulator: '监管修改', enterprise_request: '企业申报', contacts: '通知联系人维护' } as const;
export const CHANGE_STATE_LABEL = { pending: '待审核', accepted: '已通过', rejected: '已退回' } as const;
