import { factory } from '../testing/alarm.factory';
import { EMPTY_FILTER, matches, tierCounts } from './board-filter';

describe('board filter', () => {
  const steel = factory.enterprise({ id: 'steel', regionCode: '320505', riskCategories: ['steel'] });
  const dust = factory.enterprise({ id: 'dust', regionCode: '320506', riskCategories: ['metal_dust', 'confined_space'] });
  const lookup = (id: string) => [steel, dust].find((e) => e.id === id);

  it('hides closed alarms by default and shows them on request', () => {
    const closed = factory.alarm({ stage: 'closed', condition: 'cleared' });
    expect(matches(closed, EMPTY_FILTER, lookup)).toBe(false);
    expect(matches(closed, { ...EMPTY_FILTER, stage: 'closed' }, lookup)).toBe(true);
  });

  it('filters by tier, district, risk category and condition', () => {
    const a = factory.alarm({ enterpriseId: 'dust', tier: 'orange' });
    expect(matches(a, { ...EMPTY_FILTER, tier: 'orange', district: '320506', category: 'confined_space', condition: 'active' }, lookup)).toBe(true);
    expect(matches(a, { ...EMPTY_FILTER, tier: 'red' }, lookup)).toBe(false);
    expect(matches(a, { ...EMPTY_FILTER, district: '320505' }, lookup)).toBe(false);
    expect(matches(a, { ...EMPTY_FILTER, category: 'steel' }, lookup)).toBe(false);
    expect(matches(a, { ...EMPTY_FILTER, condition: 'cleared' }, lookup)).toBe(false);
    expect(matches(factory.alarm({ enterpriseId: 'unknown' }), { ...EMPTY_FILTER, district: '320505' }, lookup)).toBe(false);
  });

  it('counts active alarms per tier, highest first, with the unacknowledged ones', () => {
    const counts = tierCounts([
      factory.alarm({ tier: 'red' }),
      factory.alarm({ tier: 'red', acknowledged: true }),
      factory.alarm({ tier: 'red', condition: 'cleared' }),
      factory.alarm({ tier: 'blue' }),
    ]);
    expect(counts).toEqual([
      { tier: 'red', active: 2, unacked: 1 },
      { tier: 'orange', active: 0, unacked: 0 },
      { tier: 'yellow', active: 0, unacked: 0 },
      { tier: 'blue', active: 1, unacked: 1 },
    ]);
  });
});
