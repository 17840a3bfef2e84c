// The half-year work summary (docs/domain.md "The closed loop", Upward; the plan's 保障措施 四, due
// 4 June and 4 December): six sections, one per task group of the plan, each with the period's
// figures — taken from the stored KPI report snapshot, the hazard register, public reports,
// inspections and risk grades — and a narrative the bureau writes.
import { pct, TIER_ZH } from '../reports/report.types';

export const RISK_LEVELS = ['red', 'orange', 'yellow', 'blue'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];
export const RISK_LEVEL_ZH: Record<RiskLevel, string> = { red: '红（重大风险）', orange: '橙（较大风险）', yellow: '黄（一般风险）', blue: '蓝（低风险）' };

export const INSPECTION_MODES = ['double_random', 'four_no_two_direct', 'special', 'online_patrol', 'report'] as const;
export const INSPECTION_MODE_ZH: Record<(typeof INSPECTION_MODES)[number], string> = {
  double_random: '双随机',
  four_no_two_direct: '四不两直',
  special: '专项检查',
  online_patrol: '线上巡查',
  report: '举报核查',
};

export const HAZARD_SOURCE_ZH: Record<string, string> = { self_check: '企业自查', inspection: '督导检查', report: '群众举报', alarm: '报警处置' };

/** Every figure of a summary, frozen with it when finalized. */
export interface SummaryFigures {
  regionCode: string;
  from: string;
  to: string;
  /** the KPI half-year report snapshot the connection and alarm figures come from */
  kpiReport: { version: number; generatedAt: string };
  ledger: { enterprises: number; byStatus: Record<string, number>; riskDay: string | null; riskLevels: Record<RiskLevel, number>; ungraded: number };
  connection: {
    asOf: string;
    inScope: number;
    connected: number;
    rate: number | null;
    /** the previous half year's stored KPI snapshot, when there is one */
    previousRate: number | null;
    previousVersion: number | null;
    change: number | null;
    pointConnectionRate: number | null;
    onlineRate: number | null;
    notConnected: number;
  };
  alarms: { raised: number; byTier: Record<RiskLevel, number> | null; disposed: number; disposalRate: number | null; tiered: number; timelyAckRate: number | null; timelyDisposalRate: number | null };
  hazards: { reported: number; bySource: Record<string, number>; confirmed: number; signedOff: number; clearanceRate: number | null; open: number; overdue: number };
  /** `available: false` while the platform has no inspections table */
  inspections: { available: boolean; total: number; byMode: Record<string, number> };
  reports: { received: number; substantiated: number; unfounded: number; open: number; unattributed: number };
}

export const SECTION_KEYS = ['ledger', 'monitoring', 'alarms', 'hazards', 'enforcement', 'reports'] as const;
export type SectionKey = (typeof SECTION_KEYS)[number];

export interface SummarySection {
  key: SectionKey;
  title: string;
  /** the plan's task(s) the section reports on */
  basis: string;
  rows: [string, string][];
  /** why a figure is missing */
  note: string | null;
  narrative: string;
}

const TITLES: Record<SectionKey, { title: string; basis: string }> = {
  ledger: { title: '一、摸清企业底数，建立基础信息台账和分级分类', basis: '方案任务1（台账每半年报市局）、分级分类' },
  monitoring: { title: '二、推进安全风险监测预警系统接入', basis: '方案任务10（接入范围和时限）' },
  alarms: { title: '三、监测预警报警处置', basis: '方案任务10（监测预警闭环）' },
  hazards: { title: '四、重大事故隐患排查整治和动态清零', basis: '方案任务4（企业自查）、任务6（重大隐患数据库和销号）' },
  enforcement: { title: '五、精准执法检查', basis: '方案任务18（精准执法）' },
  reports: { title: '六、社会监督和举报查处', basis: '保障措施三（举报）' },
};

const n = (v: number) => String(v);
const signedPct = (v: number | null) => (v === null ? '—' : `${v >= 0 ? '+' : ''}${(v * 100).toFixed(2)} 个百分点`);
const STATUS_ZH: Record<string, string> = { opened: '开业', operating: '在产', suspended: '停产', out_of_business: '停业', closed: '关停' };

