import { catalogueLabel } from '../catalogue/hazard-catalogue.constants';
import type { HazardEventName, HazardSource, HazardStatus } from '../life/hazard.types';

const DAY_MS = 86_400_000;

/** A hazard as the analysis reads it: its fixed attributes and its timeline (events in order). */
export interface HazardHistory {
  id: string;
  regionCode: string;
  source: HazardSource;
  article: number;
  item: number | null;
  categories: readonly string[];
  events: readonly { event: HazardEventName; at: string; to: HazardStatus; data: Record<string, unknown> }[];
}

/** The period [from, to): ISO 8601 instants. */
export interface AnalysisPeriod {
  from: string;
  to: string;
}

export interface HazardAnalysis {
  period: AnalysisPeriod;
  /** Hazards reported in the period. */
  reported: number;
  /** Of those, counted by source, category, article (第十一条), region and status as of `to`. */
  bySource: Record<string, number>;
  byCategory: Record<string, number>;
  byArticle: Record<string, number>;
  byRegion: Record<string, number>;
  byStatus: Record<string, number>;
  /** Every hazard reported before `to`, as of `to`: open (confirmed, not signed off) and overdue among them. */
  open: number;
  overdue: number;
  /** Hazards confirmed in the period, and how many of them were signed off before `to`. */
  confirmed: number;
  confirmedSignedOff: number;
  /** 动态清零率 = confirmedSignedOff ÷ confirmed; null when nothing was confirmed. */
  clearanceRate: number | null;
  /** Days from confirmation to sign-off of the hazards signed off in the period. */
  daysToSignOff: { count: number; median: number | null; p90: number | null };
}

/** Median: the middle value, or the mean of the two middle ones. */
export function median(sorted: readonly number[]): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const mid = Math.floor(n / 2);
  return n % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The p-th percentile by nearest rank: the value at rank ⌈p·n⌉ of the sorted list. */
export function nearestRank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1] as number;
}

const inPeriod = (at: string, p: { from: number; to: number }) => {
  const t = Date.parse(at);
  return t >= p.from && t < p.to;
};
const bump = (m: Record<string, number>, k: string) => {
  m[k] = (m[k] ?? 0) + 1;
};
const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** The hazard's state as of `to`: status, confirmation, sign-off and the deadline then in force. */
function asOf(h: HazardHistory, to: number) {
  const before = h.events.filter((e) => Date.parse(e.at) < to);
  const last = before.at(-1);
  const planned = before.filter((e) => e.event === 'planned').at(-1);
  const deadline = typeof planned?.data['deadline'] === 'string' ? Date.parse(planned.data['deadline']) : null;
  return {
    status: last?.to ?? null,
    reportedAt: before.find((e) => e.event === 'reported')?.at ?? null,
    confirmedAt: before.find((e) => e.event === 'confirmed')?.at ?? null,
    signedOffAt: before.find((e) => e.event === 'signed_off')?.at ?? null,
    deadline,
  };
}

/**
 * The register's figures for a period (docs/domain.md "The closed loop", Analysis): counts of the
 * hazards reported in it, open and overdue as of its end, days from confirmation to sign-off
 * (median, p90 by nearest rank, one decimal) and 动态清零率 = of the hazards confirmed in the
 * period, the share signed off by its end (four decimals). Pure: histories and period come in.
 */
export function analyseHazards(histories: readonly HazardHistory[], period: AnalysisPeriod): HazardAnalysis {
  const p = { from: Date.parse(period.from), to: Date.parse(period.to) };
  const a: HazardAnalysis = {
    period,
    reported: 0,
    bySource: {},
    byCategory: {},
    byArticle: {},
    byRegion: {},
    byStatus: {},
    open: 0,
    overdue: 0,
    confirmed: 0,
    confirmedSignedOff: 0,
    clearanceRate: null,
    daysToSignOff: { count: 0, median: null, p90: null },
  };
  const days: number[] = [];
  for (const h of histories) {
    const s = asOf(h, p.to);
    if (!s.status || !s.reportedAt) continue; // reported after the period
    if (inPeriod(s.reportedAt, p)) {
      a.reported++;
      bump(a.bySource, h.source);
      for (const c of h.categories) bump(a.byCategory, c);
      bump(a.byArticle, catalogueLabel(h.article, null));
      bump(a.byRegion, h.regionCode);
      bump(a.byStatus, s.status);
    }
    const open = s.confirmedAt !== null && s.status !== 'signed_off' && s.status !== 'rejected';
    if (open) a.open++;
    if (open && s.deadline !== null && s.deadline < p.to) a.overdue++;
    if (s.confirmedAt && inPeriod(s.confirmedAt, p)) {
      a.confirmed++;
      if (s.signedOffAt) a.confirmedSignedOff++;
    }
    if (s.confirmedAt && s.signedOffAt && inPeriod(s.signedOffAt, p)) days.push((Date.parse(s.signedOffAt) - Date.parse(s.confirmedAt)) / DAY_MS);
  }
  days.sort((x, y) => x - y);
  const med = median(days);
  const p90 = nearestRank(days, 0.9);
  a.clearanceRate = a.confirmed === 0 ? null : round(a.confirmedSignedOff / a.confirmed, 4);
  a.daysToSignOff = { count: days.length, median: med === null ? null : round(med, 1), p90: p90 === null ? null : round(p90, 1) };
  return a;
}
