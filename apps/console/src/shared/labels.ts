// Chinese labels for the wire names of the API (the code names stay English).
import { RISK_CATEGORY_NAMES } from '@sw/hazards';
import { regionName } from '@sw/sensors';
import type { AlarmCondition, AlarmKind, AlarmStage, DisposalCause, HazardSource, HazardStatus, PublicReportStatus, RiskCategory, Role, Tier } from '../api/api.types';

export const TIER_ORDER: readonly Tier[] = ['red', 'orange', 'yellow', 'blue'];

export const TIER_LABEL: Record<Tier, string> = { red: '一级', orange: '二级', yellow: '三级', blue: '四级' };
export const TIER_COLOUR_NAME: Record<Tier, string> = { red: '红', orange: '橙', yellow: '黄', blue: '蓝' };
/** Chart colours; the same values as the --tier-* CSS variables. */
export const TIER_COLOUR: Record<Tier, string> = { red: '#d7263d', orange: '#f07f13', yellow: '#d4a500', blue: '#1f6feb' };

/** "红色（一级）": colour first, level in brackets, as the console and the report write a tier. */
export function tierText(tier: Tier): string {
  return `${TIER_COLOUR_NAME[tier]}色（${TIER_LABEL[tier]}）`;
}

/** A region code as users read it: the GB/T 2260 name with the code, e.g. 吴中区（320506）; unknown codes as they are. */
export function districtText(code: string | null): string {
  if (code === null) return '全部辖区';
  const name = regionName(code);
  return name ? `${name}（${code}）` : code;
}

/** The GB/T 2260 name alone (charts, tight cells); the code when unknown. */
export function districtName(code: string): string {
  return regionName(code) ?? code;
}

export const CONDITION_LABEL: Record<AlarmCondition, string> = { active: '报警中', cleared: '已恢复' };
export const STAGE_LABEL: Record<AlarmStage, string> = { open: '待处置', disposed: '已处置', closed: '已关闭' };

export const KIND_LABEL: Record<AlarmKind, string> = {
  threshold: '超限',
  rate: '突变',
  offline: '离线',
  fault: '故障',
  combined: '组合条件',
};

export const CATEGORY_LABEL: Readonly<Record<RiskCategory, string>> = RISK_CATEGORY_NAMES;
export const CATEGORIES = Object.keys(CATEGORY_LABEL) as RiskCategory[];

export const CAUSE_LABEL: Record<DisposalCause, string> = {
  real_hazard: '真实隐患',
  equipment_fault: '设备故障',
  maintenance: '检修维护',
  false_alarm: '误报',
  other: '其他',
};

export const ROLE_LABEL: Record<Role, string> = { admin: '系统管理员', regulator: '监管值班', enterprise: '企业安全员' };

/** An event actor's role (docs/contracts.md §3 carries it as a string), in words. */
export function roleText(role: string): string {
  return (ROLE_LABEL as Record<string, string | undefined>)[role] ?? role;
}

export const EVENT_LABEL: Record<string, string> = {
  raised: '报警产生',
  reactivated: '再次报警',
  tier_changed: '级别变化',
  cleared: '报警恢复',
  acknowledged: '已确认',
  disposed: '已处置',
  closed: '已关闭',
  shelved: '已搁置',
  unshelved: '取消搁置',
  suppressed: '检修屏蔽',
  unsuppressed: '解除屏蔽',
  escalated: '升级通知',
  notified: '通知',
  commented: '备注',
};

export const CHANNEL_LABEL: Record<string, string> = {
  sms: '短信',
  aliyun_sms: '阿里云短信',
  tencent_sms: '腾讯云短信',
  wecom: '企业微信',
  wechat: '微信公众号',
  wechat_mp: '微信公众号',
};

export const OUTCOME_LABEL: Record<string, string> = { sent: '已发送', delivered: '已送达', failed: '失败', skipped: '跳过', deduplicated: '重复略过' };

// --- the hazard register: the same words as its export and the 举报 page (apps/api) -------------

export const HAZARD_STATUS_LABEL: Record<HazardStatus, string> = {
  reported: '待确认',
  confirmed: '已确认',
  rejected: '不予认定',
  rectifying: '整改中',
  submitted: '待验收',
  signed_off: '已销号',
};
export const HAZARD_STATUSES = Object.keys(HAZARD_STATUS_LABEL) as HazardStatus[];

export const HAZARD_SOURCE_LABEL: Record<HazardSource, string> = {
  self_check: '企业自查',
  inspection: '督导检查',
  regulator: '监管录入',
  alarm: '报警处置',
  report: '群众举报',
};
export const HAZARD_SOURCES = Object.keys(HAZARD_SOURCE_LABEL) as HazardSource[];

export const HAZARD_EVENT_LABEL: Record<string, string> = {
  reported: '登记',
  confirmed: '确认',
  rejected: '不予认定',
  planned: '整改方案',
  submitted: '提交整改材料',
  returned: '退回整改',
  signed_off: '销号',
};

/** 举报 statuses as the reporter reads them (apps/api/src/public/public-reports.service.ts). */
export const REPORT_STATUS_LABEL: Record<PublicReportStatus, string> = {
  received: '已受理',
  assigned: '已分派核查',
  verifying: '核查中',
  confirmed: '查实',
  unfounded: '不实',
};
