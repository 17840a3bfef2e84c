import { type Thresholds, type Tier, type TierSetpoints, TIERS, effectiveDeadband } from '@sw/sensors';
import type { KindHooks, KindState } from '../evaluation/evaluation.types';
import { LEVEL_KEYS, checkGate, checkKeys, checkNumber, checkRange, checkTier, isRecord, type Rec } from './checks.schema';
import { RULE_LIMITS, TIER_RANK, maxTier, rankOf } from './rule.constants';
import type { ThresholdRule } from './rule.types';
import { validateSustained } from './sustained.rule';

type ThresholdState = Extract<KindState, { kind: 'threshold' }>;
type Direction = 'high' | 'low';

/**
 * Why a point's `thresholds` (docs/contracts.md §4) are invalid; empty when valid. Setpoints must rise
 * with the tier (high) or fall with it (low), and every low setpoint must lie below every high one.
 */
export function validateThresholds(v: unknown, path = 'thresholds'): string[] {
  const out: string[] = [];
  if (!isRecord(v)) return [`${path} must be an object`];
  checkKeys(out, `${path}.`, v, ['high', 'low', 'deadband', 'onDelayS', 'offDelayS']);
  const high = checkSetpoints(out, `${path}.high`, v['high'], 'high');
  const low = checkSetpoints(out, `${path}.low`, v['low'], 'low');
  if (high.length > 0 && low.length > 0 && Math.max(...low) >= Math.min(...high)) {
    out.push(`${path}: every low setpoint must be below every high setpoint`);
  }
  if (v['deadband'] !== undefined) checkNumber(out, `${path}.deadband`, v['deadband'], { min: 0 });
  for (const key of ['onDelayS', 'offDelayS']) {
    if (v[key] !== undefined) checkNumber(out, `${path}.${key}`, v[key], { min: 0, max: RULE_LIMITS.maxDelayS });
  }
  return out;
}

// Answers the valid setpoints, highest tier first.
function checkSetpoints(out: string[], path: string, v: unknown, dir: Direction): number[] {
  if (v === undefined || v === null) return [];
  if (!isRecord(v)) {
    out.push(`${path} must be an object of tier → setpoint, or null`);
    return [];
  }
  for (const key of Object.keys(v)) if (!(key in TIER_RANK)) checkTier(out, `${path} key '${key}'`, key);
  const values: number[] = [];
  for (const tier of TIERS) {
    const sp = v[tier];
    if (sp === undefined || !checkNumber(out, `${path}.${tier}`, sp)) continue;
    const previous = values[values.length - 1];
    if (previous !== undefined && (dir === 'high' ? sp >= previous : sp <= previous)) {
      out.push(`${path}.${tier} must be ${dir === 'high' ? 'below' : 'above'} the setpoint of the tier above it`);
    }
    values.push(sp);
  }
  return values;
}

// Why a threshold rule is invalid; empty when valid.
export function validateThresholdRule(rec: Rec): string[] {
  const out: string[] = [];
  checkKeys(out, '', rec, [...LEVEL_KEYS, 'thresholds', 'validRange']);
  for (const key of ['onDelayS', 'offDelayS']) if (rec[key] !== undefined) out.push(`${key} belongs in thresholds`);
  out.push(...validateThresholds(rec['thresholds']));
  out.push(...validateSustained(rec['sustained']));
  checkGate(out, rec['gate']);
  checkRange(out, 'validRange', rec['validRange']);
  return out;
}

// The tier of one direction, highest first (docs/style.md): a tier is entered at its setpoint and left
// only once the value is back inside it by the deadband — also when falling to a lower tier.
export function directionTier(
  setpoints: TierSetpoints | null | undefined,
  dir: Direction,
  value: number,
  current: Tier | null,
  deadband: number,
): Tier | null {
  if (!setpoints) return null;
  const held = rankOf(current);
  for (const tier of TIERS) {
    const sp = setpoints[tier];
    if (sp === undefined) continue;
    const holding = TIER_RANK[tier] <= held;
    const hit = dir === 'high' ? (holding ? value > sp - deadband : value >= sp) : holding ? value < sp + deadband : value <= sp;
    if (hit) return tier;
  }
  return null;
}

function fold(t: Thresholds, s: ThresholdState, value: number): void {
  s.high = directionTier(t.high, 'high', value, s.high, effectiveDeadband(t, 'high'));
  s.low = directionTier(t.low, 'low', value, s.low, effectiveDeadband(t, 'low'));
}

function outside(rule: ThresholdRule, value: number): boolean {
  const r = rule.validRange;
  return r !== undefined && (value < r.min || value > r.max);
}

// Evaluation of threshold rules: hysteresis per direction; the higher direction's tier wins.
export const thresholdHooks: KindHooks<ThresholdRule, ThresholdState> = {
  init: () => ({ kind: 'threshold', high: null, low: null }),
  clone: (s) => ({ ...s }),
  read(rule, s, reading) {
    // docs/contracts.md §1: a bad reading raises a sensor fault, never a process alarm.
    if (reading.quality === 'bad' || outside(rule, reading.value)) return undefined;
    fold(rule.thresholds, s, reading.value);
    return reading.value;
  },
  level: (_rule, s) => maxTier(s.high, s.low),
  cause: (_rule, s) => (s.high ? 'high' : s.low ? 'low' : undefined),
};
