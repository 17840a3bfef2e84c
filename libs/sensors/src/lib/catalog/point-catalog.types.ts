/** A monitoring point's type code, as `POST /gateways/{id}/points` takes it (docs/domain.md catalog). */
export type PointType =
  | 'co'
  | 'h2s'
  | 'nh3'
  | 'cl2'
  | 'combustible_gas'
  | 'o2'
  | 'hopper_temperature'
  | 'filter_dp'
  | 'water_level'
  | 'water_flow'
  | 'water_pressure'
  | 'melt_level'
  | 'outlet_temperature'
  | 'flow_difference'
  | 'furnace_top_pressure'
  | 'spark_detected'
  | 'airlock_fault'
  | 'explosion_protection_fault'
  | 'interlock_bypassed'
  | 'equipment_running'
  | 'casting_active'
  | 'temperature'
  | 'pressure'
  | 'level'
  | 'analog';

/** Alarm tier (docs/contracts.md §3): `red` 一级, `orange` 二级, `yellow` 三级, `blue` 四级. */
export type Tier = 'red' | 'orange' | 'yellow' | 'blue';

/** Setpoints per tier, in the point's unit. */
export type TierSetpoints = Partial<Record<Tier, number>>;

/**
 * Threshold settings of a point (docs/contracts.md §4). `high` setpoints alarm at or above the value,
 * `low` ones at or below it; `null` means "no setpoints in that direction". `deadband` is absolute,
 * in the point's unit (default: see `defaultDeadband`); delays are in seconds.
 */
export interface Thresholds {
  high?: TierSetpoints | null;
  low?: TierSetpoints | null;
  deadband?: number;
  onDelayS?: number;
  offDelayS?: number;
}

/** The context point types: a 0/1 state of the plant that decides whether other points' rules apply. */
export type ContextType = 'casting_active' | 'equipment_running';

/** Whether a point type carries a measured quantity or a 0/1 state. */
export type SignalKind = 'analog' | 'digital';

/** The defaults and limits of one point type (docs/domain.md, "Monitoring point catalog"). */
export interface PointTypeSpec {
  type: PointType;
  signal: SignalKind;
  /** Default unit: the unit of `physicalRange` and `thresholds`; `''` for digital points. */
  unit: string;
  /** Units a point of this type may be registered in; empty = any unit. */
  units: readonly string[];
  /** g/mol, for gases whose readings convert between ppm and mg/m3. */
  molarMass?: number;
  /** In the default unit; a reading outside it is a sensor fault. */
  physicalRange: { min: number; max: number };
  /** Default setpoints in the default unit; `null` = setpoints are set per point only. */
  thresholds: Thresholds | null;
  /** A tier held for `forS` seconds lifts the alarm to `toTier` (e.g. CO orange 15 min → red). */
  sustained?: { fromTier: Tier; toTier: Tier; forS: number };
  /** A drop (or rise) of at least `percent` % within `withinS` seconds alarms at `tier`. */
  rate?: { direction: 'drop' | 'rise'; percent: number; withinS: number; tier: Tier };
  /** Which tier per-point setpoints usually take, for types with no default setpoints. */
  perPoint?: { high?: Tier; low?: Tier };
  /** Digital points: the tier of value 1. */
  digitalAlarm?: Tier;
  /** Context points (equipment_running, casting_active) gate other rules and never alarm. */
  context?: boolean;
  /**
   * The context a point of this type depends on, in order of preference: its process rules are
   * gated by the first of these its gateway has (a cooling-water flow by `casting_active`, a
   * wet collector's flow by `equipment_running` where the gateway has no caster signal).
   */
  contextTypes?: readonly ContextType[];
  /** The standard with edition and clause the defaults come from, or `[template]`. */
  basis: string;
  /** Chinese name for user-facing text. */
  labelZh: string;
}
