// docs/domain.md "The policy behind it" and "KPIs": who is in the connection scope on a day, and the
// connection and online rates over them — pure functions, time passed in.
import type { RiskCategory } from '@sw/persistence';
import { CONNECTION_WINDOW_DAYS, groupBy, isPaused, type PolicyEnterprise, rate, scopeVerdict } from '@sw/kpi';
import { OFFLINE_MISSED_INTERVALS } from '@sw/rules';

// The policy scope and the rounding live in @sw/kpi (pure, shared with the period KPIs and the report).
export { endOfShanghaiDay, inConnectionScope, type PolicyEnterprise, rate, SCOPE_FROM, scopeVerdict } from '@sw/kpi';

export interface KpiPoint {
  mandatory: boolean;
  expectedIntervalS: number;
  /** the newest reading at or before the instant asked about, or null */
  lastReadingAt: Date | null;
}

/**
 * Online at instant `at`: every mandatory point (or, with none, at least one point) reported within
 * its offline window, 3 × expectedIntervalS (docs/domain.md). No points: not online.
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
  /** its mandatory set is registered and every mandatory point reported within the window (`enterpriseConnection`) */
  connected: boolean;
  /** at least one mandatory point, covering the template's required types when one is known */
  registered: boolean;
  mandatoryPoints: number;
  /** mandatory points with a reading within the window */
  reportingPoints: number;
  /** online at the end of the day (only asked of connected, not suspended enterprises) */
  online: boolean;
}

export interface RateGroup {
  inScope: number;
  connected: number;
  /** 接入率: connected ÷ in scope */
  connectionRate: number | null;
  /** mandatory points of the in-scope enterprises */
  mandatoryPoints: number;
  /** of them, those with a reading within the window */
  reportingPoints: number;
  /** point-level 接入率: reporting ÷ mandatory points */
  pointConnectionRate: number | null;
  online: number;
  onlineRate: number | null;
  /** dust enterprises whose 涉粉作业人数 is unknown, so that their scope cannot be judged (a data gap, not 0) */
  unknownDustWorkers: number;
}

/** docs/contracts.md §4 `GET /kpi/connection`. */
export interface ConnectionKpi extends RateGroup {
  regionCode: string | null;
  asOf: string;
  /** the N of "every mandatory point reported within the last N days" */
  windowDays: number;
  byDistrict: (RateGroup & { regionCode: string })[];
  byCategory: (RateGroup & { category: RiskCategory })[];
  notConnected: { id: string; name: string; uscc: string; regionCode: string; riskCategories: RiskCategory[]; registered: boolean; mandatoryPoints: number; reportingPoints: number }[];
  /** enterprises left out of the scope because their dust-worker count is unknown */
  dataGaps: { id: string; name: string; uscc: string; regionCode: string; riskCategories: RiskCategory[]; gap: 'dust_workers_unknown' }[];
}

function tally(list: readonly KpiEnterprise[], gaps: readonly KpiEnterprise[]): RateGroup {
  let connected = 0;
  let onlineBase = 0;
  let online = 0;
  let mandatoryPoints = 0;
  let reportingPoints = 0;
  for (const e of list) {
    mandatoryPoints += e.mandatoryPoints;
    reportingPoints += e.reportingPoints;
    if (!e.connected) continue;
    connected++;
    if (isPaused(e.status)) continue; // docs/domain.md: suspended (停产, 停业) stays in scope, out of the online rate
    onlineBase++;
    if (e.online) online++;
  }
  return {
    inScope: list.length,
    connected,
    connectionRate: rate(connected, list.length),
    mandatoryPoints,
    reportingPoints,
    pointConnectionRate: rate(reportingPoints, mandatoryPoints),
    online,
    onlineRate: rate(online, onlineBase),
    unknownDustWorkers: gaps.length,
  };
}

const byName = (a: KpiEnterprise, b: KpiEnterprise) => a.regionCode.localeCompare(b.regionCode) || a.name.localeCompare(b.name, 'zh');

/**
 * The connection KPI over `enterprises` (already narrowed to the region) on `asOf`. Overall, by
 * six-digit district, and by risk category: an enterprise with several categories counts once
 * overall and once in each of its categories (docs/contracts.md §4). Enterprises whose scope hangs on an
 * unknown dust-worker count are counted apart (`unknownDustWorkers`, `dataGaps`), never as 0 workers.
 */
export function computeConnectionKpi(regionCode: string | null, asOf: string, enterprises: readonly KpiEnterprise[], windowDays = CONNECTION_WINDOW_DAYS): ConnectionKpi {
  const inScope = enterprises.filter((e) => scopeVerdict(e, asOf) === 'in');
  const gaps = enterprises.filter((e) => scopeVerdict(e, asOf) === 'unknown_dust_workers');
  const districts = new Set([...inScope, ...gaps].map((e) => e.regionCode));
  const categories = new Set([...inScope, ...gaps].flatMap((e) => e.riskCategories));
  const inDistricts = new Map(groupBy(inScope, (e) => [e.regionCode]));
  const gapDistricts = new Map(groupBy(gaps, (e) => [e.regionCode]));
  const inCategories = new Map(groupBy(inScope, (e) => e.riskCategories));
  const gapCategories = new Map(groupBy(gaps, (e) => e.riskCategories));
  return {
    regionCode,
    asOf,
    windowDays,
    ...tally(inScope, gaps),
    byDistrict: [...districts].sort().map((code) => ({ regionCode: code, ...tally(inDistricts.get(code) ?? [], gapDistricts.get(code) ?? []) })),
    byCategory: [...categories].sort().map((category) => ({ category, ...tally(inCategories.get(category) ?? [], gapCategories.get(category) ?? []) })),
    notConnected: inScope
      .filter((e) => !e.connected)
      .sort(byName)
      .map((e) => ({ id: e.id, name: e.name, uscc: e.uscc, regionCode: e.regionCode, riskCategories: [...e.riskCategories], registered: e.registered, mandatoryPoints: e.mandatoryPoints, reportingPoints: e.reportingPoints })),
    dataGaps: [...gaps].sort(byName).map((e) => ({ id: e.id, name: e.name, uscc: e.uscc, regionCode: e.regionCode, riskCategories: [...e.riskCategories], gap: 'dust_workers_unknown' as const })),
  };
}
