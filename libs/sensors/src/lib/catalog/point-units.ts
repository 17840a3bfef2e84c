import { TIERS } from './point-catalog.constants';
import { type PointTypeSpec, type Thresholds, type TierSetpoints } from './point-catalog.types';

/** L/mol at 0 °C, 101.325 kPa: the GB 6222 convention for ppm ↔ mg/m3 (docs/domain.md). */
export const MOLAR_VOLUME_L_PER_MOL = 22.4;

/** ppm → mg/m3 for a gas of molar mass `molarMass` g/mol (mg/m3 = ppm × M / 22.4). */
export function ppmToMgPerM3(ppm: number, molarMass: number): number {
  return (ppm * molarMass) / MOLAR_VOLUME_L_PER_MOL;
}

/** mg/m3 → ppm for a gas of molar mass `molarMass` g/mol (ppm = mg/m3 × 22.4 / M). */
export function mgPerM3ToPpm(mg: number, molarMass: number): number {
  return (mg * MOLAR_VOLUME_L_PER_MOL) / molarMass;
}

/** Whether a point of this type may be registered in `unit` (an empty `units` list takes any). */
export function isUnitAccepted(spec: PointTypeSpec, unit: string): boolean {
  return spec.units.length === 0 || spec.units.includes(unit);
}

/** The factor that turns a value in `from` into `to` for this type, or null when they do not convert. */
export function unitFactor(spec: PointTypeSpec, from: string, to: string): number | null {
  if (from === to) return 1;
  const m = spec.molarMass;
  if (m === undefined) return null;
  if (from === 'ppm' && to === 'mg/m3') return ppmToMgPerM3(1, m);
  if (from === 'mg/m3' && to === 'ppm') return mgPerM3ToPpm(1, m);
  return null;
}

/**
 * The spec with its physical range and default setpoints expressed in `unit`, for a point
 * registered in a unit other than the default (e.g. CO in mg/m3). Converted values are rounded to
 * three significant digits, the precision of the defaults themselves (24 ppm → 30.0 mg/m3).
 * Types that take any unit keep their values. Throws RangeError for a unit the type does not take.
 */
export function specForUnit(spec: PointTypeSpec, unit: string): PointTypeSpec {
  if (unit === spec.unit) return spec;
  if (spec.units.length === 0) return { ...spec, unit };
  const factor = spec.units.includes(unit) ? unitFactor(spec, spec.unit, unit) : null;
  if (factor === null) throw new RangeError(`unit '${unit}' is not accepted for point type ${spec.type}`);
  const scale = (v: number): number => Number((v * factor).toPrecision(3));
  return {
    ...spec,
    unit,
    physicalRange: { min: scale(spec.physicalRange.min), max: scale(spec.physicalRange.max) },
    thresholds: spec.thresholds && scaleThresholds(spec.thresholds, scale),
  };
}

function scaleThresholds(t: Thresholds, scale: (v: number) => number): Thresholds {
  const out: Thresholds = { ...t };
  if (t.high) out.high = scaleSetpoints(t.high, scale);
  if (t.low) out.low = scaleSetpoints(t.low, scale);
  if (t.deadband !== undefined) out.deadband = scale(t.deadband);
  return out;
}

function scaleSetpoints(s: TierSetpoints, scale: (v: number) => number): TierSetpoints {
  const out: TierSetpoints = {};
  for (const tier of TIERS) {
    const v = s[tier];
    if (v !== undefined) out[tier] = scale(v);
  }
  return out;
}
