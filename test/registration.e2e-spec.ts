/**
 * Read-your-writes registration (issue 14), across the three built apps as real processes: ingest
 * (embedded aedes), alerting and api, with real PostgreSQL and a real influxd. Once a REST
 * registration call has returned 201, the gateway logs in and its readings are accepted, stored
 * and judged — no wait for the registry NOTIFY to reach ingest's and alerting's caches.
 */
import type { MqttClient } from 'mqtt';
import pg from 'pg';
import { AppProcess, connectMqtt, createTestDatabase, freePort, InfluxdProcess, tempDir, testUscc, waitFor, type TestDatabase } from '@sw/testing';

const SERVICE_PASSWORD = 'registration-service-password';
const ADMIN = { username: 'admin', password: 'registration-admin-password-123' };
const POINTS = 20;

describe('registration takes effect when the call returns', () => {
  let db: TestDatabase;
  let influx: InfluxdProcess;
  const spool = tempDir('sw-registration-spool-');
  const apps: AppProcess[] = [];
  let api: string;
  let alertingUrl: string;
  let mqttUrl: string;
  let token = '';
  let gateway: MqttClient | undefined;

  const call = (method: string, path: string, body?: unknown): Promise<Response> =>
    fetch(`${api}/api/v1${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const rest = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await call(method, path, body);
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
    return JSON.parse(text) as T;
  };

  beforeAll(async () => {
    db = await createTestDatabase('registration');
    influx = new InfluxdProcess();
    await influx.start();
    const [mqttPort, ingestPort, alertingPort, apiPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    mqttUrl = `mqtt://127.0.0.1:${mqttPort}`;
    api = `http://127.0.0.1:${apiPort}`;
    alertingUrl = `http://127.0.0.1:${alertingPort}`;
    const common = { DATABASE_URL: db.url, SERVICE_MQTT_PASSWORD: SERVICE_PASSWORD, INFLUX_URL: influx.url, BROKER_URL: mqttUrl };
    apps.push(new AppProcess('ingest', { ...common, MQTT_PORT: String(mqttPort), MQTT_BIND: '127.0.0.1', INGEST_HTTP_PORT: String(ingestPort), SPOOL_DIR: spool.path }, `http://127.0.0.1:${ingestPort}/health`));
    apps.push(new AppProcess('alerting', { ...common, ALERTING_HTTP_PORT: String(alertingPort) }, `${alertingUrl}/health`));
    apps.push(new AppProcess('api', { ...common, API_PORT: String(apiPort), API_BIND: '127.0.0.1', JWT_SECRET: 'registration-jwt-secret-long-enough-123', ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password }, `${api}/health`));
    for (const app of apps) await app.start(); // ingest first: the others connect to its broker
    // alerting consumes readings once it holds every partition's lease (its sessions exist from then on)
    await waitFor(
      async () => {
        const health = (await (await fetch(`${alertingUrl}/health`)).json()) as { partitions: { owned: number[] } };
        return health.partitions.owned.length === 16;
      },
      { what: 'alerting to own every reading partition', timeoutMs: 20_000, intervalMs: 50 },
    );
  });

  afterAll(async () => {
    await gateway?.endAsync(true);
    for (const app of [...apps].reverse()) await app.stop();
    await influx?.cleanup();
    await db?.drop();
    spool.remove();
  });

  it('logs the gateway in and stores and judges a reading of each of 20 points published as its 201 arrives', async () => {
    // issue 14 acceptance: publish in the same millisecond the 201 arrives → login succeeds, 20 of 20 stored and judged
    token = (await rest<{ accessToken: string }>('POST', '/auth/token', ADMIN)).accessToken;
    const enterprise = await rest<{ id: string }>('POST', '/enterprises', { name: '即时生效测试钢铁', uscc: testUscc(714), regionCode: '320505', riskCategories: ['steel'] });
    const gw = await rest<{ id: string; mqtt: { username: string; password: string } }>('POST', `/enterprises/${enterprise.id}/gateways`, { code: 'RYW-GW', protocol: 'mqtt' });
    // the 201 body is in hand: log in at once (reconnectPeriod 0: a refusal is an error, no retry)
    gateway = await connectMqtt(mqttUrl, { username: gw.mqtt.username, password: gw.mqtt.password, clientId: gw.mqtt.username });
    const client = gateway;
    const errors: string[] = [];
    client.on('message', (_topic, payload) => errors.push(payload.toString()));
    await client.subscribeAsync('v1/gateways/RYW-GW/errors', { qos: 1 });

    const codes = Array.from({ length: POINTS }, (_, i) => `CO-${String(i + 1).padStart(2, '0')}`);
    const published: Promise<unknown>[] = [];
    const created = await Promise.all(
      codes.map(async (code) => {
        const res = await call('POST', `/gateways/${gw.id}/points`, { code, type: 'co', unit: 'ppm', name: `一氧化碳 ${code}` });
        // published on the 201's status line, before its body is read: docs/domain.md co ≥ 24 ppm → yellow
        if (res.status === 201) published.push(client.publishAsync('v1/gateways/RYW-GW/telemetry', JSON.stringify({ readings: [{ point: code, value: 30 }] }), { qos: 1 }));
        const body = (await res.json()) as { id: string };
        expect(res.status).toBe(201);
        return body.id;
      }),
    );
    await Promise.all(published);

    // every reading judged: one raised yellow threshold alarm per point
    const pgClient = new pg.Client({ connectionString: db.url });
    await pgClient.connect();
    try {
      const raised = async (): Promise<number> => {
        const rows = await pgClient.query<{ n: number }>(
          `SELECT count(DISTINCT point_id)::int AS n FROM alarms WHERE point_id = ANY($1::uuid[]) AND kind = 'threshold' AND tier = 'yellow'`,
          [created],
        );
        return rows.rows[0]?.n ?? 0;
      };
      await waitFor(async () => (await raised()) === POINTS, { what: `${POINTS} yellow CO alarms`, timeoutMs: 15_000, intervalMs: 50 });
      expect(await raised()).toBe(POINTS);
    } finally {
      await pgClient.end();
    }

    // every reading stored
    const stored = async (): Promise<number> => {
      const series = await influx.query('safety_watch', `SELECT count(value) FROM reading WHERE gateway = 'RYW-GW'`);
      return Number(series[0]?.values[0]?.[1] ?? 0);
    };
    await waitFor(async () => (await stored()) === POINTS, { what: `${POINTS} readings in InfluxDB`, timeoutMs: 15_000, intervalMs: 100 });
    expect(errors).toEqual([]); // no "unknown point" sent back to the gateway
  });
});
