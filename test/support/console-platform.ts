/**
 * The platform the console e2e spec drives: ingest (embedded aedes), alerting and api as built
 * processes, real PostgreSQL and influxd, a small registry made over REST, and MQTT gateway
 * clients that publish readings (the simulated gateways).
 */
import mqtt, { type MqttClient } from 'mqtt';
import pg from 'pg';
import { AppProcess, createTestDatabase, freePort, InfluxdProcess, tempDir, testUscc, waitFor, type TestDatabase, randomSecret } from '@sw/testing';

export const ADMIN = { username: 'admin', password: randomSecret(18) };
export const DUTY = { username: 'duty.suzhou', password: 'console-duty-password-123' };
export const SAFETY = { username: 'safety.steel', password: 'console-safety-password-123' };

interface PointSpec {
  code: string;
  type: string;
  unit: string;
  name: string;
  thresholds?: object;
}

interface GatewaySpec {
  code: string;
  enterprise: { name: string; regionCode: string; riskCategories: string[]; dustWorkers?: number };
  points: PointSpec[];
}

/** Two enterprises in two districts of 3205; CO-01 gets a red setpoint so an incident can be red. */
const REGISTRY: GatewaySpec[] = [
  {
    code: 'STEEL-GW',
    enterprise: { name: '姑苏精工钢铁有限公司', regionCode: '320505', riskCategories: ['steel'] },
    points: [
      { code: 'CO-01', type: 'co', unit: 'ppm', name: '转炉煤气区一氧化碳', thresholds: { high: { yellow: 24, orange: 160, red: 300 } } },
      { code: 'O2-01', type: 'o2', unit: '%VOL', name: '煤气柜有限空间氧气' },
    ],
  },
  {
    code: 'DUST-GW',
    enterprise: { name: '吴中铝镁抛光制品厂', regionCode: '320506', riskCategories: ['metal_dust'], dustWorkers: 40 },
    points: [
      { code: 'TEMP-01', type: 'hopper_temperature', unit: '°C', name: '除尘器灰斗温度' },
      { code: 'CO-02', type: 'co', unit: 'ppm', name: '除尘间一氧化碳' },
    ],
  },
];

export class ConsolePlatform {
  readonly url: string;
  adminToken = '';
  enterpriseIds: string[] = [];
  private readonly gateways = new Map<string, MqttClient>();
  private constructor(
    readonly db: TestDatabase,
    readonly influx: InfluxdProcess,
    readonly apps: { ingest: AppProcess; alerting: AppProcess; api: AppProcess },
    private readonly mqttUrl: string,
    apiPort: number,
    private readonly spool: { remove(): void },
  ) {
    this.url = `http://127.0.0.1:${apiPort}`;
  }