/** The six sections with their figures as label/value rows (the same rows in the console, DOCX and PDF). */
export function summarySections(f: SummaryFigures, narratives: Partial<Record<SectionKey, string>>): SummarySection[] {
  const c = f.connection;
  const a = f.alarms;
  const h = f.hazards;
  const rows: Record<SectionKey, { rows: [string, string][]; note: string | null }> = {
    ledger: {
      rows: [
        ['台账企业数（期末）', `${f.ledger.enterprises} 家`],
        ...Object.entries(f.ledger.byStatus).map(([s, k]): [string, string] => [`其中${STATUS_ZH[s] ?? s}`, `${k} 家`]),
        ...RISK_LEVELS.map((l): [string, string] => [`风险等级 ${RISK_LEVEL_ZH[l]}`, `${f.ledger.riskLevels[l]} 家`]),
        ['尚未评定风险等级', `${f.ledger.ungraded} 家`],
      ],
      note: f.ledger.riskDay ? `风险等级为 ${f.ledger.riskDay} 的评定结果。` : '统计期内尚无风险等级评定结果。',
    },
    monitoring: {
      rows: [
        ['接入率（期末）', `${pct(c.rate)}（${c.connected} / ${c.inScope} 家，截至 ${c.asOf}）`],
        ['较上半年', c.previousRate === null ? '上期无报告' : `${signedPct(c.change)}（上期 ${pct(c.previousRate)}）`],
        ['监测点接入率', pct(c.pointConnectionRate)],
        ['在线率（期末）', pct(c.onlineRate)],
        ['应接入未接入', `${c.notConnected} 家`],
      ],
      note: `数字取自第 ${f.kpiReport.version} 版半年报告（生成于 ${f.kpiReport.generatedAt.slice(0, 10)}）。`,
    },
    alarms: {
      rows: [
        ['报警总数', `${a.raised} 条`],
        ...RISK_LEVELS.map((t): [string, string] => [`${TIER_ZH[t] ?? t}报警`, a.byTier ? `${a.byTier[t]} 条` : '—']),
        ['报警处置率', `${pct(a.disposalRate)}（${a.disposed} / ${a.raised}）`],
        ['及时响应率', pct(a.timelyAckRate)],
        ['及时处置率', pct(a.timelyDisposalRate)],
      ],
      note: a.byTier ? null : '所用半年报告版本未按级别统计报警，按级别的数字不可用。',
    },
    hazards: {
      rows: [
        ['发现（上报）重大事故隐患', `${h.reported} 项`],
        ...Object.entries(h.bySource).map(([s, k]): [string, string] => [`其中${HAZARD_SOURCE_ZH[s] ?? s}`, `${k} 项`]),
        ['确认', `${h.confirmed} 项`],
        ['销号', `${h.signedOff} 项`],
        ['动态清零率', pct(h.clearanceRate)],
        ['期末未销号 / 其中逾期', `${h.open} / ${h.overdue} 项`],
      ],
      note: null,
    },
    enforcement: {
      rows: f.inspections.available
        ? [['执法检查（次）', n(f.inspections.total)], ...INSPECTION_MODES.map((m): [string, string] => [INSPECTION_MODE_ZH[m], `${f.inspections.byMode[m] ?? 0} 次`])]
        : [],
      note: f.inspections.available ? null : '执法检查数据暂不可用（平台尚未启用执法检查模块）。',
    },
    reports: {
      rows: [
        ['收到举报', `${f.reports.received} 件`],
        ['查实', `${f.reports.substantiated} 件`],
        ['不实', `${f.reports.unfounded} 件`],
        ['办理中', `${f.reports.open} 件`],
      ],
      note: f.reports.unattributed > 0 ? `另有 ${f.reports.unattributed} 件举报尚未确定所属区域，未计入。` : null,
    },
  };
  return SECTION_KEYS.map((key) => ({ key, ...TITLES[key], ...rows[key], narrative: narratives[key] ?? '' }));
}
