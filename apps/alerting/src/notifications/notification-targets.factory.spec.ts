import { DEFAULT_ESCALATION_POLICY } from '@sw/rules';
import type { CommittedEvent } from '@sw/persistence';
import { factory } from '../testing/alerting-test.factory';
import { notifyTargetsFor } from './notification-targets.factory';

const event = (name: CommittedEvent['event'], alarm = factory.alarm(), data: Record<string, unknown> = {}): CommittedEvent => ({
  seq: 1, event: name, at: alarm.raisedAt, actor: null, data, alarm, regionCode: '320505',
});
const recipients = (e: CommittedEvent) => notifyTargetsFor(e, DEFAULT_ESCALATION_POLICY).map((t) => t.recipient);

describe(notifyTargetsFor.name, () => {
  it('notifies the tier\'s recipients at once on a raise and on a rise, not on a fall', () => {
    // docs/domain.md: red — safety officer and principal, district duty officer; orange — safety officer
    expect(recipients(event('raised', factory.alarm({ tier: 'red' })))).toEqual(['safety_officer', 'principal', 'district_duty_officer']);
    expect(recipients(event('tier_changed', factory.alarm({ tier: 'orange' }), { from: 'yellow', to: 'orange' }))).toEqual(['safety_officer']);
    expect(recipients(event('tier_changed', factory.alarm({ tier: 'yellow' }), { from: 'orange', to: 'yellow' }))).toEqual([]);
  });

  it('notifies the escalation step\'s recipients on escalated', () => {
    // docs/domain.md: orange after 15 min — principal and district duty officer
    expect(recipients(event('escalated', factory.alarm({ tier: 'orange', escalationLevel: 1 })))).toEqual(['principal', 'district_duty_officer']);
  });

  it('notifies nobody while shelved or suppressed, or for other events', () => {
    expect(recipients(event('raised', factory.alarm({ suppressed: true })))).toEqual([]);
    expect(recipients(event('raised', factory.alarm({ shelvedUntil: new Date().toISOString() })))).toEqual([]);
    expect(recipients(event('cleared'))).toEqual([]);
  });
});
