// The setpoints in force for a point: the catalog's defaults in the point's unit, overridden key by
// key by the point's own `thresholds` (docs/contracts.md §4), as lines to draw on its chart.
import { isPointType, mergeThresholds, POINT_CATALOG, specForUnit, type Thresholds } from '@sw/sensors';
import type { Point, Tier } from '../api/api.types';
import { TIER_ORDER } from '../shared/labels';

export interface Setpoint {
  direction: 'high' | 'low';
  tier: Tier;
  value: number;
}

export function effectiveThresholds(point: Pick<Point, 'type' | 'unit' | 'thresholds'>): Thresholds | null {
  let defaults: Thresholds | null = null;
  if (isPointType(point.type)) {
    try {
      defaults = specForUnit(POINT_CATALOG[point.type], point.unit).thresholds ?? null;
    } catch {
      defaults = null; // a unit the catalog does not convert: the point's own setpoints only
    }
  }
  return mergeThresholds(defaults, point.thresholds);
}

export function setpointsOf(thresholds: Thresholds | null): Setpoint[] {
  const out: Setpoint[] = [];
  for (const direction of ['high', 'low'] as const) {
    const set = thresholds?.[direction];
    for (const tier of TIER_ORDER) {
      const value = set?.[tier];
      if (value !== undefined) out.push({ direction, tier, value });
    }
  }
  return out;
}

export function pointTypeLabel(type: string): string {
  return isPointType(type) ? POINT_CATALOG[type].labelZh : type;
}

/** The highest tier whose setpoint a value reaches (high: at or above, low: at or below), or null. */
export function tierOfValue(value: number, setpoints: readonly Setpoint[]): Tier | null {
  for (const tier of TIER_ORDER) {
    if (setpoints.some((s) => s.tier === tier && (s.direction === 'high' ? value >= s.value : value <= s.value))) return tier;
  }
  return null;
}
