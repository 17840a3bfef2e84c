import { factory } from '../testing/rules-test.factory';
import { offlineDeadline, validateOfflineRule } from './offline.rule';

describe('validateOfflineRule', () => {
  it('wants a positive interval', () => {
    // docs/contracts.md §4: expectedIntervalS, default 60
    const sut = validateOfflineRule;
    expect(sut({ ...factory.offline() })).toEqual([]);
    expect(sut({ ...factory.offline(), expectedIntervalS: 0, missedIntervals: 0 })).toEqual([
      'expectedIntervalS must be a finite number above 0 at most 86400',
      'missedIntervals must be a finite number from 1 to 100',
    ]);
  });
});

describe('offlineDeadline', () => {
  it('is 3 × expectedIntervalS after the last reading', () => {
    // docs/domain.md: no reading for 3 × expectedIntervalS (default interval 60 s)
    expect(offlineDeadline(factory.offline(), 1_000)).toBe(181_000);
  });
});
