import { directionTier, validateThresholdRule, validateThresholds } from './threshold.rule';

describe('validateThresholds', () => {
  const sut = validateThresholds;

  it('accepts the CONTRACTS example', () => {
    // docs/contracts.md §4: the `thresholds` format
    expect(sut({ high: { yellow: 24, orange: 160 }, low: { orange: 19.5 }, deadband: 0.5, onDelayS: 0, offDelayS: 0 })).toEqual([]);
    expect(sut({ high: null })).toEqual([]);
  });

  it('names every problem', () => {
    // brief: hand validators returning reasons
    expect(sut({ high: { yellow: 'x', purple: 3 }, deadband: -1, onDelayS: 1e9, extra: 1 })).toEqual([
      'thresholds.extra is not a known field',
      "thresholds.high key 'purple' must be one of red, orange, yellow, blue",
      'thresholds.high.yellow must be a finite number',
      'thresholds.deadband must be a finite number at least 0',
      'thresholds.onDelayS must be a finite number from 0 to 86400',
    ]);
    expect(sut(null)).toEqual(['thresholds must be an object']);
  });

  it('wants setpoints ordered by tier and low below high', () => {
    // docs/contracts.md §3: tiers highest first — a higher tier's high setpoint lies above a lower one's
    expect(sut({ high: { orange: 20, yellow: 24 } })).toEqual(['thresholds.high.yellow must be below the setpoint of the tier above it']);
    expect(sut({ low: { red: 30, orange: 20 } })).toEqual(['thresholds.low.orange must be above the setpoint of the tier above it']);
    expect(sut({ high: { yellow: 10 }, low: { yellow: 12 } })).toEqual(['thresholds: every low setpoint must be below every high setpoint']);
  });
});

describe('validateThresholdRule', () => {
  it('keeps delays inside thresholds', () => {
    // docs/contracts.md §4: onDelayS/offDelayS are keys of `thresholds`
    const sut = validateThresholdRule;
    expect(sut({ id: 'r', kind: 'threshold', pointId: 'p', thresholds: { high: { red: 1 } }, onDelayS: 3 })).toEqual(['onDelayS belongs in thresholds']);
    expect(sut({ id: 'r', kind: 'threshold', pointId: 'p', thresholds: { high: { red: 1 } }, validRange: { min: 2, max: 1 } })).toEqual([
      'validRange.min must not be above validRange.max',
    ]);
  });
});

describe('directionTier', () => {
  const sut = directionTier;
  const setpoints = { yellow: 24, orange: 160 };

  it('enters a tier at its setpoint, highest first', () => {
    // docs/domain.md: CO ≥ 24 ppm yellow; ≥ 160 ppm orange
    expect(sut(setpoints, 'high', 23.99, null, 0.48)).toBeNull();
    expect(sut(setpoints, 'high', 24, null, 0.48)).toBe('yellow');
    expect(sut(setpoints, 'high', 160, null, 0.48)).toBe('orange');
  });

  it('leaves a tier only past the deadband', () => {
    // docs/contracts.md §4: clear only when back inside the setpoint by the deadband
    expect(sut(setpoints, 'high', 23.6, 'yellow', 0.48)).toBe('yellow');
    expect(sut(setpoints, 'high', 23.52, 'yellow', 0.48)).toBeNull();
    expect(sut(setpoints, 'high', 159.6, 'orange', 0.48)).toBe('orange');
    expect(sut(setpoints, 'high', 159.5, 'orange', 0.48)).toBe('yellow');
  });

  it('mirrors for low setpoints', () => {
    // docs/domain.md: O₂ ≤ 19.5 %VOL orange
    expect(sut({ orange: 19.5 }, 'low', 19.5, null, 0.39)).toBe('orange');
    expect(sut({ orange: 19.5 }, 'low', 19.8, 'orange', 0.39)).toBe('orange');
    expect(sut({ orange: 19.5 }, 'low', 19.89, 'orange', 0.39)).toBeNull();
    expect(sut(null, 'low', 0, null, 0)).toBeNull();
  });
});
