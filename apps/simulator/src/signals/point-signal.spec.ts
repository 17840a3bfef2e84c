import { castingStateAt, defaultBaseline, PointSignal, type CastingState, type PointSignalInput } from './point-signal';
import { CASTING_CYCLE, MELT_FILL_MS } from './signal-profiles.constants';

const factory = {
  signal: (over: Partial<PointSignalInput> = {}) => new PointSignal({ type: 'co', unit: 'ppm', baseline: 4, seed: 1, ...over }),
};
const CASTING: CastingState = { active: true, sinceMs: 600_000 };
const IDLE: CastingState = { active: false, sinceMs: 0 };
const T0 = Date.UTC(2026, 10, 28, 10);

function series(sut: PointSignal, casting = CASTING, n = 2_000, stepMs = 5_000): number[] {
  return Array.from({ length: n }, (_, i) => sut.finish(sut.sample(T0 + i * stepMs, casting)));
}

describe(PointSignal.name, () => {
  it('keeps CO at 2–8 ppm around its baseline, never below zero (brief: CO 2–8 ppm)', () => {
    const values = series(factory.signal());
    const mean = values.reduce((s, x) => s + x, 0) / values.length;
    expect(mean).toBeGreaterThan(3);
    expect(mean).toBeLessThan(5);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(24); // below the yellow setpoint: no alarm while healthy
  });

  it('keeps O2 at 20.9 %VOL within the orange band 19.5–23.5', () => {
    const values = series(factory.signal({ type: 'o2', unit: '%VOL', baseline: 20.9 }));
    expect(Math.min(...values)).toBeGreaterThan(20.5);
    expect(Math.max(...values)).toBeLessThan(21.3);
  });

  it('keeps hopper temperature at 35–45 °C and filter dp at 600–900 Pa', () => {
    const hopper = series(factory.signal({ type: 'hopper_temperature', unit: '°C', baseline: 40 }));
    const dp = series(factory.signal({ type: 'filter_dp', unit: 'Pa', baseline: 750 }));
    expect(Math.min(...hopper)).toBeGreaterThan(34);
    expect(Math.max(...hopper)).toBeLessThan(46);
    expect(Math.min(...dp)).toBeGreaterThan(580);
    expect(Math.max(...dp)).toBeLessThan(920);
  });

  it('drifts slowly: neighbouring readings differ by noise, not by the drift', () => {
    const values = series(factory.signal({ type: 'water_flow', unit: 'm3/h', baseline: 120 }), CASTING, 500);
    const steps = values.slice(1).map((v, i) => Math.abs(v - (values[i] as number)));
    expect(Math.max(...steps)).toBeLessThan(10); // 1.2 m3/h noise sd; a 30 % drop is the incident's job
  });

  it('scales noise with the baseline, so a 300 m3/h circuit is relatively as quiet', () => {
    const values = series(factory.signal({ type: 'water_flow', unit: 'm3/h', baseline: 300 }));
    expect(Math.min(...values)).toBeGreaterThan(270);
    expect(Math.max(...values)).toBeLessThan(330);
  });

  it('converts noise to the point unit (CO in mg/m3)', () => {
    const values = series(factory.signal({ unit: 'mg/m3', baseline: 5 }));
    expect(Math.max(...values)).toBeLessThan(30); // 24 ppm ≈ 30 mg/m3
  });

  it('reports digital points as their constant state', () => {
    expect(new Set(series(factory.signal({ type: 'spark_detected', unit: '', baseline: 0 }), CASTING, 100))).toEqual(new Set([0]));
    expect(new Set(series(factory.signal({ type: 'equipment_running', unit: '', baseline: 1 }), CASTING, 100))).toEqual(new Set([1]));
  });

  it('follows the casting cycle for casting_active and the melt level', () => {
    const casting = factory.signal({ type: 'casting_active', unit: '', baseline: 1 });
    const melt = factory.signal({ type: 'melt_level', unit: 'mm', baseline: 120 });
    expect(casting.sample(T0, CASTING)).toBe(1);
    expect(casting.sample(T0, IDLE)).toBe(0);
    expect(melt.sample(T0, IDLE)).toBe(0);
    expect(melt.sample(T0, { active: true, sinceMs: MELT_FILL_MS / 2 })).toBeLessThan(70);
    expect(melt.finish(melt.sample(T0, CASTING))).toBeGreaterThan(110);
  });

  it('rounds to the instrument resolution', () => {
    const sut = factory.signal({ type: 'water_pressure', unit: 'MPa', baseline: 0.35 });
    expect(sut.finish(0.351234)).toBe(0.351);
    expect(sut.finish(-5)).toBe(-0.1); // clamped to the physical range
  });
});

describe(castingStateAt.name, () => {
  const period = CASTING_CYCLE.onMs + CASTING_CYCLE.offMs;

  it('casts first, then idles, and repeats', () => {
    expect(castingStateAt(0, 0)).toEqual({ active: true, sinceMs: 0 });
    expect(castingStateAt(CASTING_CYCLE.onMs - 1, 0).active).toBe(true);
    expect(castingStateAt(CASTING_CYCLE.onMs + 5_000, 0)).toEqual({ active: false, sinceMs: 5_000 });
    expect(castingStateAt(period + 1_000, 0)).toEqual({ active: true, sinceMs: 1_000 });
  });

  it('shifts by the phase, also for negative times', () => {
    expect(castingStateAt(0, CASTING_CYCLE.onMs)).toEqual({ active: false, sinceMs: 0 });
    expect(castingStateAt(-1_000, 0)).toEqual({ active: false, sinceMs: CASTING_CYCLE.offMs - 1_000 });
  });
});

describe(defaultBaseline.name, () => {
  it('gives the profile baseline in the point unit', () => {
    expect(defaultBaseline('co', 'ppm')).toBe(4);
    expect(defaultBaseline('co', 'mg/m3')).toBeCloseTo(5, 0);
  });
});
