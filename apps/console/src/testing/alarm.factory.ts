// Factories for unit specs (docs/style.md: factories, not fixtures).
import type { AlarmEventName } from '@sw/rules';
import type { Alarm, AlarmFrame, Enterprise } from '../api/api.types';

let n = 0;

export const factory = {
  alarm(over: Partial<Alarm> = {}): Alarm {
    n += 1;
    return {
      id: `alarm-${n}`,
      seq: n,
      enterpriseId: 'ent-1',
      gatewayId: 'gw-1',
      pointId: 'pt-1',
      pointCode: 'CO-01',
      ruleId: 'pt-1:threshold',
      kind: 'threshold',
      tier: 'yellow',
      peakTier: 'yellow',
      value: 30,
      peakValue: 30,
      unit: 'ppm',
      condition: 'active',
      acknowledged: false,
      stage: 'open',
      shelvedUntil: null,
      suppressed: false,
      escalationLevel: 0,
      raisedAt: new Date(Date.UTC(2026, 10, 28, 10, 0, n)).toISOString(),
      clearedAt: null,
      ackedAt: null,
      disposedAt: null,
      closedAt: null,
      message: '一氧化碳浓度高于上限',
      escalationStartedAt: new Date(Date.UTC(2026, 10, 28, 10, 0, n)).toISOString(),
      ...over,
    };
  },
  frame(event: AlarmEventName, alarm: Alarm, seq = alarm.seq): AlarmFrame {
    return { type: 'alarm', seq, event, at: alarm.raisedAt, actor: null, data: {}, alarm: { ...alarm, seq } };
  },
  enterprise(over: Partial<Enterprise> = {}): Enterprise {
    return { id: 'ent-1', name: '测试钢铁', uscc: '91110108551385082Q', regionCode: '320505', riskCategories: ['steel'], status: 'operating', ...over };
  },
};
