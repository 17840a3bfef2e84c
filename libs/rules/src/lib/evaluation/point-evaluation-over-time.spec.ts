import { TestScheduler } from 'rxjs/testing';
import { at, factory, overTime, runSteps, series, stamped, timeline } from '../testing/rules-test.factory';
import { defaultRulesFor, type PointForRules } from '../rules/default-rules.factory';
import type { RuleDefinition } from '../rules/rule.types';

const S = 1000;

describe('step over virtual time, driven as alerting drives it', () => {
  let scheduler: TestScheduler;

  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('raises at the setpoint and clears past the deadband', () => {
    // docs/contracts.md §4: deadband (default 2 % of 24 = 0.48) — clear only back inside by the deadband
    const rule = factory.threshold();
    scheduler.run(({ cold, expectObservable }) => {
      const sut = overTime([rule], scheduler);
      const readings = cold(timeline([[0, 'a'], [1 * S, 'b'], [2 * S, 'c'], [3 * S, 'd']]), { a: 10, b: 25, c: 23.8, d: 23.4 });
      expectObservable(readings.pipe(stamped(scheduler), sut)).toBe(timeline([[1 * S, 's'], [3 * S, 'e']]), {
        s: factory.emitted(rule.id, 'start', 'yellow', 1 * S, { value: 25, cause: 'high' }),
        e: factory.emitted(rule.id, 'end', 'yellow', 3 * S, { value: 23.4 }),
      });
    });
  });

  it('raises after the on-delay and clears after the off-delay with no data arriving', () => {
    // docs/domain.md: optional on/off delays — both end on a timer, not on the next reading
    const rule = factory.threshold({ thresholds: { high: { yellow: 24 }, onDelayS: 10, offDelayS: 30 } });
    scheduler.run(({ cold, expectObservable }) => {
      const readings = cold(timeline([[0, 'a'], [20 * S, 'b']]), { a: 30, b: 10 });
      expectObservable(readings.pipe(stamped(scheduler), overTime([rule], scheduler))).toBe(timeline([[10 * S, 's'], [50 * S, 'e']]), {
        s: factory.emitted(rule.id, 'start', 'yellow', 10 * S, { value: 30, cause: 'high' }),
        e: factory.emitted(rule.id, 'end', 'yellow', 50 * S, { value: 10 }),
      });
    });
  });

  it('does not storm on a value chattering around the setpoint (deadband)', () => {
    // hysteresis; docs/domain.md alarm load: chattering (≥ 3 raise/clear in one minute) must not happen
    const rule = factory.threshold();
    const values = [23.9, 24.1, 23.8, 24.2, 23.7, 24.0, 23.9, 24.3, 23.6, 24.1];
    scheduler.run(({ cold, expectObservable }) => {
      const { marbles, values: byKey } = series(values.map((v, i) => [i * S, v] as const));
      const readings = cold(marbles, byKey);
      expectObservable(readings.pipe(stamped(scheduler), overTime([rule], scheduler))).toBe(timeline([[1 * S, 's']]), {
        s: factory.emitted(rule.id, 'start', 'yellow', 1 * S, { value: 24.1, cause: 'high' }),
      });
    });
  });

  it('does not alarm at all on chattering shorter than the on-delay (no deadband)', () => {
    // docs/domain.md: deadband and delays prevent an alarm storm — here the on-delay alone does
    const rule = factory.threshold({ thresholds: { high: { yellow: 24 }, deadband: 0, onDelayS: 5 } });
    scheduler.run(({ cold, expectObservable }) => {
      const readings = cold(timeline([0, 2, 4, 6, 8, 10, 12, 14].map((s, i) => [s * S, 'ab'[i % 2] as string] as const)), { a: 25, b: 23 });
      expectObservable(readings.pipe(stamped(scheduler), overTime([rule], scheduler))).toBe('');
    });
  });

  it('lifts orange held 15 min to red, as a tier change', () => {
    // docs/domain.md: CO orange held 15 min → red; docs/contracts.md §3: a sustained rule lifts by tier_changed
    const rule = factory.threshold({ sustained: [{ fromTier: 'orange', toTier: 'red', forS: 900 }] });
    scheduler.run(({ cold, expectObservable }) => {
      const readings = cold(timeline([[0, 'a'], [1000 * S, 'b']]), { a: 200, b: 10 });
      expectObservable(readings.pipe(stamped(scheduler), overTime([rule], scheduler))).toBe(timeline([[0, 's'], [900 * S, 'r'], [1000 * S, 'e']]), {
        s: factory.emitted(rule.id, 'start', 'orange', 0, { value: 200, cause: 'high' }),
        r: factory.emitted(rule.id, 'tier', 'red', 900 * S, { value: 200, cause: 'high' }),
        e: factory.emitted(rule.id, 'end', 'red', 1000 * S, { value: 10 }),
      });
    });
  });

  it('restarts the sustained clock when the tier drops below it', () => {
    // docs/domain.md: "held" 15 min — a dip below orange (past the deadband) restarts the count
    const rule = factory.threshold({ sustained: [{ fromTier: 'orange', toTier: 'red', forS: 900 }] });
    scheduler.run(({ cold, expectObservable }) => {
      const readings = cold(timeline([[0, 'a'], [600 * S, 'b'], [700 * S, 'c']]), { a: 200, b: 100, c: 200 });
      expectObservable(readings.pipe(stamped(scheduler), overTime([rule], scheduler))).toBe(
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
    // docs/domain.md: no reading for 3 × expectedIntervalS → offline; orange when mandatory (判定标准 第十四条)
    const rule = factory.offline({ tier: 'orange' });
    scheduler.run(({ cold, expectObservable }) => {
      const readings = cold(timeline([[0, 'a'], [200 * S, 'b']]), { a: 18, b: 19 });
      expectObservable(readings.pipe(stamped(scheduler), overTime([rule], scheduler))).toBe(timeline([[180 * S, 'o'], [200 * S, 'e'], [380 * S, 'p']]), {
        o: factory.emitted(rule.id, 'start', 'orange', 180 * S, { cause: 'no_data' }),
        e: factory.emitted(rule.id, 'end', 'orange', 200 * S),
        p: factory.emitted(rule.id, 'start', 'orange', 380 * S, { cause: 'no_data' }),
      });
    });
  });

  it('goes offline when a point never reports', () => {
    // docs/domain.md: offline — the window starts when evaluation starts
    const rule = factory.offline();
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(cold<number>('').pipe(stamped(scheduler), overTime([rule], scheduler))).toBe(timeline([[180 * S, 'o']]), {
        o: factory.emitted(rule.id, 'start', 'yellow', 180 * S, { cause: 'no_data' }),
      });
    });
  });

  it('re-arms restored timers so they fire at the original time', () => {
    // docs/architecture.md: time-driven behaviour survives a restart (persisted 600 s before, lift due 300 s after)
    const rule = factory.threshold({ sustained: [{ fromTier: 'orange', toTier: 'red', forS: 900 }] });
    const persisted = JSON.parse(JSON.stringify(runSteps(rule, [at(-600 * S, 200)]).state)) as ReturnType<typeof runSteps>['state'];
    const states: string[] = [];
    scheduler.run(({ cold, expectObservable }) => {
      const sut = overTime([rule], scheduler, { initial: { [rule.id]: persisted }, onState: (id, s) => states.push(`${id}:${s.tier}`) });
      expectObservable(cold<number>('').pipe(stamped(scheduler), sut)).toBe(timeline([[300 * S, 'r']]), {
        r: factory.emitted(rule.id, 'tier', 'red', 300 * S, { value: 200, cause: 'high' }),
      });
    });
    expect(states).toEqual([`${rule.id}:red`]);
  });

  it('evaluates several rules of one point, each tagged with its rule id', () => {
    // brief: overTime(rules) → ConditionChange & {ruleId}
    const threshold = factory.threshold();
    const fault = factory.fault({ stuckAfterS: undefined });
    scheduler.run(({ cold, expectObservable }) => {
      const readings = cold('a', { a: 9000 });
      expectObservable(readings.pipe(stamped(scheduler), overTime([threshold, fault], scheduler))).toBe('(tf)', {
        t: factory.emitted(threshold.id, 'start', 'orange', 0, { value: 9000, cause: 'high' }),
        f: factory.emitted(fault.id, 'start', 'yellow', 0, { value: 9000, cause: 'out_of_range' }),
      });
    });
  });

  it('completes with its readings and cancels pending timers', () => {
    // brief: timers come from the scheduler; nothing fires after the stream ends
    const rule = factory.offline();
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(cold<number>('a|', { a: 1 }).pipe(stamped(scheduler), overTime([rule], scheduler))).toBe('-|');
    });
  });
});

