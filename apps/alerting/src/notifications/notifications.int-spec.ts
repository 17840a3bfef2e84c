/**
 * Notifications end to end inside alerting, against real PostgreSQL and Mosquitto and the local
 * vendor servers of `@sw/testing` (which verify Aliyun's and Tencent's request signatures).
 * Time scale 300: red repeats every 10 min → 2 s, escalates after 15 min → 3 s.
 */
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { AlarmStore, type CommittedEvent } from '@sw/persistence';
import { ack, type AlarmSnapshot } from '@sw/rules';
import { AliyunSmsServer, holdFor, TencentSmsServer, TestServices, testUscc, vendorEnv, waitFor, WechatMpServer, WecomServer } from '@sw/testing';
import type { DataSource } from 'typeorm';
import { AlarmTrackerService } from '../alarms/alarm-tracker.service';
import { EvaluationService } from '../pipeline/evaluation.service';
import { connectInternalBus, openDataSource, startAlertingHarness } from '../testing/alerting-harness.factory';
import { type InternalBus, seedGateway, seedPoint, type SeededGateway } from '../testing/internal-bus.factory';

const SCALE = 300;
const RECEIPT_TOKEN = 'receipt-token-for-tests-0123456789';
const OPERATOR = { id: '00000000-0000-4000-8000-00000000aaaa', username: 'duty', role: 'regulator' };

