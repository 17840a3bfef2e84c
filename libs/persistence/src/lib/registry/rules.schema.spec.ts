import { instantiateRule, pointsNamedBy, ruleInputSchema } from './rules.schema';

const POINT = '6f1c2d9e-3c55-4a50-9a7b-3f1f2a4b5c6d';
const OTHER = '0b7e3c1a-9d2f-4e6b-8a5c-1d2e3f4a5b6c';
const RATE = { kind: 'rate', direction: 'drop', percent: 30, withinS: 10, tier: 'red' };

describe('ruleInputSchema', () => {
  it('takes a libs/rules definition without id and pointId; the row supplies them', () => {
    const sut = ruleInputSchema.parse({ name: 'x', scope: { type: 'point', pointId: POINT }, definition: { ...RATE, id: 'x', pointId: 'y' } });
    expect(sut.definition).toEqual(RATE);
    expect(sut.enabled).toBe(true);
    expect(instantiateRule('rule-1', sut.definition, POINT)).toEqual({ ...RATE, id: 'rule-1', pointId: POINT });
  });

  it('normalizes a region scope to its prefix and checks the point type', () => {
    expect(ruleInputSchema.parse({ name: 'x', scope: { type: 'region', regionCode: '320500', pointType: 'water_flow' }, definition: RATE }).scope).toEqual({
      type: 'region',
      regionCode: '3205',
      pointType: 'water_flow',
    });
    expect(ruleInputSchema.safeParse({ name: 'x', scope: { type: 'region', regionCode: '9', pointType: 'water_flow' }, definition: RATE }).success).toBe(false);
    expect(ruleInputSchema.safeParse({ name: 'x', scope: { type: 'enterprise', enterpriseId: POINT, pointType: 'lava' }, definition: RATE }).success).toBe(false);
  });

  it('reports validateRule reasons under definition', () => {
    const result = ruleInputSchema.safeParse({ name: 'x', scope: { type: 'point', pointId: POINT }, definition: { kind: 'rate', tier: 'red' } });
    expect(result.success).toBe(false);
    expect(result.error?.issues.every((i) => i.path[0] === 'definition')).toBe(true);
  });

  it('a combined rule needs a point scope with its subject named first', () => {
    const combined = { kind: 'combined', op: 'and', tier: 'red', conditions: [{ value: { point: POINT }, op: '<=', setpoint: 1 }, { value: { diff: [OTHER, POINT] }, op: '>=', setpoint: 5 }] };
    expect(ruleInputSchema.safeParse({ name: 'x', scope: { type: 'point', pointId: POINT }, definition: combined }).success).toBe(true);
    expect(ruleInputSchema.safeParse({ name: 'x', scope: { type: 'point', pointId: OTHER }, definition: combined }).success).toBe(false);
    expect(ruleInputSchema.safeParse({ name: 'x', scope: { type: 'enterprise', enterpriseId: POINT, pointType: 'co' }, definition: combined }).success).toBe(false);
    expect(pointsNamedBy(ruleInputSchema.parse({ name: 'x', scope: { type: 'point', pointId: POINT }, definition: { ...combined, gate: { pointId: OTHER } } }).definition).sort()).toEqual(
      [POINT, OTHER].sort(),
    );
  });
});
