/**
 * "Nothing lost, nothing twice" for notifications, with the BUILT alerting (`npx nx run
 * alerting:build` first) as a child process killed with SIGKILL while 100 notifications are
 * pending or in flight at slow local vendor servers. After a restart every outbox row is delivered
 * exactly once (counted at the vendor servers by idempotency key) and recorded once on its alarm's
 * timeline, and no SMS is sent twice: the ones in flight at the kill are found at the vendor.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AlarmStore } from '@sw/persistence';
import { AliyunSmsServer, AppProcess, freePort, randomSecret, TestServices, testUscc, vendorEnv, waitFor, WechatMpServer } from '@sw/testing';
import type { DataSource } from 'typeorm';
import { connectInternalBus, openDataSource } from '../testing/alerting-harness.factory';
import { type InternalBus, seedGateway, seedPoint } from '../testing/internal-bus.factory';

const BUILT = join(__dirname, '../../../../dist/apps/alerting/src/main.js');
const POINTS = 20; // × 5 notifications each (red: 2 × SMS + WeChat, 1 × SMS) = 100

describe('notification delivery after SIGKILL and restart', () => {
  let services: TestServices;
  let ds: DataSource;
  let bus: InternalBus;
  const apps: AppProcess[] = [];
  const aliyun = new AliyunSmsServer();
  const wechat = new WechatMpServer();

  const healthUrls = new Map<AppProcess, string>();
  const pointsOf = async (app: AppProcess): Promise<number> => ((await (await fetch(healthUrls.get(app) as string)).json()) as { points?: number }).points ?? 0;
  const alerting = async (env: Record<string, string>): Promise<AppProcess> => {
    const port = await freePort();
    const app = new AppProcess('alerting', { ...env, ALERTING_HTTP_PORT: String(port) }, `http://127.0.0.1:${port}/health`);
    healthUrls.set(app, `http://127.0.0.1:${port}/health`);
    apps.push(app);
    await app.start();
    return app;
  };
  const count = async (sql: string): Promise<number> => ((await ds.query(sql)) as [{ n: number }])[0].n;

  beforeAll(async () => {
    if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run \`npx nx run alerting:build\` first`);
    await Promise.all([aliyun.start(), wechat.start()]);
    services = await TestServices.start('notifications_restart', { mosquitto: true });
    ds = await openDataSource(services);
    bus = await connectInternalBus(services);
  });

  afterAll(async () => {
    for (const app of apps) await app.kill();
    await services?.stop();
    await Promise.all([aliyun.stop(), wechat.stop()]);
  });

  it('delivers each of 100 pending notifications exactly once across a SIGKILL', async () => {
    const gw = await seedGateway(ds, testUscc(901), 'RESTART-NOTIFY');
    await ds.query(
      `INSERT INTO enterprise_contacts (enterprise_id, role, name, phone, wechat_openid) VALUES
         ($1, 'safety_officer', '安全员', '13900009999', 'open-safety'), ($1, 'principal', '负责人', '13800009999', 'open-principal')`,
      [gw.enterpriseId],
    );
    await ds.query(`INSERT INTO duty_officers (region_code, position, name, phone) VALUES ('320505', 0, '区值班员', '13700009999')`);
    const points: string[] = [];
    for (let i = 0; i < POINTS; i++) points.push(await seedPoint(ds, gw, { code: `IL-${i}`, type: 'interlock_bypassed' }));
    const env = {
      DATABASE_URL: services.db.url,
      BROKER_URL: services.mosquitto.url,
      SERVICE_MQTT_PASSWORD: randomSecret(),
      ALERTING_MQTT_CLIENT_ID: 'alerting-notify-restart-spec',
      NOTIFY_POLL_MS: '50',
      NOTIFY_BATCH: '10',
      NOTIFY_LEASE_MS: '1500',
      NOTIFY_RATE_LIMIT: '1000',
      ...vendorEnv({ aliyun, wechat }),
    };
    aliyun.delayMs = 150; // slow vendors: requests are in flight when the process dies
    wechat.delayMs = 150;
    const first = await alerting(env);
    await waitFor(async () => (await pointsOf(first)) === points.length, { what: 'alerting to evaluate the points (/health)', timeoutMs: 10_000, intervalMs: 20 });
    await bus.readings(gw, ...points.map((pointId) => ({ pointId, value: 1 })));
    await waitFor(async () => (await count(`SELECT count(*)::int AS n FROM notification_outbox`)) === 100, { what: '100 outbox rows', timeoutMs: 10_000, intervalMs: 20 });
    await waitFor(() => aliyun.accepted.length + wechat.accepted.length >= 10, { what: 'some deliveries', timeoutMs: 10_000, intervalMs: 5 });
    // killed while SMS are at the vendor: sent, and their outcome never recorded
    await waitFor(() => aliyun.inFlight >= 2, { what: 'SMS requests in flight at the vendor', timeoutMs: 10_000, intervalMs: 1 });
    await first.kill();
    const before = { sent: await count(`SELECT count(*)::int AS n FROM notification_outbox WHERE status = 'sent'`), requests: aliyun.accepted.length + wechat.accepted.length };
    expect(before.sent).toBeLessThan(100);

    aliyun.delayMs = 0;
    wechat.delayMs = 0;
    const second = await alerting(env);
    await waitFor(async () => (await count(`SELECT count(*)::int AS n FROM notification_outbox WHERE status = 'sent'`)) === 100, { what: 'all 100 sent', timeoutMs: 20_000, intervalMs: 50 });

    const keys = (await ds.query(`SELECT dedup_key FROM notification_outbox`)) as { dedup_key: string }[];
    const delivered = [...aliyun.deliveries, ...wechat.deliveries].map((d) => d.key).sort();
    expect(delivered).toEqual(keys.map((k) => k.dedup_key).sort()); // each exactly once
    // no phone got an SMS twice: a row the killed process had sent is found by QuerySendDetails, not sent again
    const smsTwice = aliyun.deliveries.filter((d) => aliyun.requestsFor(d.key) > 1).map((d) => d.key);
    expect(smsTwice).toEqual([]);
    // the SMS in flight at the kill (the vendor answers 150 ms late, so about one per number) were looked up and found
    const metrics = await (await fetch((healthUrls.get(second) as string).replace(/\/health$/, '/metrics'))).text();
    const found = Number(/alerting_notification_resumed_lookups_total\{result="sent"\} (\d+)/.exec(metrics)?.[1] ?? 0);
    expect(found).toBeGreaterThan(0);
    const requests = aliyun.accepted.length + wechat.accepted.length;
    const store = new AlarmStore(ds);
    let recorded = 0;
    for (const id of new Set(keys.map((k) => k.dedup_key.split(':')[0] as string))) {
      recorded += (await store.events(id)).filter((e) => e.event === 'notified' && e.data['outcome'] === 'sent').length;
    }
    expect(recorded).toBe(100); // one `sent` per row on the timelines
    process.stdout.write(
      `restart: ${before.sent}/100 recorded and ${before.requests} requests made before SIGKILL; ${requests} requests in all for 100 messages (${requests - 100} WeChat repeats absorbed by client_msg_id; ${found} SMS found by QuerySendDetails, not sent again)\n`,
    );
  });
});
