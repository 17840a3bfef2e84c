import { ack, applyConditionChange, type AlarmResult, type CommittedEvent } from '@sw/rules';
import { decodeCommittedEvent, parseCommittedEvent } from './committed-event.schema';

const ctx = {
  newAlarmId: '8c1d0000-0000-4000-8000-000000000001', enterpriseId: 'e1', gatewayId: 'g1', pointId: 'p1', pointCode: 'CO-01',
  ruleId: 'p1:threshold', kind: 'threshold' as const, unit: 'ppm', enterpriseName: '测试企业', pointName: '一氧化碳',
};

function committed(result: AlarmResult, seq: number): CommittedEvent {
  if (!result.ok) throw new Error(result.reason);
  const draft = result.events.at(-1)!;
  return { seq, ...draft, alarm: { ...result.alarm, seq }, regionCode: '320505' };
}

// what the lifecycle functions of @sw/rules produce, numbered as AlarmStore numbers them
const factory = {
  raised: (): CommittedEvent => committed(applyConditionChange(null, { kind: 'start', tier: 'orange', value: 180, at: Date.parse('2026-11-28T10:00:00Z'), cause: 'high' }, ctx), 1042),
  acknowledged: (): CommittedEvent => {
    const raised = factory.raised();
    return committed(ack(raised.alarm, { at: Date.parse('2026-11-28T10:03:12Z'), actor: { id: 'u1', username: 'zhang.wei', role: 'regulator' } }), 1043);
  },
};

function without(o: object, key: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([k]) => k !== key));
}

describe(parseCommittedEvent.name, () => {
  it('docs/contracts.md §3: takes events as the alarm lifecycle commits them, through JSON', () => {
    for (const e of [factory.raised(), factory.acknowledged()]) {
      expect(parseCommittedEvent(JSON.parse(JSON.stringify(e)))).toEqual(e);
      expect(decodeCommittedEvent(Buffer.from(JSON.stringify(e)))).toEqual(e);
    }
  });

  it('keeps fields the contract does not name, as they travelled', () => {
    const e = { ...factory.raised(), trace: 'x' };
    expect(parseCommittedEvent(e)).toBe(e);
  });

  it('refuses a seq-only notification, a snapshot without contract fields and unknown names', () => {
    const e = factory.raised();
    expect(parseCommittedEvent({ seq: 7 })).toBeNull();
    expect(parseCommittedEvent({ ...e, alarm: without(e.alarm, 'message') })).toBeNull();
    expect(parseCommittedEvent({ ...e, alarm: { ...e.alarm, gatewayId: null } })).toBeNull();
    expect(parseCommittedEvent({ ...e, alarm: { ...e.alarm, tier: 'purple' } })).toBeNull();
    expect(parseCommittedEvent({ ...e, event: 'exploded' })).toBeNull();
    expect(parseCommittedEvent({ ...e, seq: '1042' })).toBeNull();
    expect(parseCommittedEvent({ ...e, at: 'yesterday' })).toBeNull();
    expect(parseCommittedEvent({ ...e, data: null })).toBeNull();
    expect(parseCommittedEvent(without(e, 'regionCode'))).toBeNull();
  });

  it('refuses what is not JSON', () => {
    expect(decodeCommittedEvent(Buffer.from('not json'))).toBeNull();
    expect(decodeCommittedEvent('null')).toBeNull();
  });
});
