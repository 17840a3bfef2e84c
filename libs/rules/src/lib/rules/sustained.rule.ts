import type { Tier } from '@sw/sensors';
import type { RuleState } from '../evaluation/evaluation.types';
import { checkKeys, checkNumber, checkTier, isRecord } from './checks.schema';
import { RULE_LIMITS, TIER_RANK, maxTier, rankOf } from './rule.constants';
import type { SustainedLift } from './rule.types';

// Why a `sustained` list (a level rule's lifts) is invalid; empty when valid.
export function validateSustained(v: unknown): string[] {
  const out: string[] = [];
  if (v === undefined) return out;
  if (!Array.isArray(v) || v.length > RULE_LIMITS.maxLifts) {
    out.push(`sustained must be an array of at most ${RULE_LIMITS.maxLifts} lifts`);
    return out;
  }
  v.forEach((lift: unknown, i) => checkLift(out, `sustained[${i}]`, lift));
  return out;
}

function checkLift(out: string[], path: string, lift: unknown): void {
  if (!isRecord(lift)) {
    out.push(`${path} must be an object {fromTier, toTier, forS}`);
    return;
  }
  checkKeys(out, `${path}.`, lift, ['fromTier', 'toTier', 'forS']);
  const from = checkTier(out, `${path}.fromTier`, lift['fromTier']);
  const to = checkTier(out, `${path}.toTier`, lift['toTier']);
  checkNumber(out, `${path}.forS`, lift['forS'], { above: 0, max: RULE_LIMITS.maxSustainedS });
  if (from && to && TIER_RANK[lift['toTier'] as Tier] <= TIER_RANK[lift['fromTier'] as Tier]) {
    out.push(`${path}.toTier must be above fromTier`);
  }
}

// Keeps `held` in step with `base` at time `t`: a lift's clock runs while base ≥ its fromTier.
export function updateHeld(lifts: readonly SustainedLift[], state: RuleState, t: number): void {
  const held = state.held;
  if (!held) return;
  const base = rankOf(state.base);
  lifts.forEach((lift, i) => {
    held[i] = base >= TIER_RANK[lift.fromTier] ? (held[i] ?? t) : null;
  });
}

// `base` raised by every lift whose duration has passed by `t`.
export function liftedTier(lifts: readonly SustainedLift[], state: RuleState, t: number): Tier | null {
  let tier = state.base;
  lifts.forEach((lift, i) => {
    const since = state.held?.[i];
    if (since != null && since + lift.forS * 1000 <= t) tier = maxTier(tier, lift.toTier);
  });
  return tier;
}

// When the next lift that would raise the current tier is due, or null.
export function liftDue(lifts: readonly SustainedLift[], state: RuleState): number | null {
  let due: number | null = null;
  lifts.forEach((lift, i) => {
    const since = state.held?.[i];
    if (since == null || rankOf(state.tier) >= TIER_RANK[lift.toTier]) return;
    const at = since + lift.forS * 1000;
    if (due === null || at < due) due = at;
  });
  return due;
}
