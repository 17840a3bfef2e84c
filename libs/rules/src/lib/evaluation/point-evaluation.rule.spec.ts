import { at, factory, runSteps } from '../testing/rules-test.factory';
import { TICK, initialState, nextTimerAt, restoreState, step } from './point-evaluation.rule';

const S = 1000;

describe('step', () => {
  it('starts, changes tier highest first, and ends', () => {
    // docs/style.md: tiers are evaluated highest first
    const sut = factory.threshold();
    const { changes } = runSteps(sut, [at(0, 10), at(1 * S, 30), at(2 * S, 200), at(3 * S, 5)]);
    expect(changes).toEqual([
      factory.change('start', 'yellow', 1 * S, { value: 30, cause: 'high' }),
      factory.change('tier', 'orange', 2 * S, { value: 200, cause: 'high' }),
      factory.change('end', 'orange', 3 * S, { value: 5 }),
    ]);
  });

  it('clears only once back inside the setpoint by the deadband', () => {
    // docs/contracts.md §4: deadband is absolute, in the point's unit; default 2 % of the lowest setpoint (24 → 0.48)
    const sut = factory.threshold();
    const { changes } = runSteps(sut, [at(0, 25), at(1 * S, 23.9), at(2 * S, 23.6), at(3 * S, 23.5)]);
    expect(changes.map((c) => [c.kind, c.at])).toEqual([
      ['start', 0],
      ['end', 3 * S],
    ]);
  });

  it('needs the deadband to fall from orange to yellow too', () => {
    // brief: falling from orange to yellow needs the deadband too (explicit deadband 5)
    const sut = factory.threshold({ thresholds: { high: { yellow: 24, orange: 160 }, deadband: 5 } });
    const { changes } = runSteps(sut, [at(0, 170), at(1 * S, 158), at(2 * S, 155.5), at(3 * S, 155)]);
    expect(changes.map((c) => [c.kind, c.tier, c.at])).toEqual([
      ['start', 'orange', 0],
      ['tier', 'yellow', 3 * S],
    ]);
  });

  it('evaluates low setpoints and both directions of one point', () => {
    // docs/domain.md: O₂ ≤ 19.5 orange; ≥ 23.5 orange
    const sut = factory.threshold({ pointId: 'O2', thresholds: { high: { orange: 23.5 }, low: { orange: 19.5 } } });
    const { changes } = runSteps(sut, [at(0, 20.9), at(1 * S, 19.4), at(2 * S, 20.9), at(3 * S, 24)], initialState(sut, 0));
    expect(changes.map((c) => [c.kind, c.cause])).toEqual([
      ['start', 'low'],
      ['end', undefined],
      ['start', 'high'],
    ]);
  });

  it('ignores a reading older than the newest evaluated', () => {
    // docs/contracts.md §1: a reading older than the newest one already evaluated does not move live alarm state
    const sut = factory.threshold();
    const first = runSteps(sut, [at(10 * S, 200)]);
    const result = step(sut, first.state, { ts: 5 * S, value: 0 }, 11 * S);
    expect(result.changes).toEqual([]);
    expect(result.state).toBe(first.state);
  });

  it('lets the later of two same-millisecond readings win', () => {
    // docs/contracts.md §1: two readings of one point with the same millisecond are one reading (the later wins)
    const sut = factory.threshold();
    const { changes } = runSteps(sut, [at(1 * S, 200), at(1 * S, 10)]);
    expect(changes.map((c) => c.kind)).toEqual(['start', 'end']);
  });

  it('never raises a process alarm from a bad reading', () => {
    // docs/contracts.md §1: a bad reading raises a sensor fault, never a process alarm
    const sut = factory.threshold();
    const { changes } = runSteps(sut, [at(0, 900, { quality: 'bad' })]);
    expect(changes).toEqual([]);
  });

  it('does not modify the state it is given', () => {
    // brief: step is pure
    const sut = factory.threshold({ thresholds: { high: { yellow: 24 }, onDelayS: 5 } });
    const state = initialState(sut, 0);
    const copy = JSON.parse(JSON.stringify(state)) as unknown;
    step(sut, state, { ts: 0, value: 30 }, 0);
    step(sut, state, TICK, 10 * S);
    expect(state).toEqual(copy);
  });
});

