import { inConnectionScope, isPaused, type PolicyEnterprise, statusOn, type StatusChange } from './connection-scope';
import { daysBetween, endOfShanghaiDay, startOfShanghaiDay } from './days';
import { byGroups, type ByGroups, type Grouped } from './groups';
import { intersect, type Interval, measure, normalize } from './intervals';
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
 * the connection scope and not suspended (docs/domain.md), from its connection on, inside the period.
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

/** Readings from `first` to `last` with no gap longer than the point's offline window (one reading: first = last). */
export interface ReadingRun {
  first: number;
  last: number;
}

/** A point as the data-based online rate sees it. */
export interface DataPoint {
  mandatory: boolean;
  /** its offline window: OFFLINE_MISSED_INTERVALS × expectedIntervalS, in ms */
  offlineWindowMs: number;
  createdAt: number;
  /** its readings from one offline window before `window` on, as runs */
  runs: readonly ReadingRun[];
}

/**
 * When a point counts as online inside `window`: from each reading until its offline window runs out
 * (docs/domain.md offline = no reading for 3 × expectedIntervalS): a run is online over [first, last + window).
 */
export function pointOnlineIntervals(p: DataPoint, window: Interval): Interval[] {
  return intersect(
    p.runs.map((r) => ({ start: r.first, end: r.last + p.offlineWindowMs })),
    [window],
  );
}

/**
 * 在线率 by data, not by gateway session (issue 14): an enterprise is online while every mandatory
 * point that exists by then is online; while it has no mandatory point, while at least one point is.
 */
export function enterpriseOnlineByData(points: readonly DataPoint[], window: Interval): Interval[] {
  const mandatory = points.filter((p) => p.mandatory);
  const anyPoint = normalize(points.flatMap((p) => pointOnlineIntervals(p, window)));
  if (mandatory.length === 0) return anyPoint;
  const firstMandatory = Math.min(...mandatory.map((p) => p.createdAt));
  const beforeMandatory = intersect(anyPoint, [{ start: window.start, end: firstMandatory }]);
  const everyMandatory = mandatory
    .map((p) => normalize([...pointOnlineIntervals(p, window), { start: window.start, end: p.createdAt }]))
    .reduce((acc, next) => intersect(acc, next), [{ start: Math.max(window.start, firstMandatory), end: window.end }]);
  return normalize([...beforeMandatory, ...everyMandatory]);
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
export function onlineShares(enterprises: readonly (PeriodEnterprise & { points: readonly DataPoint[] })[], period: KpiPeriod): OnlineShare[] {
  const window = periodWindow(period);
  return enterprises.map((e) => {
    const eligible = eligibleIntervals(e, period);
    return { id: e.id, regionCode: e.regionCode, riskCategories: e.riskCategories, eligibleMs: measure(eligible), onlineMs: measure(intersect(eligible, enterpriseOnlineByData(e.points, window))) };
  });
}

/**
 * 在线率 over a period (docs/domain.md): per enterprise, time online by data (`enterpriseOnlineByData`) ÷
 * time it counts (in scope, connected, not suspended); averaged over the enterprises, overall, by district and by category.
 */
export function computeOnlineRate(shares: readonly OnlineShare[]): ByGroups<OnlineRate> {
  const counted = shares.filter((s) => s.eligibleMs > 0);
  return byGroups(counted, (list) => ({ enterprises: list.length, onlineRate: meanRate(list.map((s) => s.onlineMs / s.eligibleMs)) }));
}
