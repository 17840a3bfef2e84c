// DOMAIN.md "The policy behind it" and "KPIs": who is in the connection scope on a day, and the
// connection and online rates over them — pure functions, time passed in.
import type { RiskCategory } from '@sw/persistence';
import { inConnectionScope, isPaused, type PolicyEnterprise, rate } from '@sw/kpi';
import { OFFLINE_MISSED_INTERVALS } from '@sw/rules';

// The policy scope and the rounding live in @sw/kpi (pure, shared with the period KPIs and the report).
export { endOfShanghaiDay, inConnectionScope, type PolicyEnterprise, rate, SCOPE_FROM } from '@sw/kpi';

export interface KpiPoint {
  mandatory: boolean;
  expectedIntervalS: number;
  /** the newest reading at or before the instant asked about, or null */
  lastReadingAt: Date | null;
}

/**
 * Online at instant `at`: every mandatory point (or, with none, at least one point) reported within
 * its offline window, 3 × expectedIntervalS (DOMAIN.md). No points: not online.
 */
export function isOnline(points: readonly KpiPoint[], at: Date): boolean {
  const reported = (p: KpiPoint) =>
    p.lastReadingAt !== null && p.lastReadingAt.getTime() <= at.getTime() && at.getTime() - p.lastReadingAt.getTime() <= OFFLINE_MISSED_INTERVALS * p.expectedIntervalS * 1000;
  const mandatory = points.filter((p) => p.mandatory);
  return mandatory.length > 0 ? mandatory.every(reported) : points.some(reported);
}

/** An enterprise as the KPI sees it on the day. */
export interface KpiEnterprise extends PolicyEnterprise {
  riskCategories: readonly RiskCategory[];
  id: string;
  name: string;
  uscc: string;
  regionCode: string;
  /** a gateway delivered a valid reading before the end of the day */
  connected: boolean;
  /** online at the end of the day (only asked of connected, not suspended enterprises) */
  online: boolean;
}

export interface RateGroup {
  inScope: number;
  connected: number;
  connectionRate: number | null;
  online: number;
  onlineRate: number | null;
}

/** CONTRACTS.md §4 `GET /kpi/connection`. */
export interface ConnectionKpi extends RateGroup {
  regionCode: string | null;
  asOf: string;
  byDistrict: (RateGroup & { regionCode: string })[];
  byCategory: (RateGroup & { category: RiskCategory })[];
  notConnected: { id: string; name: string; uscc: string; regionCode: string; riskCategories: RiskCategory[] }[];
}

interface Tally {
  inScope: number;
  connected: number;
  onlineBase: number;
  online: number;
}

function tally(list: readonly KpiEnterprise[]): RateGroup {
  const t: Tally = { inScope: list.length, connected: 0, onlineBase: 0, online: 0 };
  for (const e of list) {
    if (!e.connected) continue;
    t.connected++;
    if (isPaused(e.status)) continue; // DOMAIN.md: suspended (停产, 停业) stays in scope, out of the online rate
    t.onlineBase++;
    if (e.online) t.online++;
  }
  return { inScope: t.inScope, connected: t.connected, connectionRate: rate(t.connected, t.inScope), online: t.online, onlineRate: rate(t.online, t.onlineBase) };
}

function groupBy<K extends string>(list: readonly KpiEnterprise[], keys: (e: KpiEnterprise) => readonly K[]): Map<K, KpiEnterprise[]> {
  const groups = new Map<K, KpiEnterprise[]>();
  for (const e of list) {
    for (const k of keys(e)) {
      const group = groups.get(k);
      if (group) group.push(e);
      else groups.set(k, [e]);
    }
  }
  return new Map([...groups].sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * The connection KPI over `enterprises` (already narrowed to the region) on `asOf`. Overall, by
 * six-digit district, and by risk category: an enterprise with several categories counts once
 * overall and once in each of its categories (CONTRACTS.md §4).
 */
export function computeConnectionKpi(regionCode: string | null, asOf: string, enterprises: readonly KpiEnterprise[]): ConnectionKpi {
  const inScope = enterprises.filter((e) => inConnectionScope(e, asOf));
  return {
    regionCode,
    asOf,
    ...tally(inScope),
    byDistrict: [...groupBy(inScope, (e) => [e.regionCode])].map(([code, list]) => ({ regionCode: code, ...tally(list) })),
    byCategory: [...groupBy(inScope, (e) => e.riskCategories)].map(([category, list]) => ({ category, ...tally(list) })),
    notConnected: inScope
      .filter((e) => !e.connected)
      .sort((a, b) => a.regionCode.localeCompare(b.regionCode) || a.name.localeCompare(b.name, 'zh'))
      .map((e) => ({ id: e.id, name: e.name, uscc: e.uscc, regionCode: e.regionCode, riskCategories: [...e.riskCategories] })),
  };
}
