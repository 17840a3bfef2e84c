// On/off delays for every kind (docs/domain.md: optional on/off delays apply to every threshold).
import type { Tier } from '@sw/sensors';
import { rankOf, tierOf } from '../rules/rule.constants';
import type { RuleDefinition } from '../rules/rule.types';
import type { RuleState } from './evaluation.types';

const LEVELS = 4; // blue, yellow, orange, red

// On- and off-delay of a rule in ms; threshold rules keep theirs in `thresholds` (docs/contracts.md §4).
export function delaysOf(rule: RuleDefinition): { on: number; off: number } {
  if (rule.kind === 'offline') return { on: 0, off: 0 };
  const source = rule.kind === 'threshold' ? rule.thresholds : rule;
  return { on: (source.onDelayS ?? 0) * 1000, off: (source.offDelayS ?? 0) * 1000 };
}

export function hasDelays(rule: RuleDefinition): boolean {
  const { on, off } = delaysOf(rule);
  return on > 0 || off > 0;
}

// Fresh `ge`/`le` for a raw tier that has held since `t`.
export function levelsSince(raw: Tier | null, t: number): Pick<RuleState, 'ge' | 'le'> {
  const r = rankOf(raw);
  const ge: (number | null)[] = [];
  const le: (number | null)[] = [];
  for (let i = 0; i < LEVELS; i++) {
    ge.push(r >= i + 1 ? t : null);
    le.push(r <= i ? t : null);
  }
  return { ge, le };
}

// Sets the raw tier at `t`, keeping since-when each level has been reached or not exceeded.
export function setRaw(st: RuleState, raw: Tier | null, t: number): void {
  if (raw === st.raw) return;
  st.raw = raw;
  const r = rankOf(raw);
  const { ge, le } = st;
  if (!ge || !le) return;
  for (let i = 0; i < LEVELS; i++) {
    ge[i] = r >= i + 1 ? (ge[i] ?? t) : null;
    le[i] = r <= i ? (le[i] ?? t) : null;
  }
}

// The delayed tier at `t`: it rises to the highest level the raw tier has reached without a break
// for the on-delay (a rise while active takes the on-delay too), or falls to the lowest level the
// raw tier has not exceeded for the off-delay. Each level keeps its own since-time, so a value
// chattering between two tiers still confirms the lower one that held throughout.
export function delayedBase(rule: RuleDefinition, st: RuleState, t: number): Tier | null {
  const { ge, le } = st;
  if (!ge || !le) return st.raw;
  const { on, off } = delaysOf(rule);
  const b = rankOf(st.base);
  for (let k = LEVELS; k > b; k--) {
    const since = ge[k - 1];
    if (since != null && since + on <= t) return tierOf(k);
  }
  for (let k = 0; k < b; k++) {
    const since = le[k];
    if (since != null && since + off <= t) return tierOf(k);
  }
  return st.base;
}

// When the delayed tier next moves if the raw tier stays as it is, or null.
export function delayDue(rule: RuleDefinition, st: RuleState): number | null {
  const { ge, le } = st;
  if (!ge || !le) return null;
  const { on, off } = delaysOf(rule);
  const b = rankOf(st.base);
  const r = rankOf(st.raw);
  if (r > b) return (ge[b] ?? 0) + on; // level b + 1 comes first
  if (r < b) return (le[b - 1] ?? 0) + off; // level b − 1 comes first
  return null;
}
