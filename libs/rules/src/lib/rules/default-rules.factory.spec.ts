import { contextGateOf, contextsOf, defaultRulesFor, missingContextOf, type PointForRules } from './default-rules.factory';

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
    // docs/domain.md: co ≥ 24 yellow; ≥ 48 orange; ≥ 160 red; orange held 15 min → red; every point: offline, fault
    expect(sut(point())).toEqual([
      {
        kind: 'threshold',
        id: 'p1:threshold',
        pointId: 'p1',
        thresholds: { high: { yellow: 24, orange: 48, red: 160 } },
        sustained: [{ fromTier: 'orange', toTier: 'red', forS: 900 }],
        validRange: { min: 0, max: 5000 },
      },
      { kind: 'offline', id: 'p1:offline', pointId: 'p1', expectedIntervalS: 60, missedIntervals: 3, tier: 'yellow' },
      { kind: 'fault', id: 'p1:fault', pointId: 'p1', tier: 'yellow', physicalRange: { min: 0, max: 5000 }, stuckAfterS: 21600 },
    ]);
  });

  it('converts the defaults to the point unit before merging the overrides', () => {
    // docs/contracts.md §4: values in the point's unit; each key present replaces the default, absent keys keep it
    const [threshold] = sut(point({ unit: 'mg/m3', thresholds: { low: { blue: 1 }, deadband: 1 } }));
    expect(threshold).toMatchObject({
      kind: 'threshold',
      thresholds: { high: { yellow: 30, orange: 60, red: 200 }, low: { blue: 1 }, deadband: 1 },
      validRange: { min: 0, max: 6250 },
    });
  });

  it('drops the threshold rule when the override removes every setpoint', () => {
    // docs/contracts.md §4: "high": null removes all high setpoints
    expect(sut(point({ thresholds: { high: null } })).map((r) => r.kind)).toEqual(['offline', 'fault']);
  });

  it('makes offline orange for a mandatory point', () => {
    // docs/domain.md: offline → yellow; orange when the point is mandatory (判定标准 第十四条)
    expect(sut(point({ mandatory: true, expectedIntervalS: 10 })).find((r) => r.kind === 'offline')).toMatchObject({ tier: 'orange', expectedIntervalS: 10 });
  });

  it('gives per-point types only what the point sets, plus the rate rule', () => {
    // docs/domain.md: water_flow per point (low → orange); drop ≥ 30 % within 10 s → red
    expect(sut(point({ type: 'water_flow', unit: 'm3/h' })).map((r) => r.kind)).toEqual(['rate', 'offline', 'fault']);
    const rules = sut(point({ type: 'water_flow', unit: 'm3/h', thresholds: { low: { orange: 50 } } }));
    expect(rules.map((r) => r.kind)).toEqual(['threshold', 'rate', 'offline', 'fault']);
    expect(rules[1]).toMatchObject({ direction: 'drop', percent: 30, withinS: 10, tier: 'red' });
  });

  it('gives digital points their tier and no stuck check', () => {
    // docs/domain.md: spark_detected 1 → orange, interlock_bypassed → red; stuck is for analog values
    expect(sut(point({ type: 'interlock_bypassed', unit: '' }))).toEqual([
      { kind: 'digital', id: 'p1:digital', pointId: 'p1', tier: 'red' },
      { kind: 'offline', id: 'p1:offline', pointId: 'p1', expectedIntervalS: 60, missedIntervals: 3, tier: 'yellow' },
      { kind: 'fault', id: 'p1:fault', pointId: 'p1', tier: 'yellow', physicalRange: { min: 0, max: 1 } },
    ]);
  });

  it('gives context points no process rule but still offline and fault', () => {
    // docs/domain.md: casting_active gates rules and alarms nothing itself; offline and fault apply to every point
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

  it('gates the process rules of a context-dependent point by its gateway\'s context point, with a 60 s grace', () => {
    // issue 14: cooling water ↔ casting_active; the stuck check pauses while the context is off
    const rules = sut(point({ type: 'water_flow', unit: 'm3/h', thresholds: { low: { orange: 50 } }, contexts: { casting_active: 'cast', equipment_running: 'run' } }));
    expect(rules.map((r) => r.kind)).toEqual(['threshold', 'rate', 'offline', 'fault']);
    for (const r of rules.slice(0, 2)) expect(r).toMatchObject({ gate: { pointId: 'cast', graceS: 60 } });
    expect(rules[2]).not.toHaveProperty('gate'); // a silent point is offline whatever the plant does
    expect(rules[3]).toMatchObject({ stuckAfterS: 21600, stuckGate: { pointId: 'cast' } });
    // a wet collector's flow on a gateway with no caster signal: equipment_running
    expect(sut(point({ type: 'water_flow', unit: 'm3/h', contexts: { equipment_running: 'run' }, contextGraceS: 30 }))[0]).toMatchObject({ gate: { pointId: 'run', graceS: 30 } });
    // CO depends on no context
    expect(sut(point({ contexts: { casting_active: 'cast' } })).some((r) => 'gate' in r || 'stuckGate' in r)).toBe(false);
  });

  it('names the context a point lacks (未接入工况信号) and picks a gateway\'s context points', () => {
    expect(missingContextOf('filter_dp', ['co', 'filter_dp'])).toBe('equipment_running');
    expect(missingContextOf('filter_dp', ['equipment_running'])).toBeNull();
    expect(missingContextOf('water_flow', ['equipment_running'])).toBeNull();
    expect(missingContextOf('melt_level', ['equipment_running'])).toBe('casting_active');
    expect(missingContextOf('co', [])).toBeNull();
    const contexts = contextsOf([{ id: 'b', code: 'CA-02', type: 'casting_active' }, { id: 'a', code: 'CA-01', type: 'casting_active' }, { id: 'x', code: 'F', type: 'water_flow' }]);
    expect(contexts).toEqual({ casting_active: 'a' });
    expect(contextGateOf({ type: 'water_pressure', contexts })).toEqual({ type: 'casting_active', pointId: 'a' });
  });
});
