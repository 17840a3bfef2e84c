import { DEFAULT_ESCALATION_POLICY } from '@sw/rules';
import { scalePolicy } from '../points/rule-scaling.factory';
import { T0, factory } from '../testing/alerting-test.factory';
import { alarmDueAt, dueTransition, maintenanceTransition } from './alarm-timers.factory';

const policy = DEFAULT_ESCALATION_POLICY;
const MIN = 60_000;

describe(dueTransition.name, () => {
  it('escalates an unacknowledged orange alarm after 15 minutes, tier unchanged', () => {
    // docs/domain.md: orange — after 15 min principal and district duty officer
    const alarm = factory.alarm({ tier: 'orange' });
    expect(alarmDueAt(alarm, policy)).toBe(T0 + 15 * MIN);
    expect(dueTransition(alarm, T0 + 14 * MIN, policy)).toMatchObject({ ok: true, events: [] });
    const sut = dueTransition(alarm, T0 + 15 * MIN, policy);
    expect(sut).toMatchObject({ ok: true, alarm: { escalationLevel: 1, tier: 'orange' }, events: [{ event: 'escalated', data: { level: 1 } }] });
  });

  it('does not escalate an acknowledged, suppressed or yellow alarm', () => {
    for (const alarm of [factory.alarm({ acknowledged: true }), factory.alarm({ suppressed: true }), factory.alarm({ tier: 'yellow' })]) {
      expect(alarmDueAt(alarm, policy)).toBeNull();
      expect(dueTransition(alarm, T0 + 60 * MIN, policy)).toMatchObject({ ok: true, events: [] });
    }
  });

  it('expires a shelf (system unshelved) before any escalation, then counts escalation again', () => {
    // docs/contracts.md §3: no escalation while shelved; shelf expires → unshelved
    const shelved = factory.alarm({ shelvedUntil: new Date(T0 + 30 * MIN).toISOString() });
    expect(alarmDueAt(shelved, policy)).toBe(T0 + 30 * MIN);
    const sut = dueTransition(shelved, T0 + 30 * MIN, policy);
    expect(sut).toMatchObject({ ok: true, alarm: { shelvedUntil: null }, events: [{ event: 'unshelved', actor: null, data: { expired: true } }] });
    if (!sut.ok) throw new Error('expected ok');
    expect(alarmDueAt(sut.alarm, policy)).toBe(T0 + 15 * MIN); // overdue: fires at once
  });

  it('follows the time scale of the policy', () => {
    expect(alarmDueAt(factory.alarm({ tier: 'red' }), scalePolicy(policy, 60))).toBe(T0 + 15_000);
  });
});

describe(maintenanceTransition.name, () => {
  it('suppresses and unsuppresses as the system, and leaves closed alarms alone', () => {
    const on = maintenanceTransition(factory.alarm(), true, T0, '检修');
    expect(on).toMatchObject({ ok: true, alarm: { suppressed: true }, events: [{ event: 'suppressed', actor: null, data: { reason: '检修' } }] });
    const off = maintenanceTransition(factory.alarm({ suppressed: true }), false, T0, null);
    expect(off).toMatchObject({ ok: true, alarm: { suppressed: false }, events: [{ event: 'unsuppressed' }] });
    expect(maintenanceTransition(factory.alarm({ stage: 'closed' }), true, T0, null)).toMatchObject({ ok: true, events: [] });
  });
});
