import { T0, factory } from '../testing/rules-test.factory';
import { applyConditionChange } from './alarm-condition.rule';
import type { AlarmResult, AlarmSnapshot } from './alarm.types';

const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

function accepted(result: AlarmResult): Extract<AlarmResult, { ok: true }> {
  if (!result.ok) throw new Error(`refused: ${result.code}`);
  return result;
}

describe(applyConditionChange.name, () => {
  const sut = applyConditionChange;
  const ctx = factory.context();

  it('raises a new alarm when the condition starts and there is none', () => {
    // docs/contracts.md §3 row "rule condition starts, no alarm … that is not closed" → raised: active, not acknowledged, open
    const { alarm, events } = accepted(sut(null, factory.change('start', 'orange', T0, { cause: 'high' }), ctx));
    expect(alarm).toMatchObject({
      id: 'alarm-1',
      kind: 'threshold',
      tier: 'orange',
      peakTier: 'orange',
      value: 180,
      peakValue: 180,
      condition: 'active',
      acknowledged: false,
      stage: 'open',
      suppressed: false,
      escalationLevel: 0,
      raisedAt: iso(T0),
      escalationStartedAt: iso(T0),
      clearedAt: null,
    });
    expect(alarm.message).toBe('【橙色（二级）报警】某钢铁有限公司 一氧化碳 CO-01 超限报警（高于上限），当前值 180 ppm');
    expect(events).toEqual([{ event: 'raised', at: iso(T0), actor: null, data: { tier: 'orange', value: 180, cause: 'high' } }]);
  });

  it('raises suppressed during maintenance', () => {
    // docs/contracts.md §3: alarms raised during maintenance start suppressed
    const { alarm } = accepted(sut(null, factory.change('start', 'yellow', T0), factory.context({ suppressed: true })));
    expect(alarm.suppressed).toBe(true);
  });

  it('raises a new alarm after the last one was closed', () => {
    // docs/contracts.md §3: after closed, the rule's next start raises a new alarm
    const closed = factory.alarm({ condition: 'cleared', stage: 'closed', closedAt: iso(T0) });
    const { alarm, events } = accepted(sut(closed, factory.change('start', 'yellow', T0 + MIN), factory.context({ newAlarmId: 'alarm-2' })));
    expect(alarm.id).toBe('alarm-2');
    expect(events.map((e) => e.event)).toEqual(['raised']);
  });

  it('reactivates a cleared alarm: ack reset, disposed → open, escalation restarts', () => {
    // docs/contracts.md §3 row "starts again while cleared (not closed)" → reactivated
    const cleared = factory.alarm({
      condition: 'cleared',
      clearedAt: iso(T0 + MIN),
      acknowledged: true,
      ackedAt: iso(T0),
      stage: 'disposed',
      disposedAt: iso(T0 + MIN),
      escalationLevel: 1,
    });
    const { alarm, events } = accepted(sut(cleared, factory.change('start', 'yellow', T0 + 5 * MIN, { value: 30 }), ctx));
    expect(alarm).toMatchObject({
      id: 'alarm-1',
      condition: 'active',
      clearedAt: null,
      acknowledged: false,
      ackedAt: null,
      stage: 'open',
      disposedAt: null,
      escalationLevel: 0,
      escalationStartedAt: iso(T0 + 5 * MIN),
      tier: 'yellow',
      peakTier: 'orange',
      peakValue: 180,
    });
    expect(events).toEqual([{ event: 'reactivated', at: iso(T0 + 5 * MIN), actor: null, data: { tier: 'yellow', value: 30 } }]);
  });

  it('changes tier upwards: peak, ack reset, escalation restarts', () => {
    // docs/contracts.md §3 row "rule changes tier while active" — a rise resets acknowledged and restarts escalation
    const acked = factory.alarm({ acknowledged: true, ackedAt: iso(T0), escalationLevel: 1 });
    const { alarm, events } = accepted(sut(acked, factory.change('tier', 'red', T0 + 15 * MIN, { value: 190 }), ctx));
    expect(alarm).toMatchObject({
      tier: 'red',
      peakTier: 'red',
      peakValue: 190,
      acknowledged: false,
      ackedAt: null,
      escalationLevel: 0,
      escalationStartedAt: iso(T0 + 15 * MIN),
    });
    expect(events).toEqual([{ event: 'tier_changed', at: iso(T0 + 15 * MIN), actor: null, data: { from: 'orange', to: 'red', value: 190 } }]);
  });

  it('changes tier downwards without touching ack, peak or escalation', () => {
    // docs/contracts.md §3: a fall does not reset acknowledged
    const acked = factory.alarm({ tier: 'red', peakTier: 'red', acknowledged: true, ackedAt: iso(T0), escalationLevel: 1 });
    const { alarm, events } = accepted(sut(acked, factory.change('tier', 'yellow', T0 + MIN, { value: 30 }), ctx));
    expect(alarm).toMatchObject({ tier: 'yellow', peakTier: 'red', acknowledged: true, escalationLevel: 1, escalationStartedAt: iso(T0) });
    expect(events.map((e) => e.event)).toEqual(['tier_changed']);
  });

  it('writes nothing for a start that changes nothing (replay after a restart)', () => {
    // no duplicate alarms after a restart
    const active = factory.alarm();
    expect(sut(active, factory.change('start', 'orange', T0 + MIN), ctx)).toEqual({ ok: true, alarm: active, events: [] });
  });

  it('clears an active alarm', () => {
    // docs/contracts.md §3 row "rule condition ends" (active) → cleared, clearedAt set
    const { alarm, events } = accepted(sut(factory.alarm(), factory.change('end', 'orange', T0 + MIN, { value: 20 }), ctx));
    expect(alarm).toMatchObject({ condition: 'cleared', clearedAt: iso(T0 + MIN), value: 20, acknowledged: false, stage: 'open' });
    expect(events).toEqual([{ event: 'cleared', at: iso(T0 + MIN), actor: null, data: { value: 20 } }]);
  });

  it('refuses to clear what is not active → 409', () => {
    // docs/contracts.md §3: cleared is allowed when active
    const cleared: AlarmSnapshot = factory.alarm({ condition: 'cleared' });
    expect(sut(cleared, factory.change('end', 'orange', T0), ctx)).toMatchObject({ ok: false, kind: 'conflict', code: 'not_active' });
    expect(sut(null, factory.change('end', 'orange', T0), ctx)).toMatchObject({ ok: false, kind: 'conflict', code: 'not_active' });
  });
});
