import { T0, factory } from '../testing/rules-test.factory';
import { ack, close, comment, dispose, escalate, notified, shelfExpired, shelfExpiresAt, shelve, suppress, unshelve, unsuppress } from './alarm-actions.rule';
import type { Actor, AlarmResult } from './alarm.types';

const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const officer: Actor = { id: 'u1', username: 'duty', role: 'regulator' };
const by = { at: T0 + MIN, actor: officer };

function accepted(result: AlarmResult): Extract<AlarmResult, { ok: true }> {
  if (!result.ok) throw new Error(`refused: ${result.code}`);
  return result;
}

describe(ack.name, () => {
  it('acknowledges', () => {
    // docs/contracts.md §3 row POST …/ack (not closed) → acknowledged
    const { alarm, events } = accepted(ack(factory.alarm(), { ...by, comment: '已通知现场' }));
    expect(alarm).toMatchObject({ acknowledged: true, ackedAt: iso(T0 + MIN) });
    expect(events).toEqual([{ event: 'acknowledged', at: iso(T0 + MIN), actor: officer, data: { comment: '已通知现场' } }]);
  });

  it('answers a repeated ack with no events', () => {
    // docs/contracts.md §3: a repeated ack answers 200 and writes nothing
    const acked = factory.alarm({ acknowledged: true, ackedAt: iso(T0) });
    expect(ack(acked, by)).toEqual({ ok: true, alarm: acked, events: [] });
  });

  it('refuses a closed alarm → 409', () => {
    // docs/contracts.md §3: ack allowed when not closed
    expect(ack(factory.alarm({ stage: 'closed' }), by)).toMatchObject({ ok: false, kind: 'conflict', code: 'alarm_closed' });
  });
});

describe(dispose.name, () => {
  const disposal = { ...by, cause: 'equipment_fault' as const, measures: '更换传感器' };

  it('acknowledges first when needed, then disposes an active alarm', () => {
    // docs/contracts.md §3 row POST …/dispose (stage open, active) → disposed, preceded by acknowledged if needed
    const { alarm, events } = accepted(dispose(factory.alarm(), disposal));
    expect(alarm).toMatchObject({ acknowledged: true, stage: 'disposed', disposedAt: iso(T0 + MIN), condition: 'active' });
    expect(events.map((e) => [e.event, e.data])).toEqual([
      ['acknowledged', {}],
      ['disposed', { cause: 'equipment_fault', measures: '更换传感器' }],
    ]);
  });

  it('disposes a cleared, acknowledged alarm with one event', () => {
    // docs/contracts.md §3: dispose while open (active or cleared)
    const { events } = accepted(dispose(factory.alarm({ condition: 'cleared', acknowledged: true }), disposal));
    expect(events.map((e) => e.event)).toEqual(['disposed']);
  });

  it('refuses a second disposal → 409', () => {
    // docs/contracts.md §3: again while disposed → 409
    expect(dispose(factory.alarm({ stage: 'disposed', acknowledged: true }), disposal)).toMatchObject({ ok: false, kind: 'conflict', code: 'already_disposed' });
  });

  it('refuses a closed alarm → 409', () => {
    // docs/contracts.md §3: dispose allowed when stage open
    expect(dispose(factory.alarm({ stage: 'closed' }), disposal)).toMatchObject({ ok: false, kind: 'conflict', code: 'alarm_closed' });
  });

  it('refuses an unknown cause or empty measures → 400', () => {
    // docs/contracts.md §4: cause ∈ real_hazard, equipment_fault, maintenance, false_alarm, other
    expect(dispose(factory.alarm(), { ...disposal, cause: 'bad_luck' as 'other' })).toMatchObject({ ok: false, kind: 'invalid', code: 'invalid_input' });
    expect(dispose(factory.alarm(), { ...disposal, measures: '  ' })).toMatchObject({ ok: false, kind: 'invalid' });
  });
});

