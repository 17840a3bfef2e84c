import { POINT_CATALOG, specForUnit, unitFactor, type PointType } from '@sw/sensors';
import { Random } from './random';
import {
  CASTING_CYCLE,
  DRIFT_PERIOD_MS,
  MELT_FILL_MS,
  SIGNAL_PROFILES,
  type SignalKind,
} from './signal-profiles.constants';

/** Where a gateway's casting cycle stands at one instant. */
export interface CastingState {
  active: boolean;
  /** Time since the current phase (casting or idle) began, ms. */
  sinceMs: number;
}

/** The casting cycle (casting first, then idle) at `tMs`, shifted by the gateway's `phaseMs`. */
export function castingStateAt(tMs: number, phaseMs: number, cycle: { onMs: number; offMs: number } = CASTING_CYCLE): CastingState {
  const period = cycle.onMs + cycle.offMs;
  const x = (((tMs + phaseMs) % period) + period) % period;
  return x < cycle.onMs ? { active: true, sinceMs: x } : { active: false, sinceMs: x - cycle.onMs };
}

export interface PointSignalInput {
  type: PointType;
  /** The point's registered unit. */
  unit: string;
  /** Normal reading, in the point's unit. */
  baseline: number;
  seed: number;
}

/**
 * The healthy signal of one point: baseline + slow sinusoidal drift + gaussian noise, clamped to
 * the type's physical range and rounded to the instrument's resolution. Noise and drift come from
 * the type's profile, converted to the point's unit and scaled with the baseline (within ×¼…×4),
 * so a 300 m3/h circuit is as noisy, relatively, as a 120 m3/h one.
 */
export class PointSignal {
  readonly kind: SignalKind;
  readonly baseline: number;
  private readonly noiseSd: number;
  private readonly drift: number;
  private readonly omega: number;
  private readonly phase: number;
  private readonly min: number;
  private readonly max: number;
  private readonly roundFactor: number;
  private readonly random: Random;

  constructor(input: PointSignalInput) {
    const catalog = POINT_CATALOG[input.type];
    const profile = SIGNAL_PROFILES[input.type];
    const spec = specForUnit(catalog, input.unit);
    const toUnit = unitFactor(catalog, catalog.unit, input.unit) ?? 1;
    const typical = profile.baseline * toUnit;
    const scale = typical === 0 ? 1 : clamp(Math.abs(input.baseline / typical), 0.25, 4);
    this.kind = profile.kind;
    this.baseline = input.baseline;
    this.noiseSd = profile.noiseSd * toUnit * scale;
    this.drift = profile.drift * toUnit * scale;
    this.random = new Random(input.seed);
    const period = DRIFT_PERIOD_MS.min + this.random.next() * (DRIFT_PERIOD_MS.max - DRIFT_PERIOD_MS.min);
    this.omega = (2 * Math.PI) / period;
    this.phase = this.random.next() * 2 * Math.PI;
    this.min = spec.physicalRange.min;
    this.max = spec.physicalRange.max;
    this.roundFactor = 10 ** profile.decimals;
  }

  /** The healthy reading at `tMs` (epoch ms), before incidents and rounding. */
  sample(tMs: number, casting: CastingState): number {
    switch (this.kind) {
      case 'digital':
        return this.baseline;
      case 'casting':
        return casting.active ? 1 : 0;
      case 'melt':
        if (!casting.active) return 0; // the launder is drained between casts
        return this.analog(tMs) * Math.min(1, casting.sinceMs / MELT_FILL_MS);
      case 'analog':
        return this.analog(tMs);
    }
  }

  /** Clamped to the physical range and rounded: what the instrument would report. */
  finish(value: number): number {
    const v = clamp(value, this.min, this.max);
    return Math.round(v * this.roundFactor) / this.roundFactor;
  }

  private analog(tMs: number): number {
    return this.baseline + this.drift * Math.sin(this.omega * tMs + this.phase) + this.noiseSd * this.random.gaussian();
  }
}

function clamp(v: number, min: number, max: number): number {
  return v < min ? min : v > max ? max : v;
}

/** A type's typical healthy reading, in `unit` (for points registered outside the demo set). */
export function defaultBaseline(type: PointType, unit: string): number {
  const catalog = POINT_CATALOG[type];
  return SIGNAL_PROFILES[type].baseline * (unitFactor(catalog, catalog.unit, unit) ?? 1);
}
