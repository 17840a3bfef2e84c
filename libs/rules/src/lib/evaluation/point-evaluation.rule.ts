import type { Tier } from '@sw/sensors';
import { combinedHooks } from '../rules/combined.rule';
import { digitalHooks } from '../rules/digital.rule';
import { faultHooks } from '../rules/fault.rule';
import { offlineHooks } from '../rules/offline.rule';
import { rateHooks } from '../rules/rate.rule';
import { DEFAULT_GATE_VALUE } from '../rules/rule.constants';
import type { Gate, RuleDefinition, RuleKind, SustainedLift } from '../rules/rule.types';
import { liftDue, liftedTier, updateHeld } from '../rules/sustained.rule';
import { thresholdHooks } from '../rules/threshold.rule';
import { delayDue, delayedBase, hasDelays, levelsSince, setRaw } from './delay.rule';
import type { ConditionChange, KindHooks, KindState, Reading, ReadingInput, RuleInput, RuleState, StepResult, TimerTick } from './evaluation.types';

type AnyHooks = KindHooks<RuleDefinition, KindState>;

const HOOKS: { [K in RuleKind]: KindHooks<Extract<RuleDefinition, { kind: K }>, Extract<KindState, { kind: K }>> } = {
  threshold: thresholdHooks,
  rate: rateHooks,
  digital: digitalHooks,
  combined: combinedHooks,
  offline: offlineHooks,
  fault: faultHooks,
};

// A late tick after a long pause applies its overdue transitions one by one; each moves time on.
const MAX_TRANSITIONS_PER_STEP = 64;

/** The input that tells `step` time has passed. */
export const TICK: TimerTick = Object.freeze({ tick: true });

function hooksOf(rule: RuleDefinition): AnyHooks {
  return HOOKS[rule.kind] as unknown as AnyHooks;
}

function liftsOf(rule: RuleDefinition): readonly SustainedLift[] {
  return ('sustained' in rule && rule.sustained) || [];
}

function gateOf(rule: RuleDefinition): Gate | undefined {
  return 'gate' in rule ? rule.gate : undefined;
}

/** The state of a rule that has seen nothing yet, evaluation starting at `now` (epoch ms). */
export function initialState(rule: RuleDefinition, now: number): RuleState {
  const st: RuleState = shareAtRest({ ts: null, value: null, raw: null, base: null, tier: null, k: hooksOf(rule).init(rule, now) });
  if (hasDelays(rule)) Object.assign(st, levelsSince(null, now));
  const lifts = liftsOf(rule);
  if (lifts.length > 0) st.held = lifts.map(() => null);
  if (gateOf(rule)) st.gate = null;
  return st;
}

// The kind part of a threshold or digital rule at rest is the same on most points: one shared record
// each (~48 bytes a point). Safe because a state is never changed once made: `step` and
// `restoreState` change a clone (with its own kind part), never the state they were given.
const THRESHOLD_AT_REST: KindState = { kind: 'threshold', high: null, low: null };
const DIGITAL_AT_REST: KindState = { kind: 'digital', on: false };

function shareAtRest(st: RuleState): RuleState {
  const k = st.k;
  if (k.kind === 'threshold' && k.high === null && k.low === null) st.k = THRESHOLD_AT_REST;
  else if (k.kind === 'digital' && !k.on) st.k = DIGITAL_AT_REST;
  return st;
}

function cloneState(rule: RuleDefinition, s: RuleState): RuleState {
  const k = hooksOf(rule).clone(s.k);
  // The usual state (no delays, lifts or gate) as one literal: its fields live inside the object.
  // A spread would put them in a separate property array (measured: ~24 bytes more per rule state).
  if (s.ge === undefined && s.le === undefined && s.held === undefined && s.gate === undefined) {
    return { ts: s.ts, value: s.value, raw: s.raw, base: s.base, tier: s.tier, k };
  }
  const c: RuleState = { ...s, k };
  if (s.ge) c.ge = s.ge.slice();
  if (s.le) c.le = s.le.slice();
  if (s.held) c.held = s.held.slice();
  return c;
}

function rawOf(rule: RuleDefinition, st: RuleState): Tier | null {
  const gate = gateOf(rule);
  if (gate && (st.gate?.value !== (gate.value ?? DEFAULT_GATE_VALUE) || st.gate.until !== undefined)) return null; // only while the gate is on, past its grace
  return hooksOf(rule).level(rule, st.k);
}

// A gate reading: on → off and off → on; turning on starts the grace period (if any) at `now`.
function foldGate(gate: Gate, st: RuleState, r: Reading, now: number): void {
  const on = r.value === (gate.value ?? DEFAULT_GATE_VALUE);
  const wasOn = st.gate?.value === (gate.value ?? DEFAULT_GATE_VALUE);
  const graceMs = (gate.graceS ?? 0) * 1000;
  const until = !on ? undefined : wasOn ? st.gate?.until : graceMs > 0 ? now + graceMs : undefined;
  st.gate = until === undefined ? { value: r.value, ts: r.ts } : { value: r.value, ts: r.ts, until };
}

// The grace period is over by `t`: the gate is simply on from now (a new object: states are shared).
function endGrace(st: RuleState, t: number): void {
  if (st.gate?.until !== undefined && st.gate.until <= t) st.gate = { value: st.gate.value, ts: st.gate.ts };
}

