import { byGroups, type ByGroups, type Grouped } from './groups';
import { rate } from './rate';

const MIN = 60_000;
const HOUR = 60 * MIN;

/** docs/domain.md 及时响应率: acknowledged within red 5 min, orange 15 min, yellow 60 min. */
export const ACK_LIMIT_MS = { red: 5 * MIN, orange: 15 * MIN, yellow: 60 * MIN } as const;
/** docs/domain.md 及时处置率 [template]: disposed within 24 h (red, orange) or 72 h (yellow). */
export const DISPOSAL_LIMIT_MS = { red: 24 * HOUR, orange: 24 * HOUR, yellow: 72 * HOUR } as const;

export type KpiTier = 'red' | 'orange' | 'yellow' | 'blue';

/** An alarm raised in the period, as the disposal KPIs see it. */
export interface KpiAlarm extends Grouped {
  /** the highest tier it reached (peakTier): the tier whose limits apply */
  tier: KpiTier;
  raisedAt: number;
  /** the first `acknowledged` event, or null */
  ackedAt: number | null;
  /**
   * Each moment the alarm came to need an acknowledgement, with the tier it had then: `raised`,
   * `reactivated`, and every `tier_changed` upwards (a rise resets the acknowledgement, docs/contracts.md
   * §3; a fall does not). Without it, the raise at `raisedAt` with `tier`.
   */
  steps?: readonly TierStep[];
  /** every `acknowledged` event; without it, `ackedAt` alone */
  acks?: readonly number[];
  /** the first `disposed` event, or null */
  disposedAt: number | null;
  /** stage now */
  stage: 'open' | 'disposed' | 'closed';
}

export interface AlarmKpi {
  raised: number;
  disposed: number;
  /** 报警处置率: raised in the period and now disposed or closed ÷ raised */
  disposalRate: number | null;
  /** red, orange and yellow alarms raised in the period */
  tiered: number;
  ackedInTime: number;
  /** 及时响应率 */
  timelyAckRate: number | null;
  disposedInTime: number;
  /** 及时处置率 */
  timelyDisposalRate: number | null;
}

/** The alarm reached `tier` at `at` and needed an acknowledgement from then. */
export interface TierStep {
  tier: KpiTier;
  at: number;
}

/**
 * 及时响应率 for one alarm (issue 14): each step is held to the limit of the tier it reached, from the
 * moment it reached it — a yellow alarm that turned red must be acknowledged within 5 min of turning
 * red. A step is answered by an acknowledgement within its limit; it is late when none came and its
 * limit ran out before the next step (a rise before the yellow hour is up is judged as the rise).
 * An alarm never acknowledged is late. Blue steps have no limit.
 */
export function acknowledgedInTime(a: KpiAlarm): boolean {
  const steps = [...(a.steps ?? [{ tier: a.tier, at: a.raisedAt }])].sort((x, y) => x.at - y.at);
  const acks = a.acks ?? (a.ackedAt === null ? [] : [a.ackedAt]);
  if (acks.length === 0) return false;
  return steps.every((s, i) => {
    if (s.tier === 'blue') return true;
    const deadline = s.at + ACK_LIMIT_MS[s.tier];
    const next = steps[i + 1]?.at ?? Number.POSITIVE_INFINITY;
    return acks.some((t) => t >= s.at && t <= deadline) || next <= deadline;
  });
}

function within(from: number, at: number | null, limit: number): boolean {
  return at !== null && at - from <= limit;
}

export function summarizeAlarms(list: readonly KpiAlarm[]): AlarmKpi {
  const disposed = list.filter((a) => a.stage !== 'open').length;
  let tiered = 0;
  let ackedInTime = 0;
  let disposedInTime = 0;
  for (const a of list) {
    if (a.tier === 'blue') continue;
    tiered++;
    if (acknowledgedInTime(a)) ackedInTime++;
    if (within(a.raisedAt, a.disposedAt, DISPOSAL_LIMIT_MS[a.tier])) disposedInTime++;
  }
  return {
    raised: list.length,
    disposed,
    disposalRate: rate(disposed, list.length),
    tiered,
    ackedInTime,
    timelyAckRate: rate(ackedInTime, tiered),
    disposedInTime,
    timelyDisposalRate: rate(disposedInTime, tiered),
  };
}

/** Disposal rate, timely acknowledgement and timely disposal, overall, by district and by category. */
export function computeAlarmKpi(alarms: readonly KpiAlarm[]): ByGroups<AlarmKpi> {
  return byGroups(alarms, summarizeAlarms);
}