describe('notifications: outbox, providers, escalation, fallback, receipts', () => {
  let services: TestServices;
  let ds: DataSource;
  let store: AlarmStore;
  let app: INestApplication;
  let bus: InternalBus;
  let alertingUrl: string;
  const aliyun = new AliyunSmsServer();
  const tencent = new TencentSmsServer();
  const wechat = new WechatMpServer();
  const wecom = new WecomServer(['robot-a', 'robot-b']);

  /** An enterprise with its two contacts; the duty officers of 320505 and 3205 are shared. */
  const enterprise = async (n: number, code: string): Promise<SeededGateway> => {
    const gw = await seedGateway(ds, testUscc(800 + n), code);
    await ds.query(
      `INSERT INTO enterprise_contacts (enterprise_id, role, name, phone, wecom_key, wechat_openid) VALUES
         ($1, 'safety_officer', '安全员${n}', '1390000${String(n).padStart(4, '0')}', 'robot-a', 'open-safety-${n}'),
         ($1, 'principal', '负责人${n}', '1380000${String(n).padStart(4, '0')}', NULL, 'open-principal-${n}')`,
      [gw.enterpriseId],
    );
    return gw;
  };
  const point = async (gw: SeededGateway, code: string, type: string): Promise<string> => {
    const id = await seedPoint(ds, gw, { code, type, location: '一号车间' });
    await waitFor(() => Boolean(app.get(EvaluationService).slot(id)), { what: `alerting to evaluate ${code}`, timeoutMs: 5_000, intervalMs: 20 });
    return id;
  };
  /** Outbox rows of an alarm not delivered yet (written with its transitions, so none means nothing is on its way). */
  const pendingOf = async (alarmId: string): Promise<number> =>
    ((await ds.query(`SELECT count(*)::int AS n FROM notification_outbox WHERE alarm_id = $1 AND status = 'pending'`, [alarmId])) as [{ n: number }])[0].n;
  const raised = async (pointId: string): Promise<CommittedEvent> => {
    let found: CommittedEvent | undefined;
    await waitFor(() => Boolean((found = bus.of(pointId, 'raised')[0])), { what: 'raised', timeoutMs: 5_000, intervalMs: 10 });
    return found as CommittedEvent;
  };
  const notifiedOf = async (alarmId: string) => (await store.events(alarmId)).filter((e) => e.event === 'notified').map((e) => e.data);
  const smsTo = (phone: string) => [...aliyun.deliveries, ...tencent.deliveries].filter((d) => d.to.endsWith(phone));

  beforeAll(async () => {
    await Promise.all([aliyun.start(), tencent.start(), wechat.start(), wecom.start()]);
    services = await TestServices.start('notifications', { mosquitto: true });
    ds = await openDataSource(services, 5);
    store = new AlarmStore(ds);
    await ds.query(`INSERT INTO duty_officers (region_code, position, name, phone) VALUES ('320505', 0, '区值班员', '13700000001'), ('3205', 0, '市值班员', '13600000001')`);
    app = await startAlertingHarness(services, {
      ALERTING_MQTT_CLIENT_ID: 'alerting-notifications-spec',
      ALERTING_TIME_SCALE: String(SCALE),
      ALERTING_STATE_FLUSH_MS: '100',
      CONSOLE_BASE_URL: 'http://console.test',
      NOTIFY_POLL_MS: '50',
      NOTIFY_BACKOFF_MS: '100',
      NOTIFY_RATE_LIMIT: '4',
      NOTIFY_RATE_WINDOW_S: '3',
      SMS_RECEIPT_TOKEN: RECEIPT_TOKEN,
      METRICS_TOKEN: 'metrics-token-for-tests-0123456789',
      SMS_RECEIPT_ALLOWED_CIDRS: '127.0.0.1/32, ::1/128',
      ...vendorEnv({ aliyun, tencent, wechat, wecom }),
    });
    alertingUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    bus = await connectInternalBus(services);
  });

  afterAll(async () => {
    await services?.stop();
    await Promise.all([aliyun.stop(), tencent.stop(), wechat.stop(), wecom.stop()]);
  });

  it('a red alarm: SMS and WeChat to the right people within 2 s; repeats, escalates to the city, and an ack stops it', async () => {
    const gw = await enterprise(1, 'NOTIFY-GW1');
    const bypass = await point(gw, 'IL-01', 'interlock_bypassed');
    const sentAt = Date.now();
    await bus.readings(gw, { pointId: bypass, value: 1 });
    const r = await raised(bypass);
    expect(r.alarm.tier).toBe('red');
    // docs/domain.md red: SMS + WeChat to safety officer and principal, SMS to the district duty officer
    await waitFor(() => smsTo('13900000001').length === 1 && smsTo('13800000001').length === 1 && smsTo('13700000001').length === 1, { what: 'three SMS', timeoutMs: 2_000, intervalMs: 10 });
    await waitFor(() => ['open-safety-1', 'open-principal-1'].every((o) => wechat.deliveries.some((d) => d.to === o)), { what: 'two WeChat messages', timeoutMs: 2_000, intervalMs: 10 });
    const latency = Math.max(...[...aliyun.deliveries, ...wechat.deliveries].map((d) => d.at)) - sentAt;
    expect(latency).toBeLessThan(2_000);
    process.stdout.write(`red alarm: last of 5 messages ${latency} ms after the reading\n`);
    expect(smsTo('13600000001')).toHaveLength(0); // the city duty officer only on escalation

    const sms = aliyun.deliveries.find((d) => d.to === '13900000001');
    expect(JSON.parse(String(sms?.payload['TemplateParam']))).toMatchObject({ enterprise: '企业NOTIFY-GW1', point: 'IL-01 IL-01（一号车间）', value: '1', tier: '红色（一级）' });
    const mp = wechat.deliveries.find((d) => d.to === 'open-safety-1')?.payload as { url: string; data: Record<string, { value: string }> };
    expect(mp.url).toBe(`http://console.test/#/alarms/${r.alarm.id}`);
    expect(mp.data['first']?.value).toContain('【红色（一级）报警】企业NOTIFY-GW1');
    expect(mp.data['time']?.value).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);

    await waitFor(async () => (await notifiedOf(r.alarm.id)).length >= 5, { what: 'five notified events', timeoutMs: 2_000, intervalMs: 20 });
    const timeline = await notifiedOf(r.alarm.id);
    expect(timeline).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ channel: 'aliyun-sms', recipient: 'safety_officer 安全员1', outcome: 'sent' }),
        expect.objectContaining({ channel: 'wechat-mp', recipient: 'principal 负责人1', outcome: 'sent' }),
        expect.objectContaining({ channel: 'aliyun-sms', recipient: expect.stringContaining('district_duty_officer'), outcome: 'sent' }),
      ]),
    );
    expect(bus.of(bypass, 'notified').length).toBeGreaterThanOrEqual(1); // on the live feed

    // unacknowledged: a repeat after 10 min (2 s) to everyone so far, the city after 15 min (3 s)
    await waitFor(() => smsTo('13600000001').length === 1, { what: 'the city duty officer', timeoutMs: 5_000, intervalMs: 20 });
    expect(smsTo('13900000001').length).toBeGreaterThanOrEqual(2);
    const escalated = bus.of(bypass, 'escalated')[0];
    expect(escalated?.alarm.escalationLevel).toBe(1);

    const outcome = await store.transition({ id: r.alarm.id }, '320505', (a) => ack(a as AlarmSnapshot, { at: Date.now(), actor: OPERATOR }));
    if (!outcome.ok) throw new Error(outcome.reason);
    await bus.announce(outcome.events);
    // the signal: alerting has the acknowledged snapshot, and what was queued before it is delivered
    await waitFor(async () => app.get(AlarmTrackerService).get(r.alarm.id)?.acknowledged === true && (await pendingOf(r.alarm.id)) === 0, {
      what: 'alerting to follow the ack, and the queue of the alarm to drain', timeoutMs: 5_000, intervalMs: 20,
    });
    const afterAck = smsTo('13900000001').length;
    await holdFor(2_500, 'quiet window past the next repeat (4 s): an acknowledged alarm is not repeated');
    expect(smsTo('13900000001').length).toBe(afterAck);
  });

  it('a provider answering errors is retried with backoff, then the fallback provider is used', async () => {
    const gw = await enterprise(2, 'NOTIFY-GW2');
    aliyun.failNext(1000);
    wechat.failNext(1000);
    const bypass = await point(gw, 'IL-02', 'interlock_bypassed');
    await bus.readings(gw, { pointId: bypass, value: 1 });
    const r = await raised(bypass);
    await waitFor(() => tencent.deliveries.some((d) => d.to === '+8613900000002'), { what: 'SMS through Tencent', timeoutMs: 5_000, intervalMs: 20 });
    await waitFor(() => wecom.messages.some((m) => m.content.includes('企业NOTIFY-GW2')), { what: 'WeChat through the WeCom robot', timeoutMs: 5_000, intervalMs: 20 });
    aliyun.failNext(0);
    wechat.failNext(0);
    await waitFor(async () => (await notifiedOf(r.alarm.id)).some((d) => d['channel'] === 'tencent-sms' && d['outcome'] === 'sent' && d['recipient'] === 'safety_officer 安全员2'), { what: 'the Tencent outcome', timeoutMs: 2_000, intervalMs: 20 });
    const safety = (await notifiedOf(r.alarm.id)).filter((d) => d['recipient'] === 'safety_officer 安全员2' && String(d['reason']).includes(':sms'));
    // three attempts on Aliyun (the last falls back), then Tencent
    expect(safety.map((d) => `${d['channel']} ${d['outcome']}`)).toEqual(['aliyun-sms failed', 'aliyun-sms failed', 'aliyun-sms failed', 'tencent-sms sent']);
    expect(String(safety[0]?.['reason'])).toContain('ServiceUnavailable');
    expect(String(safety[0]?.['reason'])).toContain('retry in 0.1 s');
    expect(String(safety[2]?.['reason'])).toContain('falling back to tencent-sms');
  });

  it('rate-limits per recipient: over 4 messages in the window, the rest go out as one digest', async () => {
    const gw = await enterprise(3, 'NOTIFY-GW3');
    const points: string[] = [];
    // orange (docs/domain.md: SMS + WeChat to the safety officer, no repeats): six alarms at once
    for (let i = 0; i < 6; i++) points.push(await point(gw, `SP-3${i}`, 'spark_detected'));
    await bus.readings(gw, ...points.map((pointId) => ({ pointId, value: 1 })));
    await waitFor(() => smsTo('13900000003').length === 4, { what: 'four SMS at once', timeoutMs: 3_000, intervalMs: 20 });
    await waitFor(() => smsTo('13900000003').length === 5, { what: 'the digest', timeoutMs: 6_000, intervalMs: 50 });
    const digest = smsTo('13900000003')[4];
    expect(JSON.parse(String(digest?.payload['TemplateParam']))).toMatchObject({ enterprise: '企业NOTIFY-GW3' });
    const rowsOf = async () => (await ds.query(`SELECT status, digest FROM notification_outbox WHERE address->>'to' = '13900000003' AND channel = 'sms' ORDER BY id`)) as { status: string; digest: boolean }[];
    await waitFor(async () => (await rowsOf()).every((r) => r.status === 'sent'), { what: 'all six recorded', timeoutMs: 2_000, intervalMs: 20 });
    const rows = await rowsOf();
    expect(rows).toHaveLength(6);
    expect(rows.filter((r) => r.digest)).toHaveLength(2);
    await holdFor(500, 'quiet window: a message sent past the digest would arrive meanwhile');
    expect(smsTo('13900000003')).toHaveLength(5);
  });

  it('records Aliyun delivery receipts as delivered, once per message however often they are pushed', async () => {
    const keys = aliyun.deliveries.filter((d) => d.to === '13800000001').map((d) => d.key);
    expect(keys.length).toBeGreaterThan(0);
    const url = `${alertingUrl}/notifications/receipts/aliyun/${RECEIPT_TOKEN}`;
    expect(await aliyun.pushReceipts(url, keys)).toBe(200);
    expect(await aliyun.pushReceipts(url, keys)).toBe(200); // Aliyun retries pushes: not idempotent
    const alarmId = keys[0]?.split(':')[0] as string;
    const delivered = (await notifiedOf(alarmId)).filter((d) => d['outcome'] === 'delivered');
    expect(delivered).toHaveLength(keys.length);
    expect(delivered[0]).toMatchObject({ channel: 'aliyun-sms', recipient: 'principal 负责人1' });
  });

  // issue 18 item 8: the receipts endpoint accepted anyone's receipts (forged `delivered` on a timeline)
  it('refuses receipts without the callback URL\'s token, and records nothing from them', async () => {
    const keys = aliyun.deliveries.filter((d) => d.to === '13900000001').map((d) => d.key);
    expect(keys.length).toBeGreaterThan(0);
    const alarmId = keys[0]?.split(':')[0] as string;
    const before = (await notifiedOf(alarmId)).filter((d) => d['outcome'] === 'delivered').length;
    expect(await aliyun.pushReceipts(`${alertingUrl}/notifications/receipts/aliyun`, keys)).toBe(404);
    expect(await aliyun.pushReceipts(`${alertingUrl}/notifications/receipts/aliyun/wrong-token-0123456789abcdef`, keys)).toBe(403);
    expect(await aliyun.pushReceipts(`${alertingUrl}/notifications/receipts/aliyun/${RECEIPT_TOKEN.slice(0, -1)}`, keys)).toBe(403);
    const rows: { delivered_at: Date | null }[] = await ds.query(`SELECT delivered_at FROM notification_outbox WHERE dedup_key = ANY($1)`, [keys]);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.delivered_at === null)).toBe(true);
    expect((await notifiedOf(alarmId)).filter((d) => d['outcome'] === 'delivered')).toHaveLength(before);
  });

  // issue 18 item 8: /metrics and /health's details (error texts) were public
  it('serves /metrics and the details of /health only with the METRICS_TOKEN bearer token', async () => {
    expect((await fetch(`${alertingUrl}/metrics`)).status).toBe(401);
    const scraped = await fetch(`${alertingUrl}/metrics`, { headers: { authorization: 'Bearer metrics-token-for-tests-0123456789' } });
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain('alerting_');
    expect(await (await fetch(`${alertingUrl}/health`)).json()).toEqual({ status: expect.any(String) });
    const detailed = (await (await fetch(`${alertingUrl}/health`, { headers: { authorization: 'Bearer metrics-token-for-tests-0123456789' } })).json()) as Record<string, unknown>;
    expect(detailed).toMatchObject({ checks: { postgres: { status: 'up' } }, partitions: expect.any(Object) });
  });

  it('routes by the policy stored for the region (data), over the docs/domain.md defaults', async () => {
    // default yellow: WeChat to the safety officer; 3205 says: SMS to the principal instead
    await ds.query(`INSERT INTO notification_policies (region_code, policy) VALUES ('3205', $1)`, [JSON.stringify({ yellow: { notify: [{ recipient: 'principal', channels: ['sms'] }] } })]);
    const gw = await enterprise(4, 'NOTIFY-GW4');
    const co = await point(gw, 'CO-41', 'co');
    await bus.readings(gw, { pointId: co, value: 30 });
    const yellow = await raised(co);
    expect(yellow.alarm.tier).toBe('yellow');
    await waitFor(() => smsTo('13800000004').length === 1, { what: 'SMS to the principal', timeoutMs: 3_000, intervalMs: 20 });
    // the signal: every outbox row of the alarm (all written with the raise) is delivered
    await waitFor(async () => (await pendingOf(yellow.alarm.id)) === 0, { what: 'the outbox of the alarm to drain', timeoutMs: 3_000, intervalMs: 20 });
    expect(wechat.deliveries.filter((d) => d.to === 'open-safety-4')).toHaveLength(0);
    expect(smsTo('13900000004')).toHaveLength(0);
  });
});
