import { TestScheduler } from 'rxjs/testing';
import { factory, overTime, stamped, timeline } from '../testing/rules-test.factory';
import { validateFaultRule } from './fault.rule';

const S = 1000;
const H = 3600 * S;

describe('validateFaultRule', () => {
  it('checks the range and the stuck window', () => {
    // docs/domain.md: fault — physical range, stuck for 6 h
    const sut = validateFaultRule;
    expect(sut({ ...factory.fault() })).toEqual([]);
    expect(sut({ ...factory.fault(), physicalRange: { min: 'a' }, stuckAfterS: -1 })).toEqual([
      'physicalRange.min must be a finite number',
      'physicalRange.max must be a finite number',
      'stuckAfterS must be a finite number above 0',
    ]);
  });
});

describe('fault rule', () => {
  let scheduler: TestScheduler;

  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('raises on bad quality and clears on the next usable reading', () => {
    // docs/contracts.md §1: a bad reading raises a sensor fault; docs/domain.md: fault → yellow
    const rule = factory.fault();
    scheduler.run(({ cold, expectObservable }) => {
      const readings = cold(timeline([[0, 'b'], [1 * S, 'g']]), { b: { value: 0, quality: 'bad' as const }, g: 18 });
      expectObservable(readings.pipe(stamped(scheduler), overTime([rule], scheduler))).toBe(timeline([[0, 's'], [1 * S, 'e']]), {
        s: factory.emitted(rule.id, 'start', 'yellow', 0, { value: 0, cause: 'bad_quality' }),
        e: factory.emitted(rule.id, 'end', 'yellow', 1 * S, { value: 18 }),
      });
    });
  });

  it('raises on a value outside the physical range', () => {
    // docs/domain.md: a value outside the type's physical range → fault
    const rule = factory.fault();
    scheduler.run(({ cold, expectObservable }) => {
      const readings = cold(timeline([[0, 'a'], [1 * S, 'b'], [2 * S, 'c']]), { a: 18, b: 6000, c: -1 });
      expectObservable(readings.pipe(stamped(scheduler), overTime([rule], scheduler))).toBe(timeline([[1 * S, 's']]), {
        s: factory.emitted(rule.id, 'start', 'yellow', 1 * S, { value: 6000, cause: 'out_of_range' }),
      });
    });
  });

  it('raises on an analog value stuck for 6 h and clears when it moves', () => {
    // docs/domain.md: an analog value stuck unchanged for 6 h → fault
    const rule = factory.fault();
    scheduler.run(({ cold, expectObservable }) => {
      const hours = [0, 1, 2, 3, 4, 5, 6, 7];
      const readings = cold(timeline(hours.map((h) => [h * H, h < 7 ? 'a' : 'b'] as const)), { a: 18.2, b: 18.3 });
      expectObservable(readings.pipe(stamped(scheduler), overTime([rule], scheduler))).toBe(timeline([[6 * H, 's'], [7 * H, 'e']]), {
        s: factory.emitted(rule.id, 'start', 'yellow', 6 * H, { value: 18.2, cause: 'stuck' }),
        e: factory.emitted(rule.id, 'end', 'yellow', 7 * H, { value: 18.3 }),
      });
    });
  });

  it('does not call a digital point at rest stuck', () => {
    // docs/domain.md: stuck applies to analog values only (defaultRulesFor leaves stuckAfterS out for digital points)
    const rule = factory.fault({ stuckAfterS: undefined, physicalRange: { min: 0, max: 1 } });
    scheduler.run(({ cold, expectObservable }) => {
      const readings = cold(timeline([[0, 'a'], [7 * H, 'a']]), { a: 0 });
      expectObservable(readings.pipe(stamped(scheduler), overTime([rule], scheduler))).toBe('');
    });
  });
});
