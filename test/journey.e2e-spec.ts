/**
 * The alarm spine end to end, across the three built apps as real processes: ingest (embedded
 * aedes), alerting and api, with real PostgreSQL, a real influxd, a real MQTT gateway client and a
 * real WebSocket client. Issue "Alarm spine", acceptance: the journey.
 */
import mqtt, { type MqttClient } from 'mqtt';
import WebSocket from 'ws';
import { AppProcess, createTestDatabase, freePort, InfluxdProcess, tempDir, testUscc, waitFor, type TestDatabase, randomSecret } from '@sw/testing';

const SERVICE_PASSWORD = randomSecret();
const ADMIN = { username: 'admin', password: randomSecret(18) };

interface AlarmFrame {
  type: 'alarm';
  seq: number;
  event: string;
  alarm: { id: string; tier: string; condition: string; acknowledged: boolean; stage: string; kind: string; pointId: string };
}

describe('alarm journey across ingest, alerting and api', () => {
  let db: TestDatabase;
  let influx: InfluxdProcess;
  const spool = tempDir('sw-journey-spool-');
  const apps: AppProcess[] = [];
  let api: string;
  let mqttUrl: string;
  let token: string;
  let gateway: MqttClient;
  let socket: WebSocket;
  const frames: AlarmFrame[] = [];

  const rest = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${api}/api/v1${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  };
  const publish = (value: number) =>
    gateway.publishAsync('v1/gateways/JOURNEY-GW/telemetry', JSON.stringify({ readings: [{ point: 'CO-01', value }] }), { qos: 1 });
  const nextFrame = async (event: string, after = 0): Promise<AlarmFrame> => {
    let found: AlarmFrame | undefined;
    await waitFor(() => Boolean((found = frames.find((f) => f.event === event && f.seq > after))), { what: `a "${event}" frame on the live feed`, timeoutMs: 10_000, intervalMs: 20 });
    return found as AlarmFrame;
  };

  beforeAll(async () => {
    db = await createTestDatabase('journey');
    influx = new InfluxdProcess();
    await influx.start();
    const [mqttPort, ingestPort, alertingPort, apiPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    mqttUrl = `mqtt://127.0.0.1:${mqttPort}`;
    api = `http://127.0.0.1:${apiPort}`;
    const common = { DATABASE_URL: db.url, SERVICE_MQTT_PASSWORD: SERVICE_PASSWORD, INFLUX_URL: influx.url, BROKER_URL: mqttUrl };
    apps.push(new AppProcess('ingest', { ...common, MQTT_PORT: String(mqttPort), MQTT_BIND: '127.0.0.1', INGEST_HTTP_PORT: String(ingestPort), SPOOL_DIR: spool.path }, `http://127.0.0.1:${ingestPort}/health`));
    apps.push(new AppProcess('alerting', { ...common, ALERTING_HTTP_PORT: String(alertingPort) }, `http://127.0.0.1:${alertingPort}/health`));
    apps.push(new AppProcess('api', { ...common, API_PORT: String(apiPort), API_BIND: '127.0.0.1', JWT_SECRET: randomSecret(), ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password }, `${api}/health`));
    for (const app of apps) await app.start(); // ingest first: the others connect to its broker
  });

  afterAll(async () => {
    socket?.close();
    await gateway?.endAsync(true);
    for (const app of [...apps].reverse()) await app.stop();
    await influx?.cleanup();
    await db?.drop();
    spool.remove();
  });

  it('raises, escalates the tier, acknowledges, clears, disposes, closes and raises anew', async () => {
    token = (await rest<{ accessToken: string }>('POST', '/auth/token', ADMIN)).accessToken;
    const enterprise = await rest<{ id: string }>('POST', '/enterprises', { name: '旅程测试钢铁', uscc: testUscc(500), regionCode: '320505', riskCategories: ['steel'] });
    const gw = await rest<{ id: string; mqtt: { username: string; password: string } }>('POST', `/enterprises/${enterprise.id}/gateways`, { code: 'JOURNEY-GW', protocol: 'mqtt' });
    const point = await rest<{ id: string }>('POST', `/gateways/${gw.id}/points`, { code: 'CO-01', type: 'co', unit: 'ppm', name: '转炉煤气区 CO' });

    socket = new WebSocket(`${api.replace('http', 'ws')}/ws?token=${token}`);
    let live = false;
    socket.on('message', (raw) => {
      const frame = JSON.parse(raw.toString()) as { type: string };
      if (frame.type === 'alarm') frames.push(frame as AlarmFrame);
      if (frame.type === 'live') live = true;
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.on('message', (raw) => {
        if ((JSON.parse(raw.toString()) as { type: string }).type === 'ready') resolve();
      });
    });
    socket.send(JSON.stringify({ type: 'subscribe', channels: ['alarms'] }));
    await waitFor(() => live, { what: 'the live feed to answer the subscription (live frame)', timeoutMs: 10_000, intervalMs: 10 });

    gateway = await mqtt.connectAsync(mqttUrl, { username: gw.mqtt.username, password: gw.mqtt.password, clientId: gw.mqtt.username, reconnectPeriod: 0 });
    // no wait for the new point: ingest and alerting read a point they have not heard of (its NOTIFY
    // not applied yet) from PostgreSQL before judging it (ingest_registry_refreshes_total, EvaluationService.onUnknown)

    await publish(30); // docs/domain.md: co ≥ 24 ppm → yellow
    const raised = await nextFrame('raised');
    expect(raised.alarm).toMatchObject({ tier: 'yellow', condition: 'active', acknowledged: false, stage: 'open', kind: 'threshold', pointId: point.id });

    await publish(100); // ≥ 48 ppm → orange
    const rose = await nextFrame('tier_changed', raised.seq);
    expect(rose.alarm.tier).toBe('orange');

    await rest('POST', `/alarms/${raised.alarm.id}/ack`, { comment: '已通知企业安全员' });
    expect((await nextFrame('acknowledged', rose.seq)).alarm.acknowledged).toBe(true);

    await publish(5);
    const cleared = await nextFrame('cleared', rose.seq);
    expect(cleared.alarm.condition).toBe('cleared');

    await rest('POST', `/alarms/${raised.alarm.id}/dispose`, { cause: 'equipment_fault', measures: '更换煤气管道法兰垫片' });
    await nextFrame('disposed', cleared.seq);
    const closedAlarm = await rest<{ stage: string }>('POST', `/alarms/${raised.alarm.id}/close`, { comment: '复核完毕' });
    expect(closedAlarm.stage).toBe('closed');
    const closed = await nextFrame('closed', cleared.seq);

    await publish(30); // after closed, the next start is a new alarm
    const again = await nextFrame('raised', closed.seq);
    expect(again.alarm.id).not.toBe(raised.alarm.id);

    // strictly increasing seq on the feed
    const seqs = frames.map((f) => f.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);

    // the point's history over REST returns the published values
    await waitFor(async () => (await rest<{ readings: unknown[] }>('GET', `/points/${point.id}/readings?from=${new Date(Date.now() - 600_000).toISOString()}`)).readings.length >= 4, {
      what: 'the four published readings in the history',
      timeoutMs: 10_000,
    });
    const history = await rest<{ unit: string; readings: { value: number }[] }>('GET', `/points/${point.id}/readings?from=${new Date(Date.now() - 600_000).toISOString()}`);
    expect(history.unit).toBe('ppm');
    expect(history.readings.map((r) => r.value)).toEqual([30, 100, 5, 30]);
  });
});