describe('context gating of the default rules', () => {
  // issue 14: cooling water ↔ casting_active; collector ΔP and stuck check ↔ equipment_running
  const H = 3600 * S;
  let scheduler: TestScheduler;

  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  const rulesOf = (point: Partial<PointForRules> & Pick<PointForRules, 'type' | 'unit'>) =>
    defaultRulesFor({ id: 'P', mandatory: true, expectedIntervalS: 60, ...point }).filter((r) => r.kind !== 'offline');
  const flow = (contexts?: PointForRules['contexts']) => rulesOf({ type: 'water_flow', unit: 'm3/h', ...(contexts && { contexts }) });
  const dp = (contexts?: PointForRules['contexts']) => rulesOf({ type: 'filter_dp', unit: 'Pa', ...(contexts && { contexts }) });
  const p = (value: number) => ({ pointId: 'P', value });
  const cast = (value: number) => ({ pointId: 'CAST', value });
  const run = (value: number) => ({ pointId: 'RUN', value });

  it('raises nothing when a cast ends: casting_active → 0, then the cooling water flow falls to 0', () => {
    const rules = flow({ casting_active: 'CAST' });
    scheduler.run(({ cold, expectObservable }) => {
      const { marbles, values } = series([[0, cast(1)], [1 * S, p(100)], [90 * S, p(100)], [100 * S, cast(0)], [101 * S, p(50)], [102 * S, p(0)], [200 * S, p(0)]]);
      expectObservable(cold(marbles, values).pipe(stamped(scheduler), overTime(rules, scheduler))).toBe('');
    });
  });

  it('raises red for the same drop during a cast (past the grace period)', () => {
    // docs/domain.md: water_flow drop ≥ 30 % within 10 s → red; 判定标准 第五条 深井铸造结晶器冷却水
    const rules = flow({ casting_active: 'CAST' });
    const rate = rules.find((r) => r.kind === 'rate') as RuleDefinition;
    scheduler.run(({ cold, expectObservable }) => {
      const { marbles, values } = series([[0, cast(1)], [1 * S, p(100)], [95 * S, p(100)], [101 * S, p(50)], [102 * S, p(0)]]);
      expectObservable(cold(marbles, values).pipe(stamped(scheduler), overTime(rules, scheduler))).toBe(timeline([[101 * S, 'r']]), {
        r: factory.emitted(rate.id, 'start', 'red', 101 * S, { value: 50, cause: 'drop' }),
      });
    });
  });

  it('judges nothing in the first 60 s of a cast, then judges what holds when the grace period ends', () => {
    // issue 14: a grace period after the context starts (default 60 s)
    const rules = rulesOf({ type: 'water_flow', unit: 'm3/h', thresholds: { low: { orange: 20 } }, contexts: { casting_active: 'CAST' } });
    const threshold = rules.find((r) => r.kind === 'threshold') as RuleDefinition;
    scheduler.run(({ cold, expectObservable }) => {
      // the water ramps up (0 → 100) and dips at 30 s inside the grace; at 60 s it is still low: orange then, from the timer
      const { marbles, values } = series([[0, cast(1)], [1 * S, p(0)], [20 * S, p(100)], [30 * S, p(40)], [50 * S, p(10)]]);
      expectObservable(cold(marbles, values).pipe(stamped(scheduler), overTime(rules, scheduler))).toBe(timeline([[60 * S, 'o']]), {
        o: factory.emitted(threshold.id, 'start', 'orange', 60 * S, { value: 10, cause: 'low' }),
      });
    });
  });

  it('raises nothing for a collector switched off overnight: ΔP low and the 6-hour stuck check are paused', () => {
    // docs/domain.md: filter_dp ≤ 100 yellow (bag rupture), stuck 6 h → fault — neither while the collector is off
    const rules = dp({ equipment_running: 'RUN' });
    scheduler.run(({ cold, expectObservable }) => {
      const night: [number, { pointId: string; value: number }][] = Array.from({ length: 13 }, (_, i) => [(10 + i) * H + S, p(0)]);
      const { marbles, values } = series([[0, run(1)], [1 * S, p(800)], [10 * H, run(0)], ...night, [23 * H + 2 * S, run(1)], [23 * H + 30 * S, p(600)], [23 * H + 70 * S, p(820)]]);
      expectObservable(cold(marbles, values).pipe(stamped(scheduler), overTime(rules, scheduler))).toBe('');
    });
  });

  it('still raises ΔP low for a running collector (past the grace period)', () => {
    const rules = dp({ equipment_running: 'RUN' });
    const threshold = rules.find((r) => r.kind === 'threshold') as RuleDefinition;
    scheduler.run(({ cold, expectObservable }) => {
      const { marbles, values } = series([[0, run(1)], [1 * S, p(800)], [120 * S, p(50)]]);
      expectObservable(cold(marbles, values).pipe(stamped(scheduler), overTime(rules, scheduler))).toBe(timeline([[120 * S, 'y']]), {
        y: factory.emitted(threshold.id, 'start', 'yellow', 120 * S, { value: 50, cause: 'low' }),
      });
    });
  });

  it('fires as before without a context point: the cooling water drop is red', () => {
    // issue 14: without a context point the rule runs ungated (the point shows 未接入工况信号)
    const flowRules = flow();
    const rate = flowRules.find((r) => r.kind === 'rate') as RuleDefinition;
    expect(flowRules.some((r) => 'gate' in r && r.gate)).toBe(false);
    scheduler.run(({ cold, expectObservable }) => {
      const { marbles, values } = series([[0, p(100)], [5 * S, p(0)]]);
      expectObservable(cold(marbles, values).pipe(stamped(scheduler), overTime(flowRules, scheduler))).toBe(timeline([[5 * S, 'r']]), {
        r: factory.emitted(rate.id, 'start', 'red', 5 * S, { value: 0, cause: 'drop' }),
      });
    });
  });

  it('keeps ΔP low and the stuck check of a collector without a context point', () => {
    const dpRules = dp();
    const [threshold, fault] = [dpRules.find((r) => r.kind === 'threshold'), dpRules.find((r) => r.kind === 'fault')] as RuleDefinition[];
    scheduler.run(({ cold, expectObservable }) => {
      const { marbles, values } = series(Array.from({ length: 8 }, (_, i) => [i * H, p(0)] as const));
      expectObservable(cold(marbles, values).pipe(stamped(scheduler), overTime(dpRules, scheduler))).toBe(timeline([[0, 'y'], [6 * H, 'f']]), {
        y: factory.emitted((threshold as RuleDefinition).id, 'start', 'yellow', 0, { value: 0, cause: 'low' }),
        f: factory.emitted((fault as RuleDefinition).id, 'start', 'yellow', 6 * H, { value: 0, cause: 'stuck' }),
      });
    });
  });

  it('uses the configured grace period of a rule', () => {
    // issue 14: the grace period is configurable per rule (gate.graceS)
    const rule = factory.rate({ pointId: 'P', gate: { pointId: 'CAST', graceS: 5 } });
    scheduler.run(({ cold, expectObservable }) => {
      const { marbles, values } = series([[0, cast(1)], [1 * S, p(100)], [8 * S, p(100)], [9 * S, p(10)]]);
      expectObservable(cold(marbles, values).pipe(stamped(scheduler), overTime([rule], scheduler))).toBe(timeline([[9 * S, 'r']]), {
        r: factory.emitted(rule.id, 'start', 'red', 9 * S, { value: 10, cause: 'drop' }),
      });
    });
  });
});
