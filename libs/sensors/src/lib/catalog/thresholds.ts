import { TIERS } from './point-catalog.constants';
import { type Thresholds } from './point-catalog.types';

/** Default deadband as a fraction of the lowest setpoint in a direction (docs/contracts.md §4: 2 %). */
export const DEFAULT_DEADBAND_FRACTION = 0.02;

/**
 * The default deadband for one direction: 2 % of the lowest setpoint in that direction
 * (docs/contracts.md §4), as an absolute amount in the point's unit; 0 when there is no setpoint.
 */
export function defaultDeadband(thresholds: Thresholds, direction: 'high' | 'low'): number {
  const setpoints = thresholds[direction];
  if (!setpoints) return 0;
  let lowest = Infinity;
  for (const tier of TIERS) {
    const v = setpoints[tier];
    if (v !== undefined && v < lowest) lowest = v;
  }
  // abs: a negative setpoint (e.g. −10 °C) still needs a positive band.
  return lowest === Infinity ? 0 : Math.abs(lowest) * DEFAULT_DEADBAND_FRACTION;
}

/** The deadband in force for one direction: the explicit `deadband`, else the default. */
export function effectiveDeadband(thresholds: Thresholds, direction: 'high' | 'low'): number {
  return thresholds.deadband ?? defaultDeadband(thresholds, direction);
}

const KEYS = ['high', 'low', 'deadband', 'onDelayS', 'offDelayS'] as const;

/**
 * A point's thresholds from the catalog defaults and the point's own settings (docs/contracts.md §4):
 * each top-level key present in `override` replaces the default's key (`high: null` removes all
 * high setpoints), absent keys keep the default. No override → the defaults. Returns a fresh
 * object that shares nothing with its inputs.
 */
export function mergeThresholds(
  defaults: Thresholds | null,
  override: Thresholds | null | undefined,
): Thresholds | null {
  if (!override) return defaults && copyThresholds(defaults);
  const merged: Thresholds = {};
  for (const key of KEYS) {
    const source = override[key] !== undefined ? override : defaults;
    if (source && source[key] !== undefined) copyKey(source, merged, key);
  }
  return merged;
}

function copyThresholds(t: Thresholds): Thresholds {
  const out: Thresholds = {};
  for (const key of KEYS) if (t[key] !== undefined) copyKey(t, out, key);
  return out;
}

function copyKey(from: Thresholds, to: Thresholds, key: (typeof KEYS)[number]): void {
  if (key === 'high' || key === 'low') {
    const setpoints = from[key];
    to[key] = setpoints ? { ...setpoints } : null;
  } else {
    to[key] = from[key];
  }
}
