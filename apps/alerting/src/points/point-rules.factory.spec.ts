import { DEFAULT_ESCALATION_POLICY, type ThresholdRule } from '@sw/rules';
import { factory } from '../testing/alerting-test.factory';
import { ANY_POINT, PointRulesFactory, StoredRuleIndex, ruleIdOf, sameStoredRules } from './point-rules.factory';
import { scalePolicy, scaleRule } from './rule-scaling.factory';

const P = factory.point().id;

describe(PointRulesFactory.name, () => {
  it('gives a point its catalog rules: CO threshold with the 15-minute lift, offline and fault', () => {
    // docs/domain.md: co ≥ 24 yellow, ≥ 48 orange, ≥ 160 red, orange held 15 min → red; offline and fault for every point
    const sut = new PointRulesFactory(1);
    const { rules, problems } = sut.rulesFor(factory.point(), []);
    expect(problems).toEqual([]);
    expect(rules.map((r) => ruleIdOf(r, P))).toEqual([`${P}:threshold`, `${P}:offline`, `${P}:fault`]);
    const threshold = rules[0] as ThresholdRule;
    expect(threshold).toMatchObject({ pointId: ANY_POINT, thresholds: { high: { yellow: 24, orange: 48, red: 160 } }, sustained: [{ fromTier: 'orange', toTier: 'red', forS: 900 }] });
    expect(rules[1]).toMatchObject({ kind: 'offline', tier: 'yellow', expectedIntervalS: 60, missedIntervals: 3 });
  });

  it('makes offline orange for a mandatory point and applies the point thresholds', () => {
    // docs/domain.md / 判定标准 第十四条: offline → orange when mandatory
    const sut = new PointRulesFactory(1);
    const { rules } = sut.rulesFor(factory.point({ mandatory: true, thresholds: { high: { yellow: 30 } } }), []);
    expect(rules.find((r) => r.kind === 'offline')).toMatchObject({ tier: 'orange' });
    expect((rules[0] as ThresholdRule).thresholds.high).toEqual({ yellow: 30 });
  });

  it('shares one rule list between points with the same settings (memory per point)', () => {
    const sut = new PointRulesFactory(1);
    const a = sut.rulesFor(factory.point({ id: 'a' }), []).rules;
    const b = sut.rulesFor(factory.point({ id: 'b' }), []).rules;
    expect(a).toBe(b);
    expect([ruleIdOf(a[0]!, 'a'), ruleIdOf(a[0]!, 'b')]).toEqual(['a:threshold', 'b:threshold']);
    expect(sut.rulesFor(factory.point({ id: 'c', mandatory: true }), []).rules).not.toBe(a);
  });

  it('adds the stored rules that apply, with the row id as rule id and the point as subject', () => {
    const sut = new PointRulesFactory(1);
    const row = factory.storedRule({ definition: { kind: 'digital', tier: 'red', onDelayS: 5 } as never });
    const { rules, problems } = sut.rulesFor(factory.point(), [row]);
    expect(problems).toEqual([]);
    expect(rules.at(-1)).toEqual({ kind: 'digital', tier: 'red', onDelayS: 5, id: row.id, pointId: P });
    expect(ruleIdOf(rules.at(-1)!, P)).toBe(row.id);
  });

  it('leaves out an invalid stored rule and says why', () => {
    const sut = new PointRulesFactory(1);
    const row = factory.storedRule({ definition: { kind: 'digital', tier: 'purple' } as never });
    const { rules, problems } = sut.rulesFor(factory.point(), [row]);
    expect(rules).toHaveLength(3);
    expect(problems[0]).toMatch(/tier must be one of/);
  });

  it('divides delays and sustained lifts by the time scale, not the offline interval', () => {
    const sut = new PointRulesFactory(60);
    const { rules } = sut.rulesFor(factory.point({ thresholds: { onDelayS: 120 } }), []);
    const threshold = rules[0] as ThresholdRule;
    expect(threshold.sustained?.[0]?.forS).toBe(15); // 900 s / 60
    expect(threshold.thresholds.onDelayS).toBe(2);
    expect(rules[1]).toMatchObject({ kind: 'offline', expectedIntervalS: 60 });
  });
});

describe(StoredRuleIndex.name, () => {
  const point = factory.point({ regionCode: '320505', type: 'co' });
  const own = factory.storedRule({ id: 'own', scope: { type: 'point', pointId: point.id } });
  const other = factory.storedRule({ id: 'other', scope: { type: 'point', pointId: 'someone-else' } });
  const enterprise = factory.storedRule({ id: 'ent', scope: { type: 'enterprise', enterpriseId: point.enterpriseId, pointType: 'co' } });
  const enterpriseO2 = factory.storedRule({ id: 'ent-o2', scope: { type: 'enterprise', enterpriseId: point.enterpriseId, pointType: 'o2' } });
  const province = factory.storedRule({ id: 'prov', scope: { type: 'region', regionCode: '32', pointType: 'co' } });
  const city = factory.storedRule({ id: 'city', scope: { type: 'region', regionCode: '3205', pointType: 'co' } });
  const elsewhere = factory.storedRule({ id: 'else', scope: { type: 'region', regionCode: '3206', pointType: 'co' } });

  it('matches point, enterprise + type and region prefix + type scopes', () => {
    const sut = new StoredRuleIndex([own, other, enterprise, enterpriseO2, province, city, elsewhere]);
    expect(sut.applicable(point).map((r) => r.id)).toEqual(['own', 'ent', 'prov', 'city']);
  });

  it('tells whether a point sees the same rows in the same version', () => {
    const edited = { ...city, updatedAt: new Date(0).toISOString() };
    expect(sameStoredRules([own, city], [own, city])).toBe(true);
    expect(sameStoredRules([own, city], [own, edited])).toBe(false);
    expect(sameStoredRules([own], [own, city])).toBe(false);
  });
});

describe(scaleRule.name, () => {
  it('leaves rules alone at scale 1 and scales the escalation policy with the same knob', () => {
    const rule = new PointRulesFactory(1).rulesFor(factory.point(), []).rules[0]!;
    expect(scaleRule(rule, 1)).toBe(rule);
    const policy = scalePolicy(DEFAULT_ESCALATION_POLICY, 60);
    expect(policy.tiers.red.steps[0]?.afterS).toBe(15);
    expect(policy.tiers.red.repeatEveryS).toBe(10);
    expect(policy.tiers.orange.notify).toBe(DEFAULT_ESCALATION_POLICY.tiers.orange.notify);
  });
});