describe(close.name, () => {
  it('closes a cleared, disposed alarm', () => {
    // docs/contracts.md §3 row POST …/close (cleared and disposed) → closed
    const { alarm, events } = accepted(close(factory.alarm({ condition: 'cleared', stage: 'disposed', acknowledged: true }), { ...by, comment: '复核通过' }));
    expect(alarm).toMatchObject({ stage: 'closed', closedAt: iso(T0 + MIN) });
    expect(events).toEqual([{ event: 'closed', at: iso(T0 + MIN), actor: officer, data: { comment: '复核通过' } }]);
  });

  it('refuses while the condition is active → 409 with the reason', () => {
    // docs/contracts.md §3: close needs cleared and disposed, otherwise 409 with the reason
    expect(close(factory.alarm({ stage: 'disposed' }), by)).toEqual({
      ok: false,
      kind: 'conflict',
      code: 'condition_active',
      reason: 'the condition is still active: close needs it cleared and disposed',
    });
  });

  it('refuses while not disposed → 409 with the reason', () => {
    // docs/contracts.md §3: close needs cleared and disposed → 409
    expect(close(factory.alarm({ condition: 'cleared' }), by)).toMatchObject({ ok: false, kind: 'conflict', code: 'not_disposed' });
  });

  it('refuses a closed alarm → 409', () => {
    // docs/contracts.md §3: closed is final
    expect(close(factory.alarm({ condition: 'cleared', stage: 'closed' }), by)).toMatchObject({ ok: false, kind: 'conflict', code: 'alarm_closed' });
  });
});

describe(shelve.name, () => {
  it('shelves for 1–1440 minutes', () => {
    // docs/contracts.md §3 row POST …/shelve (not closed) → shelved, shelvedUntil set
    const { alarm, events } = accepted(shelve(factory.alarm(), { ...by, minutes: 30, reason: '检修' }));
    expect(alarm.shelvedUntil).toBe(iso(T0 + 31 * MIN));
    expect(shelfExpiresAt(alarm)).toBe(T0 + 31 * MIN);
    expect(events).toEqual([{ event: 'shelved', at: iso(T0 + MIN), actor: officer, data: { minutes: 30, reason: '检修', until: iso(T0 + 31 * MIN) } }]);
  });

  it('refuses minutes outside 1–1440 or no reason → 400', () => {
    // docs/contracts.md §3: shelvedUntil set (1–1440 min)
    for (const minutes of [0, 1441, 1.5]) {
      expect(shelve(factory.alarm(), { ...by, minutes, reason: 'x' })).toMatchObject({ ok: false, kind: 'invalid', code: 'invalid_input' });
    }
    expect(shelve(factory.alarm(), { ...by, minutes: 5, reason: '' })).toMatchObject({ ok: false, kind: 'invalid' });
  });

  it('refuses a closed alarm → 409', () => {
    // docs/contracts.md §3: shelve allowed when not closed
    expect(shelve(factory.alarm({ stage: 'closed' }), { ...by, minutes: 5, reason: 'x' })).toMatchObject({ ok: false, kind: 'conflict', code: 'alarm_closed' });
  });
});

describe(unshelve.name, () => {
  it('unshelves a shelved alarm', () => {
    // docs/contracts.md §3 row POST …/unshelve (shelved) → unshelved
    const { alarm, events } = accepted(unshelve(factory.alarm({ shelvedUntil: iso(T0 + 30 * MIN) }), by));
    expect(alarm.shelvedUntil).toBeNull();
    expect(events.map((e) => [e.event, e.actor])).toEqual([['unshelved', officer]]);
  });

  it('refuses when not shelved → 409', () => {
    // docs/contracts.md §3: unshelve allowed when shelved
    expect(unshelve(factory.alarm(), by)).toMatchObject({ ok: false, kind: 'conflict', code: 'not_shelved' });
  });
});

describe(shelfExpired.name, () => {
  const shelved = factory.alarm({ shelvedUntil: iso(T0 + 30 * MIN) });

  it('unshelves when the shelf runs out, by the system', () => {
    // docs/contracts.md §3 row "shelf expires" → unshelved
    const { alarm, events } = accepted(shelfExpired(shelved, T0 + 30 * MIN));
    expect(alarm.shelvedUntil).toBeNull();
    expect(events).toEqual([{ event: 'unshelved', at: iso(T0 + 30 * MIN), actor: null, data: { expired: true } }]);
  });

  it('refuses before the shelf runs out, or when not shelved → 409', () => {
    // docs/contracts.md §3: allowed when shelved (and the shelf has expired)
    expect(shelfExpired(shelved, T0 + 29 * MIN)).toMatchObject({ ok: false, kind: 'conflict', code: 'shelf_not_expired' });
    expect(shelfExpired(factory.alarm(), T0)).toMatchObject({ ok: false, kind: 'conflict', code: 'not_shelved' });
  });
});

