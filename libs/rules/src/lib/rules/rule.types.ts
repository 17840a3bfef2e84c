import type { Thresholds, Tier } from '@sw/sensors';

/** The kinds of rule this library evaluates. `digital` alarms with kind `threshold`, `sustained` is a lift on a level rule. */
export type RuleKind = 'threshold' | 'rate' | 'digital' | 'combined' | 'offline' | 'fault';

/** Alarm kinds on the wire (docs/contracts.md §3). */
export type AlarmKind = 'threshold' | 'rate' | 'offline' | 'fault' | 'combined';

/** Inclusive bounds in the point's unit. */
export interface ValueRange {
  min: number;
  max: number;
}

/**
 * A tier held for `forS` seconds lifts the condition to `toTier` (docs/domain.md: CO orange held
 * 15 min → red). "Held" means at or above `fromTier`; the lift is a `tier` change of the same
 * condition, so the alarm sees `tier_changed` (docs/contracts.md §3).
 */
export interface SustainedLift {
  fromTier: Tier;
  toTier: Tier;
  forS: number;
}

/**
 * The rule evaluates only while the context point's latest value equals `value` (default 1), and
 * not in the first `graceS` seconds (evaluation clock) after it became so: the start of a cast or
 * of a collector ramps flows, pressures and levels through their setpoints. Until the context
 * point has reported, the gate is off.
 */
export interface Gate {
  pointId: string;
  value?: number;
  graceS?: number;
}

/** What every rule has: its id and its subject point (docs/contracts.md §3: an alarm belongs to one point). */
export interface RuleBase {
  id: string;
  pointId: string;
}

/** Options shared by the rules that turn values into a tier. */
export interface LevelOptions {
  /** Seconds the condition must hold before it starts (and before a tier rises). */
  onDelayS?: number;
  /** Seconds the condition must stay away before it ends (and before a tier falls). */
  offDelayS?: number;
  sustained?: SustainedLift[];
  gate?: Gate;
}

/** Multi-tier setpoints with deadband and delays (docs/contracts.md §4, in `thresholds`). */
export interface ThresholdRule extends RuleBase {
  kind: 'threshold';
  thresholds: Thresholds;
  sustained?: SustainedLift[];
  gate?: Gate;
  /** Readings outside it are sensor faults, never process alarms (left to the fault rule). */
  validRange?: ValueRange;
}

/** A rise or drop by `amount` (absolute) or `percent` % within `withinS` seconds → `tier`. */
export interface RateRule extends RuleBase, LevelOptions {
  kind: 'rate';
  direction: 'rise' | 'drop';
  amount?: number;
  percent?: number;
  withinS: number;
  tier: Tier;
  validRange?: ValueRange;
}

/** A 0/1 point: value 1 → `tier` (spark_detected orange, interlock_bypassed red). */
export interface DigitalRule extends RuleBase, LevelOptions {
  kind: 'digital';
  tier: Tier;
}

/** A value of one point, or a derived one: `diff: [a, b]` is a − b (inlet − outlet flow). */
export type ValueExpr = { point: string } | { diff: [string, string] };

/** `>=` alarms at or above `setpoint`, `<=` at or below; leaving needs `deadband` (default 0). */
export interface CombinedCondition {
  value: ValueExpr;
  op: '>=' | '<=';
  setpoint: number;
  deadband?: number;
}

/**
 * AND/OR over conditions on several points. The subject (`pointId`) is the first point the
 * first condition names (docs/contracts.md §3: for combined rules, the rule's first point).
 */
export interface CombinedRule extends RuleBase, LevelOptions {
  kind: 'combined';
  op: 'and' | 'or';
  conditions: CombinedCondition[];
  tier: Tier;
}

/** No reading for `missedIntervals` × `expectedIntervalS` seconds → `tier` (docs/domain.md). */
export interface OfflineRule extends RuleBase {
  kind: 'offline';
  expectedIntervalS: number;
  missedIntervals: number;
  tier: Tier;
}

/** Bad quality, a value outside `physicalRange`, or an analog value unchanged for `stuckAfterS` → `tier`. */
export interface FaultRule extends RuleBase {
  kind: 'fault';
  tier: Tier;
  physicalRange?: ValueRange;
  /** Absent: no stuck check (digital and context points rest at one value for months). */
  stuckAfterS?: number;
  /** The stuck check counts only while this context is on (a collector off overnight rests at one value). */
  stuckGate?: Gate;
  onDelayS?: number;
  offDelayS?: number;
}

/** Any rule definition: data, validated by `validateRule`, evaluated by `step`. */
export type RuleDefinition = ThresholdRule | RateRule | DigitalRule | CombinedRule | OfflineRule | FaultRule;

/** The rules that turn values into tiers and take delays, lifts and gates. */
export type LevelRule = ThresholdRule | RateRule | DigitalRule | CombinedRule;
