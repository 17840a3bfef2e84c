import { TestScheduler } from 'rxjs/testing';
import { at, factory, runSteps, series, stamped, timeline } from '../testing/rules-test.factory';
import { evaluatePoint } from './evaluate-point.operator';

const S = 1000;

describe(evaluatePoint.name, () => {
  let scheduler: TestScheduler;

  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('raises at the setpoint and clears past the deadband', () => {
    // CONTRACTS.md §4: deadband (default 2 % of 24 = 0.48) — clear only back inside by the deadband
    const rule = factory.threshold();
    scheduler.run(({ cold, expectObservable }) => {
      const sut = evaluatePoint([rule], scheduler);
      const readings = cold(timeline([[0, 'a'], [1 * S, 'b'], [2 * S, 'c'], [3 * S, 'd']]), { a: 10, b: 25, c: 23.8, d: 23.4 });
      expectObservable(readings.pipe(stamped(scheduler), sut)).toBe(timeline([[1 * S, 's'], [3 * S, 'e']]), {
        s: factory.emitted(rule.id, 'start', 'yellow', 1 * S, { value: 25, cause: 'high' }),
        e: factory.emitted(rule.id, 'end', 'yellow', 3 * S, { value: 23.4 }),
      });
    });
  });

  it('raises after the on-delay and clears after the off-delay with no data arriving', () => {
    // DOMAIN.md: optional on/off delays — both end on a timer, not on the next reading
    const rule = factory.threshold({ thresholds: { high: { yellow: 24 }, onDelayS: 10, offDelayS: 30 } });
    scheduler.run(({ cold, expectObservable }) => {
      const readings = cold(timeline([[0, 'a'], [20 * S, 'b']]), { a: 30, b: 10 });
      expectObservable(readings.pipe(stamped(scheduler), evaluatePoint([rule], scheduler))).toBe(timeline([[10 * S, 's'], [50 * S, 'e']]), {
        s: factory.emitted(rule.id, 'start', 'yellow', 10 * S, { value: 30, cause: 'high' }),
        e: factory.emitted(rule.id, 'end', 'yellow', 50 * S, { value: 10 }),
      });
    });
  });

  it('does not storm on a value chattering around the setpoint (deadband)', () => {
    // peer-systems §3.1 hysteresis; DOMAIN.md alarm load: chattering (≥ 3 raise/clear in one minute) must not happen
    const rule = factory.threshold();
    const values = [23.9, 24.1, 23.8, 24.2, 23.7, 24.0, 23.9, 24.3, 23.6, 24.1];
    scheduler.run(({ cold, expectObservable }) => {
      const { marbles, values: byKey } = series(values.map((v, i) => [i * S, v] as const));
      const readings = cold(marbles, byKey);
      expectObservable(readings.pipe(stamped(scheduler), evaluatePoint([rule], scheduler))).toBe(timeline([[1 * S, 's']]), {
        s: factory.emitted(rule.id, 'start', 'yellow', 1 * S, { value: 24.1, cause: 'high' }),
      });
    });
  });

  it('does not alarm at all on chattering shorter than the on-delay (no deadband)', () => {
    // DOMAIN.md: deadband and delays prevent an alarm storm — here the on-delay alone does
    const rule = factory.threshold({ thresholds: { high: { yellow: 24 }, deadband: 0, onDelayS: 5 } });
    scheduler.run(({ cold, expectObservable }) => {
      const readings = cold(timeline([0, 2, 4, 6, 8, 10, 12, 14].map((s, i) => [s * S, 'ab'[i % 2] as string] as const)), { a: 25, b: 23 });
      expectObservable(readings.pipe(stamped(scheduler), evaluatePoint([rule], scheduler))).toBe('');
    });
  });

  it('lifts orange held 15 min to red, as a tier change', () => {
    // DOMAIN.md: CO orange held 15 min → red; CONTRACTS.md §3: a sustained rule lifts by tier_changed
    const rule = factory.threshold({ sustained: [{ fromTier: 'orange', toTier: 'red', forS: 900 }] });
    scheduler.run(({ cold, expectObservable }) => {
      const readings = cold(timeline([[0, 'a'], [1000 * S, 'b']]), { a: 200, b: 10 });
      expectObservable(readings.pipe(stamped(scheduler), evaluatePoint([rule], scheduler))).toBe(timeline([[0, 's'], [900 * S, 'r'], [1000 * S, 'e']]), {
        s: factory.emitted(rule.id, 'start', 'orange', 0, { value: 200, cause: 'high' }),
        r: factory.emitted(rule.id, 'tier', 'red', 900 * S, { value: 200, cause: 'high' }),
        e: factory.emitted(rule.id, 'end', 'red', 1000 * S, { value: 10 }),
      });
    });
  });

  it('restarts the sustained clock when the tier drops below it', () => {
    // DOMAIN.md: "held" 15 min — a dip below orange (past the deadband) restarts the count
    const rule = factory.threshold({ sustained: [{ fromTier: 'orange', toTier: 'red', forS: 900 }] });
    scheduler.run(({ cold, expectObservable }) => {
      const readings = cold(timeline([[0, 'a'], [600 * S, 'b'], [700 * S, 'c']]), { a: 200, b: 100, c: 200 });
      expectObservable(readings.pipe(stamped(scheduler), evaluatePoint([rule], scheduler))).toBe(
        timeline([[0, 's'], [600 * S, 'y'], [700 * S, 'o'], [1600 * S, 'r']]),
        {
          s: factory.emitted(rule.id, 'start', 'orange', 0, { value: 200, cause: 'high' }),
          y: factory.emitted(rule.id, 'tier', 'yellow', 600 * S, { value: 100, cause: 'high' }),
          o: factory.emitted(rule.id, 'tier', 'orange', 700 * S, { value: 200, cause: 'high' }),
          r: factory.emitted(rule.id, 'tier', 'red', 1600 * S, { value: 200, cause: 'high' }),
        },
      );
    });
  });

  it('goes offline from a timer with no data arriving, orange for a mandatory point', () => {
    // DOMAIN.md: no reading for 3 × expectedIntervalS → offline; orange when mandatory (判定标准 第十四条)
    const rule = factory.offline({ tier: 'orange' });
    scheduler.run(({ cold, expectObservable }) => {
      const readings = cold(timeline([[0, 'a'], [200 * S, 'b']]), { a: 18, b: 19 });
      expectObservable(readings.pipe(stamped(scheduler), evaluatePoint([rule], scheduler))).toBe(timeline([[180 * S, 'o'], [200 * S, 'e'], [380 * S, 'p']]), {
        o: factory.emitted(rule.id, 'start', 'orange', 180 * S, { cause: 'no_data' }),
        e: factory.emitted(rule.id, 'end', 'orange', 200 * S),
        p: factory.emitted(rule.id, 'start', 'orange', 380 * S, { cause: 'no_data' }),
      });
    });
  });

  it('goes offline when a point never reports', () => {
    // DOMAIN.md: offline — the window starts when evaluation starts
    const rule = factory.offline();
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(cold<number>('').pipe(stamped(scheduler), evaluatePoint([rule], scheduler))).toBe(timeline([[180 * S, 'o']]), {
        o: factory.emitted(rule.id, 'start', 'yellow', 180 * S, { cause: 'no_data' }),
      });
    });
  });

  it('re-arms restored timers so they fire at the original time', () => {
    // ARCHITECTURE.md: time-driven behaviour survives a restart (persisted 600 s before, lift due 300 s after)
    const rule = factory.threshold({ sustained: [{ fromTier: 'orange', toTier: 'red', forS: 900 }] });
    const persisted = JSON.parse(JSON.stringify(runSteps(rule, [at(-600 * S, 200)]).state)) as ReturnType<typeof runSteps>['state'];
    const states: string[] = [];
    scheduler.run(({ cold, expectObservable }) => {
      const sut = evaluatePoint([rule], scheduler, { initial: { [rule.id]: persisted }, onState: (id, s) => states.push(`${id}:${s.tier}`) });
      expectObservable(cold<number>('').pipe(stamped(scheduler), sut)).toBe(timeline([[300 * S, 'r']]), {
        r: factory.emitted(rule.id, 'tier', 'red', 300 * S, { value: 200, cause: 'high' }),
      });
    });
    expect(states).toEqual([`${rule.id}:red`]);
  });

  it('evaluates several rules of one point, each tagged with its rule id', () => {
    // brief: evaluatePoint(rules) → ConditionChange & {ruleId}
    const threshold = factory.threshold();
    const fault = factory.fault({ stuckAfterS: undefined });
    scheduler.run(({ cold, expectObservable }) => {
      const readings = cold('a', { a: 9000 });
      expectObservable(readings.pipe(stamped(scheduler), evaluatePoint([threshold, fault], scheduler))).toBe('(tf)', {
        t: factory.emitted(threshold.id, 'start', 'orange', 0, { value: 9000, cause: 'high' }),
        f: factory.emitted(fault.id, 'start', 'yellow', 0, { value: 9000, cause: 'out_of_range' }),
      });
    });
  });

  it('completes with its readings and cancels pending timers', () => {
    // brief: timers come from the scheduler; nothing fires after the stream ends
    const rule = factory.offline();
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(cold<number>('a|', { a: 1 }).pipe(stamped(scheduler), evaluatePoint([rule], scheduler))).toBe('-|');
    });
  });
});