function changeOf(rule: RuleDefinition, st: RuleState, from: Tier | null, to: Tier | null, at: number): ConditionChange {
  const value = rule.kind === 'offline' ? null : st.value;
  if (to === null) return { kind: 'end', tier: from as Tier, value, at };
  const change: ConditionChange = { kind: from === null ? 'start' : 'tier', tier: to, value, at };
  const cause = hooksOf(rule).cause?.(rule, st.k);
  if (cause) change.cause = cause;
  return change;
}

// Moves base (delays) and tier (lifts) to where they are at `t`, recording a change if any.
function settle(rule: RuleDefinition, st: RuleState, t: number, changes: ConditionChange[]): void {
  const lifts = liftsOf(rule);
  const base = delayedBase(rule, st, t);
  if (base !== st.base) {
    st.base = base;
    updateHeld(lifts, st, t);
  }
  const tier = lifts.length > 0 ? liftedTier(lifts, st, t) : st.base;
  if (tier === st.tier) return;
  changes.push(changeOf(rule, st, st.tier, tier, t));
  st.tier = tier;
}

function nextDue(rule: RuleDefinition, st: RuleState): number | null {
  let due: number | null = null;
  for (const at of [delayDue(rule, st), liftDue(liftsOf(rule), st), hooksOf(rule).due?.(rule, st.k) ?? null, st.gate?.until ?? null]) {
    if (at !== null && (due === null || at < due)) due = at;
  }
  return due;
}

// Applies every timer due by `now`, each at its own time, so restored timers fire "on time".
function advanceTo(rule: RuleDefinition, st: RuleState, now: number, changes: ConditionChange[]): void {
  for (let i = 0; i < MAX_TRANSITIONS_PER_STEP; i++) {
    const due = nextDue(rule, st);
    if (due === null || due > now) return;
    hooksOf(rule).onTime?.(rule, st.k, due);
    endGrace(st, due);
    setRaw(st, rawOf(rule, st), due);
    settle(rule, st, due, changes);
  }
}

function result(rule: RuleDefinition, state: RuleState, changes: ConditionChange[]): StepResult {
  const due = nextDue(rule, state);
  return due === null ? { state, changes } : { state, changes, nextTimerAt: due };
}

/** When `state` next needs a tick (epoch ms), or null: what to re-arm after a restore. */
export function nextTimerAt(rule: RuleDefinition, state: RuleState): number | null {
  return nextDue(rule, state);
}

function normalize(rule: RuleDefinition, input: ReadingInput): Reading {
  return { pointId: input.pointId ?? rule.pointId, ts: input.ts, value: input.value, quality: input.quality ?? 'good' };
}

function feedsData(rule: RuleDefinition, state: RuleState, r: Reading): boolean {
  const hooks = hooksOf(rule);
  if (!(hooks.reads ? hooks.reads(rule, r.pointId) : r.pointId === rule.pointId)) return false;
  // docs/contracts.md §1: a reading older than the newest evaluated for its point does not move state.
  return !(hooks.isStale ? hooks.isStale(rule, state.k, r, state.ts) : state.ts !== null && r.ts < state.ts);
}

function feedsGate(rule: RuleDefinition, state: RuleState, r: Reading): boolean {
  return gateOf(rule)?.pointId === r.pointId && r.quality !== 'bad' && !(state.gate && r.ts < state.gate.ts);
}

/**
 * Evaluates one input for one (point, rule) at `now` (epoch ms on the evaluation clock): a reading
 * or `TICK`. Pure: `state` is not modified; the answer holds the new state, the condition changes
 * in time order (timers overdue by `now` first, each at its own time), and when to tick next.
 */
export function step(rule: RuleDefinition, state: RuleState, input: RuleInput, now: number): StepResult {
  const changes: ConditionChange[] = [];
  if ('tick' in input) {
    const st = cloneState(rule, state);
    advanceTo(rule, st, now, changes);
    return result(rule, shareAtRest(st), changes);
  }
  const reading = normalize(rule, input);
  const data = feedsData(rule, state, reading);
  const gate = feedsGate(rule, state, reading);
  if (!data && !gate) return result(rule, state, changes);
  const st = cloneState(rule, state);
  advanceTo(rule, st, now, changes);
  if (gate) foldGate(gateOf(rule) as Gate, st, reading, now);
  if (data) {
    if (reading.pointId === rule.pointId) st.ts = reading.ts;
    const value = hooksOf(rule).read(rule, st.k, reading, now);
    if (value !== undefined) st.value = value;
  }
  setRaw(st, rawOf(rule, st), now);
  settle(rule, st, now, changes);
  return result(rule, shareAtRest(st), changes);
}

/**
 * Adopts a persisted state (after a restart, or after the rule was edited) at `now`: pending
 * on-delays, off-delays and sustained lifts keep their persisted start times and fire on time
 * (at once when overdue); the offline window starts afresh so our own downtime is no "no data".
 */
export function restoreState(rule: RuleDefinition, persisted: RuleState, now: number): RuleState {
  if (persisted.k.kind !== rule.kind) return initialState(rule, now);
  const st = cloneState(rule, persisted);
  if (!hasDelays(rule)) {
    delete st.ge;
    delete st.le;
  } else if (!st.ge || !st.le) {
    Object.assign(st, levelsSince(st.raw, now));
  }
  const lifts = liftsOf(rule);
  if (lifts.length === 0) delete st.held;
  else if (st.held?.length !== lifts.length) {
    st.held = lifts.map(() => null);
    updateHeld(lifts, st, now);
  }
  if (!gateOf(rule)) delete st.gate;
  else st.gate ??= null;
  const hooks = hooksOf(rule);
  if (hooks.restore) st.k = hooks.restore(rule, st.k, now);
  return st;
}

