import type { KindHooks, KindState, Reading } from '../evaluation/evaluation.types';
import { LEVEL_KEYS, checkDelays, checkGate, checkKeys, checkNumber, checkRange, checkTier, type Rec } from './checks.schema';
import { RULE_LIMITS } from './rule.constants';
import type { RateRule } from './rule.types';
import { validateSustained } from './sustained.rule';

type RateState = Extract<KindState, { kind: 'rate' }>;

// Float slack for percent comparisons (100 → 70 is a 30 % drop, not 29.999…).
const EPSILON = 1e-9;

// Why a rate rule is invalid; empty when valid. Exactly one of `amount` and `percent`.
export function validateRateRule(rec: Rec): string[] {
  const out: string[] = [];
  checkKeys(out, '', rec, [...LEVEL_KEYS, 'direction', 'amount', 'percent', 'withinS', 'tier', 'validRange']);
  if (rec['direction'] !== 'rise' && rec['direction'] !== 'drop') out.push('direction must be rise or drop');
  const hasAmount = rec['amount'] !== undefined;
  const hasPercent = rec['percent'] !== undefined;
  if (hasAmount === hasPercent) out.push('exactly one of amount and percent is required');
  if (hasAmount) checkNumber(out, 'amount', rec['amount'], { above: 0 });
  if (hasPercent) checkNumber(out, 'percent', rec['percent'], { above: 0, max: 100 });
  checkNumber(out, 'withinS', rec['withinS'], { above: 0, max: RULE_LIMITS.maxWithinS });
  checkTier(out, 'tier', rec['tier']);
  checkDelays(out, rec);
  out.push(...validateSustained(rec['sustained']));
  checkGate(out, rec['gate']);
  checkRange(out, 'validRange', rec['validRange']);
  return out;
}

// Whether moving from `ref` to `value` is the rule's rise or drop. Percentages need a positive reference.
export function isRateHit(rule: RateRule, ref: number, value: number): boolean {
  const change = rule.direction === 'drop' ? ref - value : value - ref;
  if (change <= 0) return false;
  if (rule.amount !== undefined) return change >= rule.amount - EPSILON;
  return rule.percent !== undefined && ref > 0 && change * 100 >= rule.percent * ref * (1 - EPSILON);
}

/*
 * The window keeps a monotonic deque of (ts, value): for a drop the running maximum of the last
 * `withinS` seconds (reading time), for a rise the running minimum. The front is the reference.
 */
function push(rule: RateRule, s: RateState, reading: Reading): void {
  const dominated = (v: number): boolean => (rule.direction === 'drop' ? v <= reading.value : v >= reading.value);
  let n = s.times.length;
  // docs/contracts.md §1: two readings of one point with the same millisecond are one (the later wins).
  while (n > 0 && (s.times[n - 1] === reading.ts || dominated(s.values[n - 1] as number))) n--;
  s.times.length = n;
  s.values.length = n;
  s.times.push(reading.ts);
  s.values.push(reading.value);
}

function evict(rule: RateRule, s: RateState, ts: number): void {
  const from = ts - rule.withinS * 1000;
  let drop = 0;
  while (drop < s.times.length && (s.times[drop] as number) < from) drop++;
  if (drop > 0) {
    s.times.splice(0, drop);
    s.values.splice(0, drop);
  }
}

function reference(s: RateState, ts: number): number | undefined {
  // A front at the same millisecond is the reading being replaced, and nothing older is left.
  return s.times[0] === ts ? undefined : s.values[0];
}

// Evaluation of rate rules: on while the window holds a large enough rise or drop.
export const rateHooks: KindHooks<RateRule, RateState> = {
  init: () => ({ kind: 'rate', on: false, times: [], values: [] }),
  clone: (s) => ({ ...s, times: s.times.slice(), values: s.values.slice() }),
  read(rule, s, reading) {
    const r = rule.validRange;
    if (reading.quality === 'bad' || (r && (reading.value < r.min || reading.value > r.max))) return undefined;
    evict(rule, s, reading.ts);
    const ref = reference(s, reading.ts);
    s.on = ref !== undefined && isRateHit(rule, ref, reading.value);
    push(rule, s, reading);
    return reading.value;
  },
  level: (rule, s) => (s.on ? rule.tier : null),
  cause: (rule, s) => (s.on ? rule.direction : undefined),
};
