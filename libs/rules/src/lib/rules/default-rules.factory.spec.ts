import { defaultRulesFor, type PointForRules } from './default-rules.factory';

const point = (over: Partial<PointForRules> = {}): PointForRules => ({
  id: 'p1',
  type: 'co',
  unit: 'ppm',
  mandatory: false,
  expectedIntervalS: 60,
  ...over,
});

describe('defaultRulesFor', () => {
  const sut = defaultRulesFor;

  it('gives CO its setpoints, the 15 min lift, offline and fault', () => {
    // DOMAIN.md: co ≥ 24 yellow; ≥ 160 orange; orange held 15 min → red; every point: offline, fault
    expect(sut(point())).toEqual([
      {
        kind: 'threshold',
        id: 'p1:threshold',
        pointId: 'p1',
        thresholds: { high: { yellow: 24, orange: 160 } },
        sustained: [{ fromTier: 'orange', toTier: 'red', forS: 900 }],
        validRange: { min: 0, max: 5000 },
      },
      { kind: 'offline', id: 'p1:offline', pointId: 'p1', expectedIntervalS: 60, missedIntervals: 3, tier: 'yellow' },
      { kind: 'fault', id: 'p1:fault', pointId: 'p1', tier: 'yellow', physicalRange: { min: 0, max: 5000 }, stuckAfterS: 21600 },
    ]);
  });

  it('converts the defaults to the point unit before merging the overrides', () => {
    // CONTRACTS.md §4: values in the point's unit; each key present replaces the default, absent keys keep it
    const [threshold] = sut(point({ unit: 'mg/m3', thresholds: { low: { blue: 1 }, deadband: 1 } }));
    expect(threshold).toMatchObject({
      kind: 'threshold',
      thresholds: { high: { yellow: 30, orange: 200 }, low: { blue: 1 }, deadband: 1 },
      validRange: { min: 0, max: 6250 },
    });
  });

  it('drops the threshold rule when the override removes every setpoint', () => {
    // CONTRACTS.md §4: "high": null removes all high setpoints
    expect(sut(point({ thresholds: { high: null } })).map((r) => r.kind)).toEqual(['offline', 'fault']);
  });

  it('makes offline orange for a mandatory point', () => {
    // DOMAIN.md: offline → yellow; orange when the point is mandatory (判定标准 第十四条)
    expect(sut(point({ mandatory: true, expectedIntervalS: 10 })).find((r) => r.kind === 'offline')).toMatchObject({ tier: 'orange', expectedIntervalS: 10 });
  });

  it('gives per-point types only what the point sets, plus the rate rule', () => {
    // DOMAIN.md: water_flow per point (low → orange); drop ≥ 30 % within 10 s → red
    expect(sut(point({ type: 'water_flow', unit: 'm3/h' })).map((r) => r.kind)).toEqual(['rate', 'offline', 'fault']);
    const rules = sut(point({ type: 'water_flow', unit: 'm3/h', thresholds: { low: { orange: 50 } } }));
    expect(rules.map((r) => r.kind)).toEqual(['threshold', 'rate', 'offline', 'fault']);
    expect(rules[1]).toMatchObject({ direction: 'drop', percent: 30, withinS: 10, tier: 'red' });
  });

  it('gives digital points their tier and no stuck check', () => {
    // DOMAIN.md: spark_detected 1 → orange, interlock_bypassed → red; stuck is for analog values
    expect(sut(point({ type: 'interlock_bypassed', unit: '' }))).toEqual([
      { kind: 'digital', id: 'p1:digital', pointId: 'p1', tier: 'red' },
      { kind: 'offline', id: 'p1:offline', pointId: 'p1', expectedIntervalS: 60, missedIntervals: 3, tier: 'yellow' },
      { kind: 'fault', id: 'p1:fault', pointId: 'p1', tier: 'yellow', physicalRange: { min: 0, max: 1 } },
    ]);
  });

  it('gives context points no process rule but still offline and fault', () => {
    // DOMAIN.md: casting_active gates rules and alarms nothing itself; offline and fault apply to every point
    expect(sut(point({ type: 'casting_active', unit: '' })).map((r) => r.kind)).toEqual(['offline', 'fault']);
  });

  it('leaves the range check out for types that take any unit', () => {
    // libs/sensors: `temperature`, `analog` … have no physical range
    const rules = sut(point({ type: 'temperature', unit: 'K', thresholds: { high: { red: 400 } } }));
    expect(rules[0]).not.toHaveProperty('validRange');
    expect(rules[2]).toEqual({ kind: 'fault', id: 'p1:fault', pointId: 'p1', tier: 'yellow', stuckAfterS: 21600 });
  });

  it('refuses a unit the type does not take', () => {
    // libs/sensors specForUnit: a registered point has an accepted unit
    expect(() => sut(point({ unit: '%LEL' }))).toThrow(RangeError);
  });
});
