// docs/domain.md "The policy behind it": who must be connected on a day.

/** 开业, 在产, 停产, 停业, 关停 (docs/contracts.md §4 wire names). */
export type EnterpriseStatus = 'opened' | 'operating' | 'suspended' | 'out_of_business' | 'closed';

/**
 * Not producing on the day: 停产 (`suspended`) and 停业 (`out_of_business`) stay in the connection
 * scope but are left out of the online rate (docs/domain.md: "a suspended one stays in scope").
 */
export function isPaused(status: EnterpriseStatus): boolean {
  return status === 'suspended' || status === 'out_of_business';
}

/**
 * docs/domain.md policy table: the day by whose end each group must be connected. An enterprise counts
 * from that day on, so a figure "as of 2024-12-31" already counts the first group (the plan:
 * 2024年底前) and one "as of 2025-12-31" the second (2025年底前).
 */
export const SCOPE_FROM = { dust30: '2024-12-31', steelCastingDust10: '2025-12-31' } as const;

/** What the policy needs to know about an enterprise. */
export interface PolicyEnterprise {
  /** risk category codes (docs/contracts.md §4) */
  riskCategories: readonly string[];
  /** 涉粉作业人数; null when unknown — a data gap, never taken as 0 */
  dustWorkers: number | null;
  /** the status in force on the day */
  status: EnterpriseStatus;
}

/** In the scope, out of it, or undecidable because the dust-worker count that would decide it is unknown. */
export type ScopeVerdict = 'in' | 'out' | 'unknown_dust_workers';

/**
 * The connection scope on `date` (YYYY-MM-DD, Asia/Shanghai, as of its end): metal or wood dust
 * with ≥ 30 dust workers from 2024-12-31; steel, aluminium deep-well casting, or metal dust with ≥ 10
 * dust workers from 2025-12-31. A closed enterprise leaves the scope from its closing date; a
 * suspended one stays in. A dust enterprise whose worker count is unknown, and that no other rule
 * puts in scope, is `unknown_dust_workers`: shown as a data gap, counted neither in nor out.
 */
export function scopeVerdict(e: PolicyEnterprise, date: string): ScopeVerdict {
  if (e.status === 'closed') return 'out';
  const has = (c: string) => e.riskCategories.includes(c);
  const group1 = date >= SCOPE_FROM.dust30;
  const group2 = date >= SCOPE_FROM.steelCastingDust10;
  if (group2 && (has('steel') || has('aluminum_casting'))) return 'in';
  const dustThreshold = group2 && has('metal_dust') ? 10 : group1 && (has('metal_dust') || has('wood_dust')) ? 30 : null;
  if (dustThreshold === null) return 'out';
  if (e.dustWorkers === null) return 'unknown_dust_workers';
  return e.dustWorkers >= dustThreshold ? 'in' : 'out';
}

/** In the connection scope on `date` (see `scopeVerdict`; an unknown dust-worker count is not "in"). */
export function inConnectionScope(e: PolicyEnterprise, date: string): boolean {
  return scopeVerdict(e, date) === 'in';
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
