import type { Tier } from '@sw/sensors';

/** docs/domain.md: offline after 3 × `expectedIntervalS` without a reading. */
export const OFFLINE_MISSED_INTERVALS = 3;

/** docs/domain.md: the interval a point reports at unless registered otherwise (docs/contracts.md §4: 60 s). */
export const DEFAULT_EXPECTED_INTERVAL_S = 60;

/** docs/domain.md: an analog value unchanged this long is a sensor fault (6 h). */
export const STUCK_AFTER_S = 6 * 3600;

/** docs/domain.md: offline → yellow, orange when the point is mandatory (判定标准 第十四条). */
export const OFFLINE_TIER: Tier = 'yellow';
export const OFFLINE_MANDATORY_TIER: Tier = 'orange';

/** docs/domain.md: a sensor fault is yellow. */
export const FAULT_TIER: Tier = 'yellow';

/** Level of a tier: none 0, blue 1, yellow 2, orange 3, red 4 (docs/contracts.md §3: red highest). */
export const TIER_RANK: Readonly<Record<Tier, number>> = Object.freeze({ blue: 1, yellow: 2, orange: 3, red: 4 });

// Tier by level, index 0 = none.
export const TIER_BY_RANK: readonly (Tier | null)[] = Object.freeze([null, 'blue', 'yellow', 'orange', 'red']);

// A gate is on when its point's latest value equals this, unless the rule says otherwise.
export const DEFAULT_GATE_VALUE = 1;

/** Seconds after a context (a cast, a collector) starts before its gated default rules judge [template]. */
export const DEFAULT_CONTEXT_GRACE_S = 60;

/** Bounds the validator enforces on user-written rules. */
export const RULE_LIMITS = Object.freeze({
  maxDelayS: 86_400, // 1 day
  maxSustainedS: 7 * 86_400, // 1 week
  maxWithinS: 86_400,
  maxConditions: 16,
  maxLifts: 4,
  maxIdLength: 128,
});

/** The level of a tier, 0 for none. */
export function rankOf(tier: Tier | null | undefined): number {
  return tier ? TIER_RANK[tier] : 0;
}

// The tier of a level, null for 0.
export function tierOf(rank: number): Tier | null {
  return TIER_BY_RANK[rank] ?? null;
}

/** The higher of two tiers (none is lowest). */
export function maxTier(a: Tier | null, b: Tier | null): Tier | null {
  return rankOf(a) >= rankOf(b) ? a : b;
}
