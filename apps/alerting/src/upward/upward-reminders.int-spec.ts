/**
 * Upward-reporting reminders end to end (docs/domain.md "The closed loop", Upward): real PostgreSQL
 * (own database) and Mosquitto (own port), alerting in-process with a test clock (FakeTimerDriver)
 * driving the sweep, the outbox delivered to the local SMS and WeChat vendor servers of
 * `@sw/testing`. Each region's duty officers are reminded once per due day, 10 days before it.
 */
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { UpwardRemindersRepository } from '@sw/persistence';
import { AliyunSmsServer, FakeTimerDriver, TencentSmsServer, TestServices, vendorEnv, waitFor, WechatMpServer } from '@sw/testing';
import type { DataSource } from 'typeorm';
import { wechatMsgId } from '../notifications/providers/wechat-mp.provider';
import { openDataSource, startAlertingHarness } from '../testing/alerting-harness.factory';
import { UPWARD_REMINDER_LOCK, UpwardReminderService } from './upward-reminder.service';

const HOUR = 3_600_000;
const sh = (local: string) => Date.parse(`${local}+08:00`); // an Asia/Shanghai wall-clock time

describe('upward reminders: once per region and due day through the outbox', () => {
  let services: TestServices;
  let ds: DataSource;
  let app: INestApplication;
  let driver: FakeTimerDriver;
  const aliyun = new AliyunSmsServer();
  const tencent = new TencentSmsServer();
  const wechat = new WechatMpServer();
  const T0 = sh('2026-05-20T09:00:00'); // 15 days before 4 June: outside the window

  const rows = async () =>
    (await ds.query(`SELECT dedup_key, status FROM notification_outbox WHERE kind = 'upward_reminder' ORDER BY dedup_key`)) as { dedup_key: string; status: string }[];
  const sweepAt = async (t: number) => {
    const sut = app.get(UpwardReminderService);
    const before = sut.sweeps;
    driver.advanceTo(t);
    await waitFor(() => sut.sweeps > before, { what: 'a reminder sweep', timeoutMs: 5_000, intervalMs: 10 });
  };

  beforeAll(async () => {
    await Promise.all([aliyun.start(), tencent.start(), wechat.start()]);
    services = await TestServices.start('upward_reminders', { mosquitto: true });
    ds = await openDataSource(services, 5);
    await ds.query(
      `INSERT INTO duty_officers (region_code, position, name, phone, wechat_openid) VALUES
         ('320505', 0, '虎丘值班员甲', '13700000101', 'open-duty-a'), ('320505', 1, '虎丘值班员乙', '13700000102', NULL), ('320506', 0, '吴中值班员', '13700000201', 'open-duty-c')`,
    );
    driver = new FakeTimerDriver(T0);
    const env = {
      ALERTING_MQTT_CLIENT_ID: 'alerting-upward-reminders-spec',
      CONSOLE_BASE_URL: 'http://console.test',
      NOTIFY_POLL_MS: '50',
      UPWARD_REMINDER_INTERVAL_MS: String(HOUR),
      ...vendorEnv({ aliyun, tencent, wechat }),
    };
    app = await startAlertingHarness(services, env, { timerDriver: driver });
  });

  afterAll(async () => {
    await services?.stop();
    await Promise.all([aliyun.stop(), tencent.stop(), wechat.stop()]);
  });

  // docs/domain.md "The policy behind it": due 4 June and 4 December; reminded 10 days before
  it('reminds every region with duty officers once when the window opens, by SMS and WeChat, and never again for that due day', async () => {
    await sweepAt(T0 + 1); // the boot sweep may already have run; this one is surely after it
    expect(await rows()).toHaveLength(0);

    await sweepAt(sh('2026-05-25T08:00:00')); // 10 days before 4 June
    expect(app.get(UpwardReminderService).lastReminded).toEqual(['320505', '320506']);
    await waitFor(async () => (await rows()).every((r) => r.status !== 'pending'), { what: 'reminders delivered', timeoutMs: 10_000, intervalMs: 20 });
    const sent = await rows();
    expect(sent.map((r) => [r.dedup_key, r.status])).toEqual([
      ['upward:320505:2026-06-04:duty_officer#320505.0:sms', 'sent'],
      ['upward:320505:2026-06-04:duty_officer#320505.0:wechat', 'sent'],
      ['upward:320505:2026-06-04:duty_officer#320505.1:sms', 'sent'],
      ['upward:320505:2026-06-04:duty_officer#320505.1:wechat', 'failed'], // 乙 has no WeChat: fails visibly
      ['upward:320506:2026-06-04:duty_officer#320506.0:sms', 'sent'],
      ['upward:320506:2026-06-04:duty_officer#320506.0:wechat', 'sent'],
    ]);
    const sms = [...aliyun.deliveries, ...tencent.deliveries];
    for (const phone of ['13700000101', '13700000102', '13700000201']) expect(sms.filter((d) => d.to.endsWith(phone))).toHaveLength(1);
    const mp = wechat.deliveries.find((d) => d.to === 'open-duty-a')?.payload as { url: string; data: Record<string, { value: string }> };
    expect(mp.url).toBe('http://console.test/upward');
    expect(mp.data['first']?.value).toContain('2026-06-04 前报送半年台账和工作总结');

    // later sweeps in the same window, and a second instance's sweep, send nothing again
    await sweepAt(sh('2026-05-26T09:00:00'));
    await sweepAt(sh('2026-06-04T20:00:00'));
    expect(await new UpwardRemindersRepository(ds).sweep(() => sh('2026-06-03T10:00:00'), UPWARD_REMINDER_LOCK)).toEqual([]);
    expect(await rows()).toHaveLength(6);
    for (const r of sent.filter((x) => x.status === 'sent')) expect(r.dedup_key.endsWith(':sms') ? aliyun.requestsFor(r.dedup_key) : wechat.requestsFor(wechatMsgId(r.dedup_key))).toBe(1);
    expect((await ds.query(`SELECT region_code, to_char(due_date, 'YYYY-MM-DD') AS due FROM upward_reminders ORDER BY region_code`)) as unknown[]).toEqual([
      { region_code: '320505', due: '2026-06-04' },
      { region_code: '320506', due: '2026-06-04' },
    ]);

    // the next due day gets its own reminder
    await sweepAt(sh('2026-11-24T09:00:00'));
    expect(app.get(UpwardReminderService).lastReminded).toEqual(['320505', '320506']);
    expect((await rows()).filter((r) => r.dedup_key.includes('2026-12-04'))).toHaveLength(6);
  });
});
