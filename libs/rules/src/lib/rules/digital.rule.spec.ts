import { TestScheduler } from 'rxjs/testing';
import { factory, overTime, stamped, timeline } from '../testing/rules-test.factory';
import { validateDigitalRule } from './digital.rule';

const S = 1000;

describe('validateDigitalRule', () => {
  it('wants a tier', () => {
    // docs/domain.md: 1 → orange (interlock_bypassed → red)
    const sut = validateDigitalRule;
    expect(sut({ ...factory.digital() })).toEqual([]);
    expect(sut({ ...factory.digital(), tier: 'black' })).toEqual(['tier must be one of red, orange, yellow, blue']);
  });
});

describe('digital rule', () => {
  it('alarms while the value is 1', () => {
    // docs/domain.md: spark_detected 1 → orange; interlock_bypassed 1 → red
    const spark = factory.digital();
    const bypass = factory.digital({ id: 'bypass', tier: 'red' });
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ cold, expectObservable }) => {
      const readings = cold(timeline([[0, 'z'], [1 * S, 'o'], [2 * S, 'o'], [3 * S, 'z']]), { z: 0, o: 1 });
      const sut = overTime([spark, bypass], scheduler);
      expectObservable(readings.pipe(stamped(scheduler), sut)).toBe(timeline([[1 * S, '(sb)'], [3 * S, '(ec)']]), {
        s: factory.emitted(spark.id, 'start', 'orange', 1 * S, { value: 1 }),
        b: factory.emitted(bypass.id, 'start', 'red', 1 * S, { value: 1 }),
        e: factory.emitted(spark.id, 'end', 'orange', 3 * S, { value: 0 }),
        c: factory.emitted(bypass.id, 'end', 'red', 3 * S, { value: 0 }),
      });
    });
  });
});
