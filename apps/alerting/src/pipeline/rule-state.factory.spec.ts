import { TICK, initialState, nextTimerAt, step, type FaultRule, type OfflineRule, type RuleState, type ThresholdRule } from '@sw/rules';
import { PointRulesFactory } from '../points/point-rules.factory';
import { T0, factory } from '../testing/alerting-test.factory';
import { mattersForRestart, reconcileChange, startState } from './rule-state.factory';

const [coRule, offlineRule, faultRule] = new PointRulesFactory(1).rulesFor(factory.point(), []).rules as [ThresholdRule, OfflineRule, FaultRule];
const reading = (ts: number, value: number) => ({ ts, value });
const persisted = (st: RuleState): RuleState => JSON.parse(JSON.stringify(st)) as RuleState;

describe(startState.name, () => {
  it('restores a pending sustained lift so it fires at its original time after a restart', () => {
    // docs/domain.md: CO orange held 15 min → red, evaluated by timers, surviving a restart
    const raised = step(coRule, initialState(coRule, T0), reading(T0, 100), T0);
    expect(raised.nextTimerAt).toBe(T0 + 900_000);
    const sut = startState(coRule, persisted(raised.state), T0 + 60_000);
    expect(nextTimerAt(coRule, sut)).toBe(T0 + 900_000);
    const lifted = step(coRule, sut, TICK, T0 + 905_000);
    expect(lifted.changes).toEqual([expect.objectContaining({ kind: 'tier', tier: 'red', at: T0 + 900_000 })]);
  });

  it('restarts the offline window at start-up, so our own downtime is no "no data"', () => {
    const seen = step(offlineRule, initialState(offlineRule, T0), reading(T0, 1), T0).state;
    const sut = startState(offlineRule, persisted(seen), T0 + 3_600_000);
    expect(nextTimerAt(offlineRule, sut)).toBe(T0 + 3_600_000 + 180_000);
  });

  it('counts a point that never reported from start-up', () => {
    expect(nextTimerAt(offlineRule, startState(offlineRule, undefined, T0))).toBe(T0 + 180_000);
  });

  it('forgets a stuck window that may be stale, but keeps a stuck condition', () => {
    const watching = step(faultRule, initialState(faultRule, T0), reading(T0, 5), T0).state;
    const sut = startState(faultRule, persisted(watching), T0 + 1000);
    expect(sut.k).toMatchObject({ stuckValue: null, stuckSince: null });
    const stuck = step(faultRule, watching, reading(T0 + 7 * 3_600_000, 5), T0 + 7 * 3_600_000).state;
    expect(startState(faultRule, persisted(stuck), T0).k).toMatchObject({ stuck: true, stuckValue: 5 });
  });
});

describe(mattersForRestart.name, () => {
  it('is true for a condition change and false for a reading that changes nothing that matters', () => {
    const s0 = initialState(coRule, T0);
    const raised = step(coRule, s0, reading(T0, 30), T0);
    expect(mattersForRestart(coRule, s0, raised)).toBe(true);
    const same = step(coRule, raised.state, reading(T0 + 1000, 31), T0 + 1000);
    expect(mattersForRestart(coRule, raised.state, same)).toBe(false);
  });

  it('is true when an on-delay timer appears or goes away without a condition change', () => {
    const delayed: ThresholdRule = { ...coRule, thresholds: { ...coRule.thresholds, onDelayS: 10 } };
    const s0 = initialState(delayed, T0);
    const pending = step(delayed, s0, reading(T0, 30), T0);
    expect(pending.changes).toEqual([]);
    expect(mattersForRestart(delayed, s0, pending)).toBe(true);
    const gone = step(delayed, pending.state, reading(T0 + 1000, 5), T0 + 1000);
    expect(mattersForRestart(delayed, pending.state, gone)).toBe(true);
  });

  it('never persists for a moving offline deadline, only for offline starting or ending', () => {
    const s0 = initialState(offlineRule, T0);
    const seen = step(offlineRule, s0, reading(T0, 1), T0 + 1000);
    expect(mattersForRestart(offlineRule, s0, seen)).toBe(false);
    const late = step(offlineRule, seen.state, TICK, T0 + 200_000);
    expect(mattersForRestart(offlineRule, seen.state, late)).toBe(true);
  });
});

describe(reconcileChange.name, () => {
  const now = T0 + 5000;
  const orange = step(coRule, initialState(coRule, T0), reading(T0, 100), T0).state;
  const quiet = initialState(coRule, T0);

  it('raises a condition the state holds whose alarm never committed (crash between the two)', () => {
    expect(reconcileChange(coRule, orange, null, now)).toEqual({ kind: 'start', tier: 'orange', value: 100, at: now });
    expect(reconcileChange(coRule, orange, factory.alarm({ condition: 'cleared' }), now)).toMatchObject({ kind: 'start' });
  });

  it('moves the tier or clears when the alarm lags behind the state', () => {
    expect(reconcileChange(coRule, orange, factory.alarm({ tier: 'yellow' }), now)).toMatchObject({ kind: 'tier', tier: 'orange' });
    expect(reconcileChange(coRule, quiet, factory.alarm({ tier: 'yellow' }), now)).toMatchObject({ kind: 'end', tier: 'yellow' });
  });

  it('does nothing when they agree (no duplicate alarm after a restart)', () => {
    expect(reconcileChange(coRule, orange, factory.alarm({ tier: 'orange' }), now)).toBeNull();
    expect(reconcileChange(coRule, quiet, null, now)).toBeNull();
    expect(reconcileChange(coRule, quiet, factory.alarm({ condition: 'cleared' }), now)).toBeNull();
  });

  it('says "no data" for an offline condition', () => {
    const late = step(offlineRule, initialState(offlineRule, T0), TICK, T0 + 200_000).state;
    expect(reconcileChange(offlineRule, late, null, now)).toEqual({ kind: 'start', tier: 'yellow', value: null, at: now, cause: 'no_data' });
  });
});
