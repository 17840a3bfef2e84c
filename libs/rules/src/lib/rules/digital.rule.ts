import type { KindHooks, KindState } from '../evaluation/evaluation.types';
import { LEVEL_KEYS, checkDelays, checkGate, checkKeys, checkTier, type Rec } from './checks.schema';
import type { DigitalRule } from './rule.types';
import { validateSustained } from './sustained.rule';

type DigitalState = Extract<KindState, { kind: 'digital' }>;

// Why a digital rule is invalid; empty when valid.
export function validateDigitalRule(rec: Rec): string[] {
  const out: string[] = [];
  checkKeys(out, '', rec, [...LEVEL_KEYS, 'tier']);
  checkTier(out, 'tier', rec['tier']);
  checkDelays(out, rec);
  out.push(...validateSustained(rec['sustained']));
  checkGate(out, rec['gate']);
  return out;
}

// Evaluation of digital rules: value 1 (true) → the rule's tier, 0 → none.
export const digitalHooks: KindHooks<DigitalRule, DigitalState> = {
  init: () => ({ kind: 'digital', on: false }),
  clone: (s) => ({ ...s }),
  read(_rule, s, reading) {
    if (reading.quality === 'bad') return undefined; // docs/contracts.md §1: a fault, never a process alarm
    s.on = reading.value === 1;
    return reading.value;
  },
  level: (rule, s) => (s.on ? rule.tier : null),
};
