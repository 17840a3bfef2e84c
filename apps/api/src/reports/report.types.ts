import type { StoredReport } from '@sw/persistence';
import { regionName } from '@sw/sensors';
import { CATALOGUE_ARTICLES, type HazardAnalysis, RISK_CATEGORY_NAMES } from '@sw/hazards';
import type { AlarmKpi, AlarmLoad, ByGroups, Completeness, OnlineRate } from '@sw/kpi';
import type { ConnectionKpi } from '../kpi/connection-kpi.rule';

export interface TrendPoint {
  /** month `YYYY-MM` (the part of it inside the period) */
  month: string;
  connectionRate: number | null;
  onlineRate: number | null;
  completeness: number | null;
  disposalRate: number | null;
  timelyAckRate: number | null;
  timelyDisposalRate: number | null;
  alarms: number;
}

export interface ReportAlarm {
  id: string;
  enterprise: string;
  pointCode: string | null;
  tier: string;
  kind: string;
  stage: string;
  raisedAt: string;
  ackedAt: string | null;
  disposedAt: string | null;
  /** `overdue`: not disposed within its limit; `unclosed`: not closed */
  problems: ('overdue' | 'unclosed')[];
}

/** A 检修 window that overlapped the period (approved request, or a direct window). */
export interface ReportMaintenanceWindow {
  enterprise: string;
  regionCode: string;
  pointCode: string;
  pointName: string;
  mandatory: boolean;
  kind: 'request' | 'direct';
  reason: string;
  requestedBy: string;
  approvedBy: string | null;
  start: string;
  /** the planned end, or the early end */
  end: string;
  endedEarly: boolean;
}

/** Everything the half-year report shows; the PDF and the XLSX render the same figures. */
export interface HalfYearReport extends StoredReport {
  maintenance: ReportMaintenanceWindow[];
  connection: ConnectionKpi;
  online: ByGroups<OnlineRate>;
  completeness: ByGroups<Completeness>;
  alarms: ByGroups<AlarmKpi>;
  /** alarms raised in the period by the tier they were raised at (absent in snapshots stored before it was added) */
  tiers?: Record<'red' | 'orange' | 'yellow' | 'blue', number>;
  load: ByGroups<AlarmLoad>;
  trend: TrendPoint[];
  topEnterprises: { id: string; name: string; regionCode: string; alarms: number; red: number; orange: number; yellow: number; blue: number }[];
  problemAlarms: ReportAlarm[];
  causes: { cause: string; label: string; count: number }[];
  /**
   * 重大事故隐患 of the period (docs/domain.md "The closed loop"): the register's analysis over
   * [from 00:00, to + 1 day 00:00) Asia/Shanghai, cut at the generation time. Absent in versions
   * stored before the report carried it (they keep their figures; a regeneration adds it).
   */
  hazards?: HazardAnalysis;
}

export const CAUSE_LABELS: Record<string, string> = {
  real_hazard: '真实隐患',
  equipment_fault: '设备故障',
  maintenance: '检修维护',
  false_alarm: '误报',
  other: '其他',
};

/** Tiers as the console and the report write them: colour first, level in brackets. */
export const TIER_ZH: Record<string, string> = { red: '红色（一级）', orange: '橙色（二级）', yellow: '黄色（三级）', blue: '蓝色（四级）' };

/** Risk categories as the district plan names them. */
export const CATEGORY_ZH: Readonly<Record<string, string>> = RISK_CATEGORY_NAMES;

export const KIND_ZH: Record<string, string> = { threshold: '超限', rate: '突变', offline: '离线', fault: '故障', combined: '组合条件' };
export const STAGE_ZH: Record<string, string> = { open: '待处置', disposed: '已处置', closed: '已闭环' };
export const PROBLEM_ZH: Record<string, string> = { overdue: '超期', unclosed: '未闭环' };

/** An instant as Asia/Shanghai wall-clock time `YYYY-MM-DD HH:mm`, or — for none. */
export function shanghaiTime(iso: string | null): string {
  return iso === null ? '—' : new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** A district as the report shows it: its GB/T 2260 name and code. */
export function districtText(code: string): string {
  const name = regionName(code);
  return name ? `${name}（${code}）` : code;
}

/** A rate as a percentage with 2 decimals, or — for none. */
export function pct(r: number | null): string {
  return r === null ? '—' : `${(r * 100).toFixed(2)}%`;
}

/** A number of days with one decimal, or — for none. */
export function days(d: number | null): string {
  return d === null ? '—' : `${d.toFixed(1)} 天`;
}

/** Article labels (第三条 …) in the standard's order; anything else after them, by text. */
export function byArticleOrder(labels: string[]): string[] {
  const n = (l: string) => CATALOGUE_ARTICLES.find((a) => a.label === l)?.article ?? Number.MAX_SAFE_INTEGER;
  return [...labels].sort((a, b) => n(a) - n(b) || a.localeCompare(b));
}