describe(suppress.name, () => {
  it('suppresses and unsuppresses for point maintenance, once each', () => {
    // docs/contracts.md §3 row "point maintenance starts / ends" → suppressed / unsuppressed
    const on = accepted(suppress(factory.alarm(), { ...by, reason: '检修' }));
    expect(on.alarm.suppressed).toBe(true);
    expect(on.events.map((e) => [e.event, e.data])).toEqual([['suppressed', { reason: '检修' }]]);
    expect(suppress(on.alarm, by)).toEqual({ ok: true, alarm: on.alarm, events: [] });
    const off = accepted(unsuppress(on.alarm, by));
    expect(off.alarm.suppressed).toBe(false);
    expect(off.events.map((e) => e.event)).toEqual(['unsuppressed']);
    expect(unsuppress(off.alarm, by)).toEqual({ ok: true, alarm: off.alarm, events: [] });
  });
});

describe(escalate.name, () => {
  it('raises the escalation level, tier unchanged', () => {
    // docs/contracts.md §3 row "unacknowledged past the tier's limit" → escalated: escalationLevel + 1, tier unchanged
    const { alarm, events } = accepted(escalate(factory.alarm({ tier: 'red' }), T0 + 15 * MIN));
    expect(alarm).toMatchObject({ escalationLevel: 1, tier: 'red' });
    expect(events).toEqual([{ event: 'escalated', at: iso(T0 + 15 * MIN), actor: null, data: { level: 1, tier: 'red' } }]);
  });

  it('refuses while shelved, suppressed, acknowledged or closed → 409', () => {
    // docs/contracts.md §3: escalated only when not shelved or suppressed (and unacknowledged)
    expect(escalate(factory.alarm({ shelvedUntil: iso(T0 + MIN) }), T0)).toMatchObject({ kind: 'conflict', code: 'shelved' });
    expect(escalate(factory.alarm({ suppressed: true }), T0)).toMatchObject({ kind: 'conflict', code: 'suppressed' });
    expect(escalate(factory.alarm({ acknowledged: true }), T0)).toMatchObject({ kind: 'conflict', code: 'acknowledged' });
    expect(escalate(factory.alarm({ stage: 'closed' }), T0)).toMatchObject({ kind: 'conflict', code: 'alarm_closed' });
  });
});

describe(notified.name, () => {
  it('records the outcome of a notification attempt', () => {
    // docs/contracts.md §3 row "a notification attempt ends" → notified: channel, recipient, outcome, reason
    const alarm = factory.alarm();
    const result = accepted(notified(alarm, { at: T0, channel: 'sms', recipient: '138****0000', outcome: 'failed', reason: 'quota' }));
    expect(result.alarm).toBe(alarm);
    expect(result.events).toEqual([
      { event: 'notified', at: iso(T0), actor: null, data: { channel: 'sms', recipient: '138****0000', outcome: 'failed', reason: 'quota' } },
    ]);
    expect(notified(alarm, { at: T0, channel: '', recipient: 'x', outcome: 'sent' })).toMatchObject({ kind: 'invalid' });
  });
});

describe(comment.name, () => {
  it('records a comment, even on a closed alarm', () => {
    // docs/contracts.md §3 row POST …/comments {text} → commented (always allowed)
    const { events } = accepted(comment(factory.alarm({ stage: 'closed' }), { ...by, text: '已归档' }));
    expect(events).toEqual([{ event: 'commented', at: iso(T0 + MIN), actor: officer, data: { text: '已归档' } }]);
    expect(comment(factory.alarm(), { ...by, text: ' ' })).toMatchObject({ ok: false, kind: 'invalid' });
  });
});
