import type { Quality, Tier } from '@sw/sensors';
import type { RuleDefinition } from '../rules/rule.types';

/**
 * One reading as the rules see it. `pointId` absent = the rule's subject point; `quality` absent =
 * `good`. A `NormalizedReading` of @sw/sensors fits as it is.
 */
export interface ReadingInput {
  pointId?: string;
  /** Epoch ms of the measurement. */
  ts: number;
  value: number;
  quality?: Quality;
}

/** A timer tick: time has passed and nothing else happened. */
export interface TimerTick {
  tick: true;
}

/** What `step` takes: a reading or a timer tick. */
export type RuleInput = ReadingInput | TimerTick;

/** Why a condition holds, for the alarm message; absent when the kind says it all. */
export type ConditionCause =
  | 'high'
  | 'low'
  | 'rise'
  | 'drop'
  | 'no_data'
  | 'bad_quality'
  | 'out_of_range'
  | 'stuck';

/**
 * A change of a rule's condition: it starts, changes tier, or ends. `at` is epoch ms on the
 * evaluation clock (the time the change took effect, e.g. the end of an on-delay); `value` is the
 * subject's latest value (null for offline, or before any reading).
 */
export interface ConditionChange {
  kind: 'start' | 'tier' | 'end';
  /** The tier after the change; for `end`, the tier that ended. */
  tier: Tier;
  value: number | null;
  at: number;
  cause?: ConditionCause;
}

/** A condition change tagged with the rule that produced it. */
export type RuleConditionChange = ConditionChange & { ruleId: string };

/** Kind-specific part of a `RuleState` (plain data). */
export type KindState =
  | { kind: 'threshold'; high: Tier | null; low: Tier | null }
  | { kind: 'rate'; on: boolean; times: number[]; values: number[] }
  | { kind: 'digital'; on: boolean }
  | { kind: 'combined'; on: boolean[]; values: Record<string, number>; times: Record<string, number> }
  | { kind: 'offline'; seenAt: number; late: boolean }
  | { kind: 'fault'; bad: boolean; out: boolean; stuckValue: number | null; stuckSince: number | null; stuck: boolean; gate?: { value: number; ts: number } | null };

/**
 * The evaluation state of one (point, rule): a plain, JSON-serializable record. Times are epoch ms.
 * Optional parts exist only when the rule needs them, to keep 100,000 points in about 100 MB.
 */
export interface RuleState {
  /** Newest reading ts evaluated for the subject point; null before the first. */
  ts: number | null;
  /** The subject's latest value. */
  value: number | null;
  /** The tier the rule's own logic gives now (hysteresis and gate applied, delays not). */
  raw: Tier | null;
  /** `raw` after on/off delays. */
  base: Tier | null;
  /** `base` after sustained lifts: the condition as alarms see it. */
  tier: Tier | null;
  /** With delays only: `ge[i]` = since when `raw` has been at or above level i + 1 (blue … red). */
  ge?: (number | null)[];
  /** With delays only: `le[i]` = since when `raw` has been at or below level i (none … orange). */
  le?: (number | null)[];
  /** With sustained lifts only: per lift, since when `base` has been at or above its `fromTier`. */
  held?: (number | null)[];
  /** With a gate only: the gate point's latest value and its ts; `until`: end of the grace period (evaluation clock). */
  gate?: { value: number; ts: number; until?: number } | null;
  k: KindState;
}

/** What `step` answers. */
export interface StepResult {
  state: RuleState;
  /** In time order; usually none or one (two when an overdue timer and a reading both change it). */
  changes: ConditionChange[];
  /** Epoch ms of the next tick the rule needs; absent when no timer is pending. */
  nextTimerAt?: number;
}

// A reading with its defaults filled in, as kind hooks receive it.
export interface Reading {
  pointId: string;
  ts: number;
  value: number;
  quality: Quality;
}

// How one rule kind reads, keeps and reports its own part of the state.
export interface KindHooks<R extends RuleDefinition, S extends KindState> {
  init(rule: R, now: number): S;
  clone(s: S): S;
  /** Whether readings of `pointId` feed this rule (default: the subject only). */
  reads?(rule: R, pointId: string): boolean;
  /** Whether the reading is older than the newest evaluated for its point (default: `state.ts`). */
  isStale?(rule: R, s: S, reading: Reading, stateTs: number | null): boolean;
  /** Folds a reading in; answers the subject value to report, or undefined to keep the last one. */
  read(rule: R, s: S, reading: Reading, now: number): number | undefined;
  level(rule: R, s: S): Tier | null;
  /** Time-driven kinds: when they next need a tick, and what happens at it. */
  due?(rule: R, s: S): number | null;
  onTime?(rule: R, s: S, t: number): void;
  cause?(rule: R, s: S): ConditionCause | undefined;
  /** Adjusts a persisted state when the process restarts at `now`. */
  restore?(rule: R, s: S, now: number): S;
}
