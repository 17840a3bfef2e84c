import { TestScheduler } from 'rxjs/testing';
import { factory, overTime, series, stamped, timeline } from '../testing/rules-test.factory';
import { isRateHit, validateRateRule } from './rate.rule';

const S = 1000;

describe('validateRateRule', () => {
  const sut = validateRateRule;

  it('accepts the catalog rule', () => {
    // docs/domain.md: water_flow drop ≥ 30 % within 10 s → red
    expect(sut({ ...factory.rate() })).toEqual([]);
  });

  it('wants exactly one of amount and percent', () => {
    // brief: rise or drop by X (absolute) or X % within T seconds
    expect(sut({ ...factory.rate(), amount: 5 })).toEqual(['exactly one of amount and percent is required']);
    expect(sut({ ...factory.rate({ percent: undefined }) })).toEqual(['exactly one of amount and percent is required']);
    expect(sut({ ...factory.rate({ percent: 150, withinS: 0, direction: 'up' as 'rise' }) })).toEqual([
      'direction must be rise or drop',
      'percent must be a finite number above 0 at most 100',
      'withinS must be a finite number above 0 at most 86400',
    ]);
  });
});

describe('isRateHit', () => {
  it('measures a drop in percent of the reference', () => {
    // docs/domain.md: drop ≥ 30 % (100 → 70 is exactly 30 %)
    const sut = factory.rate();
    expect(isRateHit(sut, 100, 70)).toBe(true);
    expect(isRateHit(sut, 100, 70.1)).toBe(false);
    expect(isRateHit(sut, 0, -5)).toBe(false); // no percentage of a zero reference
  });

  it('measures an absolute rise', () => {
    // brief: rise by X (absolute)
    const sut = factory.rate({ direction: 'rise', percent: undefined, amount: 50 });
    expect(isRateHit(sut, 10, 60)).toBe(true);
    expect(isRateHit(sut, 10, 59)).toBe(false);
    expect(isRateHit(sut, 60, 10)).toBe(false);
  });
});

describe('rate rule', () => {
  let scheduler: TestScheduler;

  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('alarms on a sudden drop and clears once the drop leaves the window', () => {
    // docs/domain.md: cooling water drop ≥ 30 % within 10 s → red (判定标准 第五条)
    const rule = factory.rate();
    const times = [0, 1, 2, 3, 4, 5, 10, 14, 15];
    const values = [100, 100, 100, 100, 100, 65, 65, 65, 65];
    scheduler.run(({ cold, expectObservable }) => {
      const { marbles, values: byKey } = series(times.map((t, i) => [t * S, values[i] as number] as const));
      const readings = cold(marbles, byKey);
      const sut = overTime([rule], scheduler);
      expectObservable(readings.pipe(stamped(scheduler), sut)).toBe(timeline([[5 * S, 'd'], [15 * S, 'e']]), {
        d: factory.emitted(rule.id, 'start', 'red', 5 * S, { value: 65, cause: 'drop' }),
        e: factory.emitted(rule.id, 'end', 'red', 15 * S, { value: 65 }),
      });
    });
  });

  it('ignores a slow decline of the same size', () => {
    // docs/domain.md: "within 10 s" — 100 → 60 over 20 s is not a sudden drop
    const rule = factory.rate();
    scheduler.run(({ cold, expectObservable }) => {
      const readings = cold(timeline([[0, 'a'], [5 * S, 'b'], [10 * S, 'c'], [15 * S, 'd'], [20 * S, 'e']]), { a: 100, b: 90, c: 80, d: 70, e: 60 });
      expectObservable(readings.pipe(stamped(scheduler), overTime([rule], scheduler))).toBe('');
    });
  });

  it('alarms on an absolute rise', () => {
    // brief: rise by X (absolute) within T seconds
    const rule = factory.rate({ direction: 'rise', percent: undefined, amount: 20, withinS: 60, tier: 'orange' });
    scheduler.run(({ cold, expectObservable }) => {
      const readings = cold(timeline([[0, 'a'], [30 * S, 'b']]), { a: 40, b: 61 });
      expectObservable(readings.pipe(stamped(scheduler), overTime([rule], scheduler))).toBe(timeline([[30 * S, 'r']]), {
        r: factory.emitted(rule.id, 'start', 'orange', 30 * S, { value: 61, cause: 'rise' }),
      });
    });
  });
});
