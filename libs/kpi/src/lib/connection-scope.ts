// DOMAIN.md "The policy behind it": who must be connected on a day.

/** 开业, 在产, 停产, 停业, 关停 (CONTRACTS.md §4 wire names). */
export type EnterpriseStatus = 'opened' | 'operating' | 'suspended' | 'out_of_business' | 'closed';

/**
 * Not producing on the day: 停产 (`suspended`) and 停业 (`out_of_business`) stay in the connection
 * scope but are left out of the online rate (DOMAIN.md: "a suspended one stays in scope").
 */
export function isPaused(status: EnterpriseStatus): boolean {
  return status === 'suspended' || status === 'out_of_business';
}

/** DOMAIN.md policy table: the first day each group of enterprises counts. */
export const SCOPE_FROM = { dust30: '2025-01-01', steelCastingDust10: '2026-01-01' } as const;

/** What the policy needs to know about an enterprise. */
export interface PolicyEnterprise {
  /** risk category codes (CONTRACTS.md §4) */
  riskCategories: readonly string[];
  /** 涉粉作业人数; unknown counts as 0 */
  dustWorkers: number | null;
  /** the status in force on the day */
  status: EnterpriseStatus;
}

/**
 * In the connection scope on `date` (YYYY-MM-DD, Asia/Shanghai): metal or wood dust with ≥ 30 dust
 * workers from 2025-01-01; steel, aluminium deep-well casting, or metal dust with ≥ 10 dust workers
 * from 2026-01-01. A closed enterprise leaves the scope from its closing date; suspended stays in.
 */
export function inConnectionScope(e: PolicyEnterprise, date: string): boolean {
  if (e.status === 'closed') return false;
  const workers = e.dustWorkers ?? 0;
  const has = (c: string) => e.riskCategories.includes(c);
  if (date >= SCOPE_FROM.dust30 && (has('metal_dust') || has('wood_dust')) && workers >= 30) return true;
  return date >= SCOPE_FROM.steelCastingDust10 && (has('steel') || has('aluminum_casting') || (has('metal_dust') && workers >= 10));
}

/** One recorded status change: from `effectiveDate` on, the status is `status`; `recordedAt` orders corrections. */
export interface StatusChange {
  status: EnterpriseStatus;
  effectiveDate: string;
  recordedAt: number;
}

/**
 * The status in force on `date`: among the changes effective on or before it, the one recorded last
 * (a closure recorded later with an earlier date overrides the registration row); before every
 * change, the first one recorded. The same rule as the SQL `STATUS_ON` of @sw/persistence.
 */
export function statusOn(history: readonly StatusChange[], date: string, fallback: EnterpriseStatus): EnterpriseStatus {
  const byRecorded = [...history].sort((a, b) => a.recordedAt - b.recordedAt || a.effectiveDate.localeCompare(b.effectiveDate));
  const effective = byRecorded.filter((c) => c.effectiveDate <= date);
  return (effective[effective.length - 1] ?? byRecorded[0])?.status ?? fallback;
}

/** Whether an enterprise with this status history must be connected on `date`. */
export function mustBeConnected(e: Omit<PolicyEnterprise, 'status'> & { statusHistory: readonly StatusChange[]; status: EnterpriseStatus }, date: string): boolean {
  return inConnectionScope({ ...e, status: statusOn(e.statusHistory, date, e.status) }, date);
}
