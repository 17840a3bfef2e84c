import { inConnectionScope, isPaused, type PolicyEnterprise, statusOn, type StatusChange } from './connection-scope';
import { daysBetween, endOfShanghaiDay, startOfShanghaiDay } from './days';
import { byGroups, type ByGroups, type Grouped } from './groups';
import { intersect, type Interval, measure, normalize, onlineIntervals, type StateChange } from './intervals';
import { meanRate } from './rate';

/** A period of Asia/Shanghai days, both included; `until` cuts it short (now, for a period not over). */
export interface KpiPeriod {
  from: string;
  to: string;
  until?: number;
}

export function periodWindow(p: KpiPeriod): Interval {
  const end = endOfShanghaiDay(p.to).getTime();
  return { start: startOfShanghaiDay(p.from), end: p.until === undefined ? end : Math.min(end, p.until) };
}

/** An enterprise with what the period KPIs need. */
export interface PeriodEnterprise extends Omit<PolicyEnterprise, 'status'>, Grouped {
  id: string;
  /** the status at registration, used before every recorded change */
  status: PolicyEnterprise['status'];
  statusHistory: readonly StatusChange[];
  /** first valid reading of any of its gateways (connected from then on), or null */
  connectedAt: number | null;
}

/**
 * When in the period the enterprise counts for the online rate and completeness: the days it is in
 * the connection scope and not suspended (DOMAIN.md), from its connection on, inside the period.
 */
export function eligibleIntervals(e: PeriodEnterprise, period: KpiPeriod): Interval[] {
  if (e.connectedAt === null) return [];
  const days = daysBetween(period.from, period.to)
    .filter((d) => {
      const status = statusOn(e.statusHistory, d, e.status);
      return !isPaused(status) && inConnectionScope({ ...e, status }, d);
    })
    .map((d) => ({ start: startOfShanghaiDay(d), end: endOfShanghaiDay(d).getTime() }));
  const window = periodWindow(period);
  return intersect(normalize(days), [{ start: Math.max(window.start, e.connectedAt), end: window.end }]);
}

/** An enterprise is online while every one of its gateways is (gateway_state_changes, one list per gateway). */
export function enterpriseOnline(gateways: readonly (readonly StateChange[])[], window: Interval): Interval[] {
  if (gateways.length === 0) return [];
  return gateways.map((g) => onlineIntervals(g, window)).reduce((acc, next) => intersect(acc, next));
}

export interface OnlineRate {
  /** enterprises with eligible time in the period */
  enterprises: number;
  /** mean over them of online time ÷ eligible time, 4 decimals; null for none */
  onlineRate: number | null;
}

export interface OnlineShare extends Grouped {
  id: string;
  eligibleMs: number;
  onlineMs: number;
}

/** Each enterprise's eligible and online time in the period. */
export function onlineShares(enterprises: readonly (PeriodEnterprise & { gateways: readonly (readonly StateChange[])[] })[], period: KpiPeriod): OnlineShare[] {
  const window = periodWindow(period);
  return enterprises.map((e) => {
    const eligible = eligibleIntervals(e, period);
    return { id: e.id, regionCode: e.regionCode, riskCategories: e.riskCategories, eligibleMs: measure(eligible), onlineMs: measure(intersect(eligible, enterpriseOnline(e.gateways, window))) };
  });
}

/**
 * 在线率 over a period (DOMAIN.md): per enterprise, online time ÷ time it counts (in scope, connected,
 * not suspended); averaged over the enterprises, overall, by district and by category.
 */
export function computeOnlineRate(shares: readonly OnlineShare[]): ByGroups<OnlineRate> {
  const counted = shares.filter((s) => s.eligibleMs > 0);
  return byGroups(counted, (list) => ({ enterprises: list.length, onlineRate: meanRate(list.map((s) => s.onlineMs / s.eligibleMs)) }));
}
