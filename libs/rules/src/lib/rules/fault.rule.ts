import type { KindHooks, KindState, Reading } from '../evaluation/evaluation.types';
import { BASE_KEYS, checkDelays, checkGate, checkKeys, checkNumber, checkRange, checkTier, type Rec } from './checks.schema';
import { DEFAULT_GATE_VALUE } from './rule.constants';
import type { FaultRule } from './rule.types';

type FaultState = Extract<KindState, { kind: 'fault' }>;

// Why a fault rule is invalid; empty when valid.
export function validateFaultRule(rec: Rec): string[] {
  const out: string[] = [];
  checkKeys(out, '', rec, [...BASE_KEYS, 'tier', 'physicalRange', 'stuckAfterS', 'stuckGate', 'onDelayS', 'offDelayS']);
  checkTier(out, 'tier', rec['tier']);
  checkRange(out, 'physicalRange', rec['physicalRange']);
  if (rec['stuckAfterS'] !== undefined) checkNumber(out, 'stuckAfterS', rec['stuckAfterS'], { above: 0 });
  checkGate(out, rec['stuckGate'], 'stuckGate');
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
  if (rule.stuckGate && !gateOn(rule, s)) return; // paused: the count starts afresh when the context is on again
  if (s.stuckValue !== reading.value || s.stuckSince === null) {
    s.stuckValue = reading.value;
    s.stuckSince = reading.ts;
  }
  s.stuck = reading.ts - s.stuckSince >= rule.stuckAfterS * 1000;
}

function gateOn(rule: FaultRule, s: FaultState): boolean {
  return s.gate?.value === (rule.stuckGate?.value ?? DEFAULT_GATE_VALUE);
}

// A reading of the stuck gate's point: off ends a stuck condition and clears the count.
function foldGate(rule: FaultRule, s: FaultState, reading: Reading): void {
  if (reading.quality === 'bad') return;
  s.gate = { value: reading.value, ts: reading.ts };
  if (!gateOn(rule, s)) {
    s.stuckSince = null;
    s.stuck = false;
  }
}

// Evaluation of fault rules (docs/domain.md): bad quality, out of physical range, stuck.
export const faultHooks: KindHooks<FaultRule, FaultState> = {
  init: (rule) => ({ kind: 'fault', bad: false, out: false, stuckValue: null, stuckSince: null, stuck: false, ...(rule.stuckGate && { gate: null }) }),
  clone: (s) => ({ ...s }),
  reads: (rule, pointId) => pointId === rule.pointId || pointId === rule.stuckGate?.pointId,
  isStale(rule, s, reading, stateTs) {
    if (reading.pointId !== rule.pointId) return s.gate != null && reading.ts < s.gate.ts;
    return stateTs !== null && reading.ts < stateTs;
  },
  read(rule, s, reading) {
    if (reading.pointId !== rule.pointId) {
      foldGate(rule, s, reading);
      return undefined;
    }
    const r = rule.physicalRange;
    s.bad = reading.quality === 'bad';
    s.out = !s.bad && r !== undefined && (reading.value < r.min || reading.value > r.max);
    foldStuck(rule, s, reading);
    return reading.value;
  },
  level: (rule, s) => (s.bad || s.out || s.stuck ? rule.tier : null),
  cause: (_rule, s) => (s.bad ? 'bad_quality' : s.out ? 'out_of_range' : s.stuck ? 'stuck' : undefined),
};
