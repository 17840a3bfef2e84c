import { alarmMessage, type AlarmMessageInput } from './alarm-message.factory';

const input = (over: Partial<AlarmMessageInput> = {}): AlarmMessageInput => ({
  enterpriseName: '某铝业有限公司',
  pointName: '冷却水流量',
  pointCode: 'FT-01',
  kind: 'rate',
  tier: 'red',
  value: 65.12345,
  unit: 'm3/h',
  cause: 'drop',
  ...over,
});

describe(alarmMessage.name, () => {
  const sut = alarmMessage;

  it('names the enterprise, point, tier, kind and value with its unit', () => {
    // docs/contracts.md §3: message — human-readable, Chinese; issue 14: tiers written 红色（一级） … 蓝色（四级）
    expect(sut(input())).toBe('【红色（一级）报警】某铝业有限公司 冷却水流量 FT-01 突变报警（突降），当前值 65.123 m3/h');
  });

  it('leaves the value out when there is none', () => {
    // docs/domain.md: offline — no reading
    expect(sut(input({ kind: 'offline', tier: 'yellow', value: null, cause: 'no_data', pointCode: null }))).toBe(
      '【黄色（三级）报警】某铝业有限公司 冷却水流量 离线报警（超时无数据）',
    );
  });

  it('writes every tier and kind in Chinese', () => {
    // docs/contracts.md §3: blue 四级; kinds threshold, rate, offline, fault, combined
    expect(sut(input({ tier: 'blue', kind: 'combined', cause: undefined, value: 1, unit: '' }))).toBe(
      '【蓝色（四级）报警】某铝业有限公司 冷却水流量 FT-01 组合条件报警，当前值 1',
    );
    expect(sut(input({ tier: 'orange', kind: 'fault', cause: 'stuck' }))).toContain('橙色（二级）报警');
  });
});
