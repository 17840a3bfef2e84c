import { factory } from '../testing/alerting-test.factory';
import { escapeWecomMarkdown, outgoingMessage, recipientLabel, renderMessage, shanghaiTime, wecomLinkTarget } from './notification-message.factory';

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

// issue 18 item 8: enterprise-controlled text must not become links or tags in duty officers' WeCom groups
describe(escapeWecomMarkdown.name, () => {
  it('makes a markdown link inert', () => {
    const sut = escapeWecomMarkdown('某公司[点此处理](http://evil.example/x)');
    expect(sut).toBe('某公司［点此处理］（http：//evil.example/x）');
    expect(sut).not.toMatch(/\[|\]|\(|\)|:\/\//);
  });

  it('makes <font> and other tags, headings, quotes, emphasis and code inert', () => {
    const sut = escapeWecomMarkdown('<font color="warning">已处理</font> # **紧急** > `x` ~~y~~ _z_ ![i](u)');
    expect(sut).not.toMatch(/[<>#*`~_![\]()]/);
    expect(sut).toContain('＜font color="warning"＞已处理＜/font＞');
  });

  it('keeps one-line fields on one line (no new heading or quote line) and keeps the body\'s lines', () => {
    expect(escapeWecomMarkdown('公司\n# 假标题\r\n> 引用')).toBe('公司 ＃ 假标题 ＞ 引用');
    expect(escapeWecomMarkdown('点位：A\n当前值：1', true)).toBe('点位：A\n当前值：1');
  });

  it('leaves ordinary Chinese text alone', () => {
    expect(escapeWecomMarkdown('某铝业有限公司（熔炼车间）')).toBe('某铝业有限公司（熔炼车间）');
  });
});

describe(wecomLinkTarget.name, () => {
  it('encodes what could close or break the link target', () => {
    expect(wecomLinkTarget('https://console.example/#/alarms/1) [x](http://evil')).toBe('https://console.example/#/alarms/1%29%20%5Bx%5D%28http://evil');
    expect(wecomLinkTarget('https://console.example/#/alarms/5f0c')).toBe('https://console.example/#/alarms/5f0c');
  });
});

describe(outgoingMessage.name, () => {
  it('sends a row\'s own text, with its dedup key as the idempotency key', () => {
    const row = factory.outboxRow();
    expect(outgoingMessage(row, [], 'https://console.example/')).toEqual({
      to: row.address,
      title: row.title,
      body: row.body,
      params: row.address.params,
      link: row.address.link,
      idempotencyKey: row.dedup_key,
    });
  });

  it('puts the rows that waited for the rate limit under one digest title', () => {
    const m = outgoingMessage(factory.outboxRow({ title: 'A', body: 'a' }), [factory.outboxRow({ title: 'B', body: 'b' }), factory.outboxRow({ title: 'C', body: 'c' })], '');
    expect(m.title).toBe('【报警摘要】A（另有2条）');
    expect(m.body).toBe('a\n—— B\nb\n—— C\nc');
  });

  it('completes a hazard notice\'s console path with the console base URL', () => {
    const row = factory.outboxRow({ address: { ...factory.outboxRow().address, link: '/#/hazards/h1' } });
    expect(outgoingMessage(row, [], 'https://console.example//').link).toBe('https://console.example/#/hazards/h1');
  });
});

describe(recipientLabel.name, () => {
  it('names the role and the person, never the number (the timeline is widely readable)', () => {
    expect(recipientLabel(factory.outboxRow())).toBe('principal 负责人1');
    expect(recipientLabel(factory.outboxRow({ address: { ...factory.outboxRow().address, name: '' } }))).toBe('principal');
  });
});