  /** `apiEnv`: extra settings of the api process (e.g. `EVIDENCE_DIR` for the hazard photos). */
  static async start(apiEnv: Record<string, string> = {}): Promise<ConsolePlatform> {
    const db = await createTestDatabase('console');
    const influx = new InfluxdProcess();
    await influx.start();
    const spool = tempDir('sw-console-spool-');
    const [mqttPort, ingestPort, alertingPort, apiPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const mqttUrl = `mqtt://127.0.0.1:${mqttPort}`;
    const common = { DATABASE_URL: db.url, SERVICE_MQTT_PASSWORD: randomSecret(), INFLUX_URL: influx.url, BROKER_URL: mqttUrl };
    const apps = {
      ingest: new AppProcess('ingest', { ...common, MQTT_PORT: String(mqttPort), MQTT_BIND: '127.0.0.1', INGEST_HTTP_PORT: String(ingestPort), SPOOL_DIR: spool.path }, `http://127.0.0.1:${ingestPort}/health`),
      alerting: new AppProcess('alerting', { ...common, ALERTING_HTTP_PORT: String(alertingPort) }, `http://127.0.0.1:${alertingPort}/health`),
      api: new AppProcess(
        'api',
        { ...common, API_PORT: String(apiPort), API_BIND: '127.0.0.1', JWT_SECRET: randomSecret(), ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password, ...apiEnv },
        `http://127.0.0.1:${apiPort}/health`,
      ),
    };
    const platform = new ConsolePlatform(db, influx, apps, mqttUrl, apiPort, spool);
    try {
      for (const app of [apps.ingest, apps.alerting, apps.api]) await app.start(); // ingest first: the others use its broker
    } catch (err) {
      await platform.stop().catch(() => undefined); // nothing of a failed start is left running
      throw err;
    }
    return platform;
  }

  async rest<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.url}/api/v1${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(this.adminToken && { authorization: `Bearer ${this.adminToken}` }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  }

  /** Enterprises, gateways, points and the console's users; connects one MQTT client per gateway. */
  async provision(): Promise<void> {
    this.adminToken = (await this.rest<{ accessToken: string }>('POST', '/auth/token', ADMIN)).accessToken;
    const credentials = new Map<string, { username: string; password: string }>();
    for (const [i, spec] of REGISTRY.entries()) {
      const enterprise = await this.rest<{ id: string }>('POST', '/enterprises', { ...spec.enterprise, uscc: testUscc(700 + i) });
      this.enterpriseIds.push(enterprise.id);
      const gw = await this.rest<{ id: string; mqtt: { username: string; password: string } }>('POST', `/enterprises/${enterprise.id}/gateways`, { code: spec.code, protocol: 'mqtt' });
      for (const point of spec.points) await this.rest('POST', `/gateways/${gw.id}/points`, point);
      credentials.set(spec.code, gw.mqtt);
    }
    await this.rest('POST', '/users', { ...DUTY, role: 'regulator', regionCode: '3205' });
    await this.rest('POST', '/users', { ...SAFETY, role: 'enterprise', enterpriseId: this.enterpriseIds[0] });
    await new Promise((r) => setTimeout(r, 800)); // ingest and alerting learn of new gateways and points through NOTIFY
    for (const [code, c] of credentials) this.gateways.set(code, await this.connectGateway(c));
  }

  private async connectGateway(c: { username: string; password: string }): Promise<MqttClient> {
    let client: MqttClient | undefined;
    await waitFor(
      async () => {
        client = await mqtt.connectAsync(this.mqttUrl, { ...c, clientId: c.username, reconnectPeriod: 0 }).catch(() => undefined);
        return client !== undefined;
      },
      { what: `gateway ${c.username} to be let in by the broker`, timeoutMs: 10_000, intervalMs: 250 },
    );
    return client as MqttClient;
  }

  /** One telemetry message; `minutesAgo` backdates a reading (the chart's history). */
  async publish(gateway: string, readings: { point: string; value: number; minutesAgo?: number }[]): Promise<void> {
    const client = this.gateways.get(gateway);
    if (!client) throw new Error(`no gateway ${gateway}`);
    const now = Date.now();
    const payload = readings.map((r) => ({ point: r.point, value: r.value, ...(r.minutesAgo !== undefined && { ts: new Date(now - r.minutesAgo * 60_000).toISOString() }) }));
    await client.publishAsync(`v1/gateways/${gateway}/telemetry`, JSON.stringify({ readings: payload }), { qos: 1 });
  }

  /** Waits until PostgreSQL holds more than `after` alarm events (works while the api is down). */
  async waitForEvents(after: number, count: number): Promise<number> {
    const client = new pg.Client({ connectionString: this.db.url });
    await client.connect();
    let last = after;
    try {
      await waitFor(
        async () => {
          last = Number((await client.query<{ max: string | null }>('SELECT max(seq) AS max FROM alarm_events')).rows[0]?.max ?? 0);
          const n = Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM alarm_events WHERE seq > $1', [after])).rows[0]?.n ?? 0);
          return n >= count;
        },
        { what: `${count} alarm events after seq ${after}`, timeoutMs: 15_000, intervalMs: 100 },
      );
    } finally {
      await client.end();
    }
    return last;
  }

  async stop(): Promise<void> {
    for (const client of this.gateways.values()) await client.endAsync(true);
    for (const app of [this.apps.api, this.apps.alerting, this.apps.ingest]) await app.stop();
    await this.influx.cleanup();
    await this.db.drop();
    this.spool.remove();
  }
}
