import { halfYears } from './half-years';

describe('halfYears', () => {
  // docs/domain.md "The closed loop" (Upward): a summary per half year, due 4 June and 4 December
  it('lists the current half year and the three before it, newest first', () => {
    expect(halfYears('2026-12-05').map((p) => [p.from, p.to, p.label])).toEqual([
      ['2026-07-01', '2026-12-31', '2026 年下半年'],
      ['2026-01-01', '2026-06-30', '2026 年上半年'],
      ['2025-07-01', '2025-12-31', '2025 年下半年'],
      ['2025-01-01', '2025-06-30', '2025 年上半年'],
    ]);
    expect(halfYears('2026-06-30')[0]).toEqual({ from: '2026-01-01', to: '2026-06-30', label: '2026 年上半年' });
  });
});
