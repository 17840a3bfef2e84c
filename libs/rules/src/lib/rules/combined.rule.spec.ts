import { TestScheduler } from 'rxjs/testing';
import { factory, overTime, stamped, timeline } from '../testing/rules-test.factory';
import { exprValue, validateCombinedRule } from './combined.rule';
import type { CombinedRule } from './rule.types';

const S = 1000;

describe('validateCombinedRule', () => {
  const sut = validateCombinedRule;

  it('accepts AND/OR over points and differences', () => {
    // brief: AND/OR over several points' conditions, derived values, gating
    expect(sut({ ...factory.combined({ gate: { pointId: 'CAST' } }) })).toEqual([]);
  });

  it('wants the subject to be the first point named', () => {
    // docs/contracts.md §3: for combined rules, the alarm belongs to the rule's first point
    expect(sut({ ...factory.combined({ pointId: 'OUT' }) })).toEqual(['pointId must be the first point of the conditions (IN)']);
  });

  it('names bad conditions', () => {
    // brief: hand validators returning reasons
    expect(sut({ ...factory.combined(), op: 'xor', conditions: [{ value: { diff: ['A'] }, op: '>', setpoint: 'x' }] })).toEqual([
      'op must be and or or',
      'conditions[0].value must be {point} or {diff: [point, point]}',
      'conditions[0].op must be >= or <=',
      'conditions[0].setpoint must be a finite number',
    ]);
    expect(sut({ ...factory.combined(), conditions: [] })).toEqual(['conditions must be an array of 1 to 16 conditions']);
  });
});

describe('exprValue', () => {
  it('derives inlet − outlet', () => {
    // docs/domain.md: flow_difference = inlet − outlet, may be computed from two water_flow points
    expect(exprValue({ diff: ['IN', 'OUT'] }, { IN: 120, OUT: 112.5 })).toBe(7.5);
    expect(exprValue({ diff: ['IN', 'OUT'] }, { IN: 120 })).toBeUndefined();
    expect(exprValue({ point: 'IN' }, { IN: 120 })).toBe(120);
  });
});

describe('combined rule', () => {
  let scheduler: TestScheduler;
  const r = (pointId: string, value: number) => ({ pointId, value });

  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('evaluates a derived difference only while the gate is on', () => {
    // docs/domain.md: a leak (inlet − outlet high) → red; gates rules: it matters only while casting
    const rule = factory.combined({ gate: { pointId: 'CAST' } });
    scheduler.run(({ cold, expectObservable }) => {
      const readings = cold(timeline([[0, 'a'], [1 * S, 'b'], [2 * S, 'g'], [3 * S, 'h'], [4 * S, 'c']]), {
        a: r('IN', 120),
        b: r('OUT', 110),
        g: r('CAST', 1),
        h: r('CAST', 0),
        c: r('CAST', 1),
      });
      expectObservable(readings.pipe(stamped(scheduler), overTime([rule], scheduler))).toBe(timeline([[2 * S, 's'], [3 * S, 'e'], [4 * S, 't']]), {
        s: factory.emitted(rule.id, 'start', 'red', 2 * S, { value: 10 }),
        e: factory.emitted(rule.id, 'end', 'red', 3 * S, { value: 10 }),
        t: factory.emitted(rule.id, 'start', 'red', 4 * S, { value: 10 }),
      });
    });
  });

  it('joins conditions with AND', () => {
    // brief: AND over several points' conditions
    const rule: CombinedRule = factory.combined({
      pointId: 'FLOW',
      op: 'and',
      conditions: [
        { value: { point: 'FLOW' }, op: '<=', setpoint: 50 },
        { value: { point: 'PRESS' }, op: '<=', setpoint: 0.2 },
      ],
    });
    scheduler.run(({ cold, expectObservable }) => {
      const readings = cold(timeline([[0, 'a'], [1 * S, 'b'], [2 * S, 'c']]), { a: r('FLOW', 40), b: r('PRESS', 0.1), c: r('FLOW', 60) });
      expectObservable(readings.pipe(stamped(scheduler), overTime([rule], scheduler))).toBe(timeline([[1 * S, 's'], [2 * S, 'e']]), {
        s: factory.emitted(rule.id, 'start', 'red', 1 * S, { value: 40 }),
        e: factory.emitted(rule.id, 'end', 'red', 2 * S, { value: 60 }),
      });
    });
  });

  it('joins conditions with OR, each with its own deadband', () => {
    // OR between conditions at the same tier; hysteresis
    const rule: CombinedRule = factory.combined({
      pointId: 'FLOW',
      op: 'or',
      conditions: [
        { value: { point: 'FLOW' }, op: '<=', setpoint: 50, deadband: 5 },
        { value: { point: 'PRESS' }, op: '<=', setpoint: 0.2 },
      ],
    });
    scheduler.run(({ cold, expectObservable }) => {
      const readings = cold(timeline([[0, 'a'], [1 * S, 'b'], [2 * S, 'c'], [3 * S, 'd']]), {
        a: r('PRESS', 0.1),
        b: r('PRESS', 0.5),
        c: r('FLOW', 50),
        d: r('FLOW', 54),
      });
      expectObservable(readings.pipe(stamped(scheduler), overTime([rule], scheduler))).toBe(timeline([[0, 's'], [1 * S, 'e'], [2 * S, 't']]), {
        s: factory.emitted(rule.id, 'start', 'red', 0, { value: null }),
        e: factory.emitted(rule.id, 'end', 'red', 1 * S, { value: null }),
        t: factory.emitted(rule.id, 'start', 'red', 2 * S, { value: 50 }),
      });
    });
  });
});
