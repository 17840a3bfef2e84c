import type { KindHooks, KindState, Reading } from '../evaluation/evaluation.types';
import { BASE_KEYS, checkDelays, checkKeys, checkNumber, checkRange, checkTier, type Rec } from './checks.schema';
import type { FaultRule } from './rule.types';

type FaultState = Extract<KindState, { kind: 'fault' }>;

// Why a fault rule is invalid; empty when valid.
export function validateFaultRule(rec: Rec): string[] {
  const out: string[] = [];
  checkKeys(out, '', rec, [...BASE_KEYS, 'tier', 'physicalRange', 'stuckAfterS', 'onDelayS', 'offDelayS']);
  checkTier(out, 'tier', rec['tier']);
  checkRange(out, 'physicalRange', rec['physicalRange']);
  if (rec['stuckAfterS'] !== undefined) checkNumber(out, 'stuckAfterS', rec['stuckAfterS'], { above: 0 });
  checkDelays(out, rec);
  return out;
}

/*
 * Stuck is judged in reading time: the first reading that shows the same value `stuckAfterS`
 * after it first appeared (at most one reporting interval late). A point that stops sending is
 * offline, not stuck, so stuck needs no timer; store-and-forward history counts as it was measured.
 */
function foldStuck(rule: FaultRule, s: FaultState, reading: Reading): void {
  if (rule.stuckAfterS === undefined || reading.quality === 'bad') return;
  if (s.stuckValue !== reading.value || s.stuckSince === null) {
    s.stuckValue = reading.value;
    s.stuckSince = reading.ts;
  }
  s.stuck = reading.ts - s.stuckSince >= rule.stuckAfterS * 1000;
}

// Evaluation of fault rules (DOMAIN.md): bad quality, out of physical range, stuck.
export const faultHooks: KindHooks<FaultRule, FaultState> = {
  init: () => ({ kind: 'fault', bad: false, out: false, stuckValue: null, stuckSince: null, stuck: false }),
  clone: (s) => ({ ...s }),
  read(rule, s, reading) {
    const r = rule.physicalRange;
    s.bad = reading.quality === 'bad';
    s.out = !s.bad && r !== undefined && (reading.value < r.min || reading.value > r.max);
    foldStuck(rule, s, reading);
    return reading.value;
  },
  level: (rule, s) => (s.bad || s.out || s.stuck ? rule.tier : null),
  cause: (_rule, s) => (s.bad ? 'bad_quality' : s.out ? 'out_of_range' : s.stuck ? 'stuck' : undefined),
};
