// DOMAIN.md "The policy behind it" and "KPIs": who is in the connection scope on a day, and the
// connection and online rates over them — pure functions, time passed in.
import type { EnterpriseStatus, RiskCategory } from '@sw/persistence';
import { OFFLINE_MISSED_INTERVALS } from '@sw/rules';

/** DOMAIN.md policy table: the first day each group of enterprises counts. */
export const SCOPE_FROM = { dust30: '2025-01-01', steelCastingDust10: '2026-01-01' } as const;

const SHANGHAI_OFFSET_MS = 8 * 3_600_000; // UTC+8, no daylight saving

/** What the policy needs to know about an enterprise. */
export interface PolicyEnterprise {
  riskCategories: readonly RiskCategory[];
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
  const has = (c: RiskCategory) => e.riskCategories.includes(c);
  if (date >= SCOPE_FROM.dust30 && (has('metal_dust') || has('wood_dust')) && workers >= 30) return true;
  return date >= SCOPE_FROM.steelCastingDust10 && (has('steel') || has('aluminum_casting') || (has('metal_dust') && workers >= 10));
}

/** The end of an Asia/Shanghai day, i.e. the next day's 00:00 +08:00, as an instant. */
export function endOfShanghaiDay(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000 - SHANGHAI_OFFSET_MS);
}

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

/** A fraction rounded to 4 decimals; null for a zero denominator. */
export function rate(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : Math.round((numerator / denominator) * 10_000) / 10_000;
}

/** An enterprise as the KPI sees it on the day. */
export interface KpiEnterprise extends PolicyEnterprise {
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
    if (e.status === 'suspended') continue; // DOMAIN.md: suspended stays in scope, out of the online rate
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
