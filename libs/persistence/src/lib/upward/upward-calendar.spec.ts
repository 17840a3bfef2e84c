import { halfYearOf, upwardDueOn } from './upward-calendar';

describe('upwardDueOn', () => {
  // docs/domain.md "The policy behind it": due 4 June and 4 December; reminded 10 days before
  it('opens the window 10 days before each due day and closes it after the day', () => {
    expect(upwardDueOn('2026-05-24')).toBeNull();
    expect(upwardDueOn('2026-05-25')).toEqual({ dueDate: '2026-06-04', daysLeft: 10, period: { from: '2026-01-01', to: '2026-06-30' } });
    expect(upwardDueOn('2026-06-04')?.daysLeft).toBe(0);
    expect(upwardDueOn('2026-06-05')).toBeNull();
    expect(upwardDueOn('2026-11-24')?.dueDate).toBe('2026-12-04');
    expect(upwardDueOn('2026-11-23')).toBeNull();
    expect(upwardDueOn('2026-12-01')).toEqual({ dueDate: '2026-12-04', daysLeft: 3, period: { from: '2026-07-01', to: '2026-12-31' } });
  });

  it('names the half year of a day', () => {
    expect(halfYearOf('2026-06-30')).toEqual({ from: '2026-01-01', to: '2026-06-30' });
    expect(halfYearOf('2026-07-01')).toEqual({ from: '2026-07-01', to: '2026-12-31' });
  });
});
