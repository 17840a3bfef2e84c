/**
 * The provider adapters against the local vendor servers of `@sw/testing`, which check requests
 * the way the vendors do (Aliyun ACS3-HMAC-SHA256, Tencent TC3-HMAC-SHA256, WeCom robot keys,
 * WeChat access tokens).
 */
import { AliyunSmsServer, TencentSmsServer, WechatMpServer, WecomServer } from '@sw/testing';
import { AliyunSmsProvider, sendDates } from './aliyun-sms.provider';
import type { OutgoingMessage } from './notification-provider.types';
import { TencentSmsProvider } from './tencent-sms.provider';
import { WechatMpProvider } from './wechat-mp.provider';
import { WecomProvider } from './wecom.provider';

const message = (key: string): OutgoingMessage => ({
  to: { name: '张三', phone: '13800138000', wecomKey: 'wecom-robot-key', wechatOpenid: 'o-openid-1' },
  title: '【红色（一级）报警】测试企业',
  body: '储罐区 液位 LT-101：12.5 m',
  params: { enterprise: '测试企业', point: 'LT-101', value: '12.5 m', tier: '红色（一级）', time: '2026-11-28 20:00:00' },
  link: 'http://console.local/#/alarms/1',
  idempotencyKey: key,
});

describe('notification providers against the local vendor servers', () => {
  const aliyun = new AliyunSmsServer();
  const tencent = new TencentSmsServer();
  const wecom = new WecomServer();
  const wechat = new WechatMpServer();

  beforeAll(async () => {
    await Promise.all([aliyun.start(), tencent.start(), wecom.start(), wechat.start()]);
  });
  afterAll(async () => {
    await Promise.all([aliyun.stop(), tencent.stop(), wecom.stop(), wechat.stop()]);
  });

  const aliyunWith = (secret: string) =>
    new AliyunSmsProvider({ endpoint: aliyun.endpoint, protocol: 'http', accessKeyId: aliyun.accessKeyId, accessKeySecret: secret, signName: '安全监测', templateCode: 'SMS_1' });
  const tencentWith = (secret: string) =>
    new TencentSmsProvider({ endpoint: tencent.endpoint, protocol: 'http', secretId: tencent.secretId, secretKey: secret, region: 'ap-guangzhou', sdkAppId: '1400000000', signName: '安全监测', templateId: '100001' });

  it('Aliyun: the SDK\'s ACS3-HMAC-SHA256 request passes, a wrongly signed one is refused with SignatureDoesNotMatch', async () => {
    const ok = await aliyunWith(aliyun.accessKeySecret).send(message('a-1'));
    expect(ok).toMatchObject({ ok: true });
    const bad = await aliyunWith('not-the-secret').send(message('a-2'));
    expect(bad).toMatchObject({ ok: false, retryable: false });
    expect(bad.ok ? '' : bad.reason).toContain('SignatureDoesNotMatch');
    expect(aliyun.rejected).toBe(1);
    expect(aliyun.deliveries.map((d) => d.key)).toEqual(['a-1']);
    expect(aliyun.deliveries[0]?.payload).toMatchObject({ PhoneNumbers: '13800138000', SignName: '安全监测', TemplateCode: 'SMS_1', OutId: 'a-1' });
  });

  it('Aliyun: findSent looks the OutId up with the signed QuerySendDetails, a page of 50 at a time', async () => {
    const provider = aliyunWith(aliyun.accessKeySecret);
    const since = new Date(Date.now() - 60_000);
    // 120 messages to the number after the one looked for: it is on the third page
    expect(await provider.send(message('q-1'))).toMatchObject({ ok: true });
    for (let i = 0; i < 120; i++) await provider.send(message(`q-after-${i}`));
    expect(await provider.findSent(message('q-1'), since)).toMatchObject({ sent: true });
    expect(await provider.findSent(message('q-never'), since)).toEqual({ sent: false });
    // another number's messages are not this one's
    expect(await provider.findSent({ ...message('q-1'), to: { ...message('').to, phone: '13900139000' } }, since)).toEqual({ sent: false });
    // a failing lookup says so (the row is then sent again: at least once)
    aliyun.failNext(1);
    expect(await provider.findSent(message('q-1'), since)).toMatchObject({ sent: null });
    expect(await aliyunWith('not-the-secret').findSent(message('q-1'), since)).toMatchObject({ sent: null });
    expect(aliyun.requestsFor('q-1')).toBe(1); // lookups are not sends
  });

  it('Aliyun: the send dates of a lookup are China dates, newest first, at most 3', () => {
    const at = (iso: string) => new Date(iso);
    expect(sendDates(at('2026-12-04T15:59:00Z'), at('2026-12-04T16:01:00Z'))).toEqual(['20261205', '20261204']); // midnight in Beijing is 16:00 UTC
    expect(sendDates(at('2026-12-05T01:00:00Z'), at('2026-12-05T02:00:00Z'))).toEqual(['20261205']);
    expect(sendDates(at('2026-11-01T00:00:00Z'), at('2026-12-05T02:00:00Z'))).toEqual(['20261205', '20261204', '20261203']);
  });

  it('Tencent: the SDK\'s TC3-HMAC-SHA256 request passes, a wrongly signed one is refused with AuthFailure.SignatureFailure', async () => {
    const ok = await tencentWith(tencent.secretKey).send(message('t-1'));
    expect(ok).toMatchObject({ ok: true });
    const bad = await tencentWith('not-the-secret').send(message('t-2'));
    expect(bad).toMatchObject({ ok: false, retryable: false });
    expect(bad.ok ? '' : bad.reason).toContain('AuthFailure.SignatureFailure');
    expect(tencent.rejected).toBe(1);
    expect(tencent.deliveries[0]?.payload).toMatchObject({ PhoneNumberSet: ['+8613800138000'], SessionContext: 't-1', TemplateParamSet: ['测试企业', 'LT-101', '12.5 m', '红色（一级）', '2026-11-28 20:00:00'] });
  });

  it('a vendor error is retryable; the SMS servers answer in their vendor\'s error shape', async () => {
    aliyun.failNext(1);
    tencent.failNext(1);
    expect(await aliyunWith(aliyun.accessKeySecret).send(message('a-3'))).toMatchObject({ ok: false, retryable: true });
    expect(await tencentWith(tencent.secretKey).send(message('t-3'))).toMatchObject({ ok: false, retryable: true });
  });

  it('WeCom: markdown to the robot, at most 20 a minute per robot', async () => {
    const provider = new WecomProvider(wecom.url);
    for (let i = 0; i < 20; i++) expect(await provider.send(message(`w-${i}`))).toMatchObject({ ok: true });
    const limited = await provider.send(message('w-20'));
    expect(limited).toMatchObject({ ok: false, retryable: true });
    expect(limited.ok ? 0 : limited.retryAfterMs).toBeGreaterThan(0);
    expect(wecom.messages).toHaveLength(20);
    expect(wecom.messages[0]?.content).toContain('【红色（一级）报警】');
    expect(await new WecomProvider(wecom.url).send({ ...message('w-x'), to: { ...message('').to, wecomKey: 'wrong' } })).toMatchObject({ ok: false, retryable: false });
  });

  // issue 18 item 8: link and tag injection through enterprise-controlled text into duty groups
  it('WeCom: user-controlled title, body and name reach the robot inert; only our console link is a link', async () => {
    const robot = new WecomServer(['robot-escape']);
    await robot.start();
    try {
      const m = message('w-escape');
      const evil: OutgoingMessage = {
        ...m,
        to: { ...m.to, wecomKey: 'robot-escape', name: '</font>[点我](http://evil.example)' },
        title: '【一级/红色报警】[x](http://evil.example)',
        body: '点位：<font color="info">已处理</font>\n# 假标题',
      };
      expect(await new WecomProvider(robot.url).send(evil)).toMatchObject({ ok: true });
      const content = robot.messages[0]?.content ?? '';
      expect(content.match(/\]\(/g)).toHaveLength(1); // the one link: 查看报警
      expect(content).toContain('[查看报警](http://console.local/#/alarms/1)');
      expect(content).not.toContain('http://evil');
      expect(content.match(/<font/g)).toHaveLength(1); // our own @name colour
      expect(content.split('\n').filter((l) => l.startsWith('#'))).toHaveLength(1); // our own title
    } finally {
      await robot.stop();
    }
  });

  it('WeChat: the token is fetched once, cached, and refreshed after 40001; client_msg_id dedups', async () => {
    const provider = new WechatMpProvider({ baseUrl: wechat.url, appId: wechat.appId, appSecret: wechat.appSecret, templateId: 'tpl-1' });
    expect(await provider.send(message('m-1'))).toMatchObject({ ok: true });
    expect(await provider.send(message('m-2'))).toMatchObject({ ok: true });
    expect(wechat.tokenRequests).toBe(1);
    wechat.expireTokens();
    expect(await provider.send(message('m-3'))).toMatchObject({ ok: true });
    expect(wechat.tokenRequests).toBe(2);
    expect(await provider.send(message('m-3'))).toMatchObject({ ok: true });
    expect(wechat.deliveries.map((d) => d.key)).toEqual(['m-1', 'm-2', 'm-3']);
    expect(wechat.requestsFor('m-3')).toBe(2);
    const wrong = new WechatMpProvider({ baseUrl: wechat.url, appId: wechat.appId, appSecret: 'wrong', templateId: 'tpl-1' });
    expect(await wrong.send(message('m-4'))).toMatchObject({ ok: false });
  });
});
