import { factory } from '../testing/alerting-test.factory';
import { renderMessage, shanghaiTime } from './notification-message.factory';

describe(renderMessage.name, () => {
  const ctx = { enterpriseName: '某铝业有限公司', pointName: '联锁旁路', pointLocation: '熔炼车间', consoleBaseUrl: 'https://console.example/' };

  it('says enterprise, point and location, value and unit, tier, Shanghai time and links the console (issue 4)', () => {
    const alarm = factory.alarm({ tier: 'red', value: 12.5, unit: 'm', pointCode: 'IL-01' });
    const m = renderMessage(alarm, 'raised', '2026-11-28T12:00:00.000Z', ctx);
    expect(m.title).toBe('【红色（一级）报警】某铝业有限公司');
    expect(m.body).toContain('监测点：联锁旁路 IL-01（熔炼车间）');
    expect(m.body).toContain('当前值：12.5 m');
    expect(m.body).toContain('级别：红色（一级）');
    expect(m.body).toContain('时间：2026-11-28 20:00:00');
    expect(m.link).toBe(`https://console.example/#/alarms/${alarm.id}`);
    expect(m.params).toEqual({ enterprise: '某铝业有限公司', point: '联锁旁路 IL-01（熔炼车间）', value: '12.5 m', tier: '红色（一级）', time: '2026-11-28 20:00:00' });
  });

  it('names escalations and repeats, and an alarm without a value', () => {
    const alarm = factory.alarm({ tier: 'orange', value: null });
    expect(renderMessage(alarm, 'escalated', alarm.raisedAt, ctx).title).toBe('【橙色（二级）未确认升级通知】某铝业有限公司');
    expect(renderMessage(alarm, 'repeat', alarm.raisedAt, ctx).title).toContain('未确认重复提醒');
    expect(renderMessage(alarm, 'raised', alarm.raisedAt, ctx).params['value']).toBe('—');
  });

  it('formats time in Asia/Shanghai', () => {
    expect(shanghaiTime('2026-12-31T16:30:05Z')).toBe('2027-01-01 00:30:05');
  });
});
