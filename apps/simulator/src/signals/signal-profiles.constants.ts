import type { PointType } from '@sw/sensors';

/**
 * How a point type behaves when nothing is wrong. `analog`: baseline + slow drift + gaussian noise;
 * `digital`: a constant 0/1 state; `casting`: the casting cycle itself; `melt`: the launder melt
 * level, which follows the casting cycle (full while casting, empty between casts).
 */
export type SignalKind = 'analog' | 'digital' | 'casting' | 'melt';

export interface SignalProfile {
  kind: SignalKind;
  /** In the type's default unit (catalog). */
  baseline: number;
  /** Standard deviation of the reading-to-reading noise, same unit. */
  noiseSd: number;
  /** Amplitude of the slow drift (a sinusoid of DRIFT_PERIOD_MS), same unit. */
  drift: number;
  /** Decimal places published, roughly the instrument's resolution. */
  decimals: number;
}

const analog = (baseline: number, noiseSd: number, drift: number, decimals: number): SignalProfile => ({
  kind: 'analog', baseline, noiseSd, drift, decimals,
});
const digital = (state: 0 | 1): SignalProfile => ({ kind: 'digital', baseline: state, noiseSd: 0, drift: 0, decimals: 0 });

/** Typical readings of a healthy plant, per type (units as in the catalog's default unit). */
export const SIGNAL_PROFILES: Readonly<Record<PointType, SignalProfile>> = Object.freeze({
  co: analog(4, 0.6, 1.5, 1), // ppm: 2–8 ppm in a ventilated gas area
  h2s: analog(0.5, 0.12, 0.25, 2), // mg/m3
  nh3: analog(3, 0.4, 1.2, 1), // mg/m3: a tight refrigeration plant smells faintly
  cl2: analog(0.05, 0.015, 0.02, 2), // mg/m3
  combustible_gas: analog(1, 0.3, 0.5, 1), // %LEL
  o2: analog(20.9, 0.04, 0.08, 2), // %VOL
  hopper_temperature: analog(40, 0.4, 4, 1), // °C: 35–45 °C
  filter_dp: analog(750, 12, 120, 0), // Pa: 600–900 Pa
  water_level: analog(3000, 4, 25, 0), // mm
  water_flow: analog(120, 1.2, 3, 1), // m3/h: crystalliser cooling water
  water_pressure: analog(0.35, 0.003, 0.01, 3), // MPa
  // The catalog's physical range starts at 0 mm, so the level is a depth (≈ 120 ± 5 mm), not a deviation.
  melt_level: { kind: 'melt', baseline: 120, noiseSd: 1.2, drift: 2, decimals: 1 }, // mm
  outlet_temperature: analog(38, 0.3, 2, 1), // °C
  flow_difference: analog(0.8, 0.3, 0.2, 2), // m3/h: inlet − outlet, ≈ 0 without a leak
  furnace_top_pressure: analog(200, 1.5, 6, 1), // kPa
  spark_detected: digital(0),
  airlock_fault: digital(0),
  explosion_protection_fault: digital(0),
  interlock_bypassed: digital(0),
  equipment_running: digital(1),
  casting_active: { kind: 'casting', baseline: 1, noiseSd: 0, drift: 0, decimals: 0 },
  temperature: analog(25, 0.2, 1.5, 1), // °C
  pressure: analog(101.3, 0.2, 0.5, 1), // kPa
  level: analog(1500, 3, 20, 0), // mm
  analog: analog(50, 1, 5, 1),
});

/** The slow drift's period: 10–30 min, chosen per point from its seed. */
export const DRIFT_PERIOD_MS = { min: 600_000, max: 1_800_000 } as const;

/**
 * A deep-well casting drop lasts about 40 min and the pit is prepared for about 20 min; the demo
 * compresses both ten times so a cycle fits in a few minutes.
 */
export const CASTING_CYCLE = { onMs: 240_000, offMs: 120_000 } as const; // 4 min on, 2 min off
/** The launder fills within this time after casting starts. */
export const MELT_FILL_MS = 20_000;
