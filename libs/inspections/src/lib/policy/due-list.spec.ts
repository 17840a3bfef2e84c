import { addMonths } from './calendar-day';
import { dueEntry, dueList } from './due-list';
import { DEFAULT_INSPECTION_POLICY, effectiveLevel } from './inspection-policy';

describe(dueEntry.name, () => {
  // docs/domain.md "The closed loop": 红 monthly, 橙 quarterly, 黄 half-yearly, 蓝 yearly
  it('adds the level’s frequency to the last inspection', () => {
    expect(dueEntry({ enterpriseId: 'a', level: 'red', lastInspectedOn: '2026-10-15' }, '2026-12-04')).toMatchObject({ nextDueOn: '2026-11-15', status: 'overdue', daysOverdue: 19 });
    expect(dueEntry({ enterpriseId: 'a', level: 'orange', lastInspectedOn: '2026-09-10' }, '2026-12-04')).toMatchObject({ nextDueOn: '2026-12-10', status: 'due', daysOverdue: 0 });
    expect(dueEntry({ enterpriseId: 'a', level: 'yellow', lastInspectedOn: '2026-09-10' }, '2026-12-04')).toMatchObject({ nextDueOn: '2027-03-10', status: 'not_due' });
    expect(dueEntry({ enterpriseId: 'a', level: 'blue', lastInspectedOn: '2025-12-01' }, '2026-12-04')).toMatchObject({ nextDueOn: '2026-12-01', status: 'overdue' });
  });

  it('counts an enterprise without a grade as the fallback level (yellow) and one never inspected as due today', () => {
    expect(effectiveLevel(null)).toEqual({ level: DEFAULT_INSPECTION_POLICY.ungradedLevel, graded: false });
    expect(dueEntry({ enterpriseId: 'a', level: null, lastInspectedOn: null }, '2026-12-04')).toMatchObject({ level: 'yellow', graded: false, nextDueOn: '2026-12-04', status: 'due' });
  });

  it('keeps month ends inside the shorter month', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-08-31', 6)).toBe('2027-02-28');
  });
});

describe(dueList.name, () => {
  it('lists due and overdue enterprises only, most overdue first', () => {
    const sut = dueList(
      [
        { enterpriseId: 'fresh', level: 'blue', lastInspectedOn: '2026-11-01' },
        { enterpriseId: 'red-late', level: 'red', lastInspectedOn: '2026-09-01' },
        { enterpriseId: 'never', level: 'orange', lastInspectedOn: null },
      ],
      '2026-12-04',
    );
    expect(sut.map((d) => d.enterpriseId)).toEqual(['red-late', 'never']);
  });
});
