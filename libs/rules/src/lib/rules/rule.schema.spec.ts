import { factory } from '../testing/rules-test.factory';
import { defaultRulesFor } from './default-rules.factory';
import { isRuleDefinition, validateRule } from './rule.schema';

describe('validateRule', () => {
  const sut = validateRule;

  it('accepts every kind of rule', () => {
    // brief: rule definitions are data plus a validator returning reasons
    for (const rule of [factory.threshold(), factory.rate(), factory.digital(), factory.combined(), factory.offline(), factory.fault()]) {
      expect(sut(rule)).toEqual([]);
    }
  });

  it('accepts every default rule of the catalog', () => {
    // docs/domain.md: the catalog defaults are valid rules
    const point = { id: 'p', unit: 'mg/m3', mandatory: true, expectedIntervalS: 60 };
    for (const rule of [...defaultRulesFor({ ...point, type: 'co' }), ...defaultRulesFor({ ...point, type: 'water_flow', unit: 'm3/h' })]) {
      expect(sut(rule)).toEqual([]);
    }
  });

  it('refuses what is not a rule', () => {
    // docs/style.md: validate at the edges, with reasons
    expect(sut(null)).toEqual(['rule must be an object']);
    expect(sut({ kind: 'magic' })).toEqual(['kind must be one of threshold, rate, digital, combined, offline, fault']);
    expect(sut({ kind: 'digital', tier: 'red', id: '', extra: true })).toEqual([
      'id must be a string of 1 to 128 characters',
      'pointId must be a string of 1 to 128 characters',
      'extra is not a known field',
    ]);
  });
});

describe('isRuleDefinition', () => {
  it('narrows valid input', () => {
    // brief: a validator for rules read from the API or the database
    expect(isRuleDefinition(factory.digital())).toBe(true);
    expect(isRuleDefinition({ kind: 'digital' })).toBe(false);
  });
});
