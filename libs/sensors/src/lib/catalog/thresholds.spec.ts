import { POINT_CATALOG } from './point-catalog.constants';
import { type Thresholds } from './point-catalog.types';
import { defaultDeadband, effectiveDeadband, mergeThresholds } from './thresholds';

const factory = {
  thresholds: (over: Thresholds = {}): Thresholds => ({
    high: { yellow: 24, orange: 160 },
    low: { orange: 19.5 },
    onDelayS: 5,
    ...over,
  }),
};

describe('defaultDeadband', () => {
  it('is 2 % of the lowest high setpoint', () => {
    // docs/contracts.md §4: deadband default is 2 % of the lowest setpoint in each direction (CO: 24 → 0.48)
    expect(defaultDeadband(POINT_CATALOG.co.thresholds!, 'high')).toBeCloseTo(0.48, 10);
    expect(defaultDeadband(POINT_CATALOG.filter_dp.thresholds!, 'high')).toBeCloseTo(30, 10);
  });

  it('is 2 % of the lowest low setpoint', () => {
    // docs/contracts.md §4: each direction has its own default (O₂: 19.5 low, 23.5 high)
    expect(defaultDeadband(POINT_CATALOG.o2.thresholds!, 'low')).toBeCloseTo(0.39, 10);
    expect(defaultDeadband(POINT_CATALOG.o2.thresholds!, 'high')).toBeCloseTo(0.47, 10);
    expect(defaultDeadband({ low: { yellow: 100, orange: 50 } }, 'low')).toBeCloseTo(1, 10);
  });

  it('is 0 when the direction has no setpoints', () => {
    // docs/contracts.md §4: `"high": null` removes all high setpoints, so there is nothing to band
    expect(defaultDeadband(POINT_CATALOG.co.thresholds!, 'low')).toBe(0);
    expect(defaultDeadband({ high: null }, 'high')).toBe(0);
    expect(defaultDeadband({ high: {} }, 'high')).toBe(0);
  });

  it('stays positive for a negative setpoint', () => {
    // docs/contracts.md §4: a deadband is an absolute amount in the point's unit
    expect(defaultDeadband({ low: { orange: -10 } }, 'low')).toBeCloseTo(0.2, 10);
  });
});

describe('effectiveDeadband', () => {
  it('takes the explicit deadband over the default', () => {
    // docs/contracts.md §4: `deadband` is absolute, in the point's unit; its default is 2 %
    expect(effectiveDeadband(factory.thresholds({ deadband: 0.5 }), 'high')).toBe(0.5);
    expect(effectiveDeadband(factory.thresholds({ deadband: 0 }), 'high')).toBe(0);
    expect(effectiveDeadband(factory.thresholds(), 'high')).toBeCloseTo(0.48, 10);
  });
});

describe('mergeThresholds', () => {
  const defaults = factory.thresholds();

  it('keeps the defaults when there is no override', () => {
    // docs/contracts.md §4: absent keys keep the default
    expect(mergeThresholds(defaults, undefined)).toEqual(defaults);
    expect(mergeThresholds(defaults, null)).toEqual(defaults);
    expect(mergeThresholds(defaults, {})).toEqual(defaults);
  });

  it('replaces a whole direction, not single tiers', () => {
    // docs/contracts.md §4: each top-level key present replaces the catalog's default for that key
    const sut = mergeThresholds(defaults, { high: { red: 300 } });
    expect(sut).toEqual({ high: { red: 300 }, low: { orange: 19.5 }, onDelayS: 5 });
  });

  it('removes all high setpoints with high: null', () => {
    // docs/contracts.md §4: `"high": null` removes all high setpoints
    const sut = mergeThresholds(defaults, { high: null });
    expect(sut?.high).toBeNull();
    expect(sut?.low).toEqual({ orange: 19.5 });
  });

  it('replaces deadband and delays key by key', () => {
    // docs/contracts.md §4: `deadband`, `onDelayS`, `offDelayS` are top-level keys like the others
    const sut = mergeThresholds(defaults, { deadband: 0.5, offDelayS: 30, onDelayS: 0 });
    expect(sut).toEqual({ ...defaults, deadband: 0.5, onDelayS: 0, offDelayS: 30 });
  });

  it('uses the override alone when the type has no defaults', () => {
    // docs/domain.md: "per point only" types have no defaults (water_flow)
    expect(mergeThresholds(null, { low: { orange: 12 } })).toEqual({ low: { orange: 12 } });
    expect(mergeThresholds(null, null)).toBeNull();
    expect(mergeThresholds(null, undefined)).toBeNull();
  });

  it('returns a fresh object that can be changed without touching the catalog', () => {
    // docs/contracts.md §4: overrides never rewrite the catalog's defaults
    const sut = mergeThresholds(POINT_CATALOG.co.thresholds, undefined)!;
    expect(sut).not.toBe(POINT_CATALOG.co.thresholds);
    sut.high!.yellow = 1;
    expect(POINT_CATALOG.co.thresholds?.high?.yellow).toBe(24);
  });

  it('ignores keys that are present but undefined', () => {
    // docs/contracts.md §4: a key counts as present only with a value (JSON has no undefined)
    expect(mergeThresholds(defaults, { high: undefined })).toEqual(defaults);
  });
});