describe('step with delays', () => {
  const delayed = factory.threshold({ thresholds: { high: { yellow: 24, orange: 160 }, onDelayS: 10, offDelayS: 30 } });

  it('raises only after the on-delay, from a timer', () => {
    // docs/domain.md: optional on/off delays apply to every threshold — the condition must hold that long
    const first = runSteps(delayed, [at(0, 30)]);
    expect(first.changes).toEqual([]);
    expect(first.nextTimerAt).toBe(10 * S);
    const tick = step(delayed, first.state, TICK, 10 * S);
    expect(tick.changes).toEqual([factory.change('start', 'yellow', 10 * S, { value: 30, cause: 'high' })]);
  });

  it('uses the on-delay for a rise while active and the off-delay for a fall', () => {
    // brief: tier changes while active use the on-delay for rises too; falls and clearing wait the off-delay
    const { changes } = runSteps(delayed, [at(0, 30), [10 * S, TICK], at(20 * S, 200), [30 * S, TICK], at(40 * S, 30), [70 * S, TICK]]);
    expect(changes.map((c) => [c.kind, c.tier, c.at])).toEqual([
      ['start', 'yellow', 10 * S],
      ['tier', 'orange', 30 * S],
      ['tier', 'yellow', 70 * S],
    ]);
  });

  it('does not raise when the condition breaks before the on-delay ends', () => {
    // docs/domain.md: on-delay — a short spike is not an alarm
    const { changes, nextTimerAt: next } = runSteps(delayed, [at(0, 30), at(5 * S, 10), [10 * S, TICK]]);
    expect(changes).toEqual([]);
    expect(next).toBeUndefined();
  });

  it('applies an overdue timer before a reading that arrives late', () => {
    // docs/architecture.md: time-driven behaviour is evaluated by timers, not only when data arrives — no missed alarm
    const { changes } = runSteps(delayed, [at(0, 30), at(50 * S, 10), [80 * S, TICK]]);
    expect(changes.map((c) => [c.kind, c.at])).toEqual([
      ['start', 10 * S],
      ['end', 80 * S],
    ]);
  });

  it('keeps the lower tier confirmed when the value chatters between tiers', () => {
    // chattering must not restart the clock of a tier that held throughout
    const sut = factory.threshold({ thresholds: { high: { yellow: 24, orange: 160 }, deadband: 0, onDelayS: 10 } });
    const inputs = [0, 2, 4, 6, 8, 10].map((s, i) => at(s * S, i % 2 === 0 ? 170 : 100));
    const { changes } = runSteps(sut, [...inputs, [12 * S, TICK]]);
    expect(changes.map((c) => [c.kind, c.tier, c.at])).toEqual([['start', 'yellow', 10 * S]]);
  });
});

describe('restoreState', () => {
  it('round-trips through JSON and fires a pending sustained lift at its original time', () => {
    // docs/architecture.md: timers survive a restart because they derive from persisted timestamps
    const sut = factory.threshold({ sustained: [{ fromTier: 'orange', toTier: 'red', forS: 900 }] });
    const before = runSteps(sut, [at(0, 200)]);
    expect(before.nextTimerAt).toBe(900 * S);
    const persisted = JSON.parse(JSON.stringify(before.state)) as typeof before.state;
    const restored = restoreState(sut, persisted, 600 * S);
    expect(nextTimerAt(sut, restored)).toBe(900 * S);
    expect(step(sut, restored, TICK, 900 * S).changes).toEqual([factory.change('tier', 'red', 900 * S, { value: 200, cause: 'high' })]);
  });

  it('fires at once, dated on time, when the timer passed while the process was down', () => {
    // brief: restored at t with a pending sustained start at t0 → fires at t0 + duration, or immediately if past
    const sut = factory.threshold({ sustained: [{ fromTier: 'orange', toTier: 'red', forS: 900 }] });
    const persisted = JSON.parse(JSON.stringify(runSteps(sut, [at(0, 200)]).state)) as ReturnType<typeof initialState>;
    const restored = restoreState(sut, persisted, 2000 * S);
    expect(nextTimerAt(sut, restored)).toBe(900 * S);
    expect(step(sut, restored, TICK, 2000 * S).changes).toEqual([factory.change('tier', 'red', 900 * S, { value: 200, cause: 'high' })]);
  });

  it('starts the offline window afresh so our own downtime is not "no data"', () => {
    // no false no-data alarms after a restart
    const sut = factory.offline();
    const persisted = initialState(sut, 0);
    const restored = restoreState(sut, persisted, 3600 * S);
    expect(nextTimerAt(sut, restored)).toBe(3600 * S + 180 * S);
  });

  it('adapts a state to an edited rule', () => {
    // brief: apps/alerting restores state for rules that may have changed (delays, lifts added)
    const plain = factory.threshold();
    const state = runSteps(plain, [at(0, 200)]).state;
    const edited = factory.threshold({ thresholds: { high: { yellow: 24, orange: 160 }, offDelayS: 30 }, sustained: [{ fromTier: 'orange', toTier: 'red', forS: 60 }] });
    const restored = restoreState(edited, state, 10 * S);
    expect(restored.held).toEqual([10 * S]);
    expect(step(edited, restored, { ts: 20 * S, value: 0 }, 20 * S).nextTimerAt).toBe(50 * S);
    expect(restoreState(factory.offline(), state, 10 * S).k.kind).toBe('offline');
  });
});
