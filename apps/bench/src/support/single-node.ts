import { join } from 'node:path';
import { AppProcess, freePort, randomSecret } from '@sw/testing';

/** The internal apps' broker account password in every benchmark. */
export const SERVICE_PASSWORD = randomSecret();
const ADMIN = { username: 'admin', password: randomSecret(18) };

/** The three apps on one node (ingest embedding the broker), as built processes, and a duty officer's token. */
export interface SingleNode {
  brokerUrl: string;
  ingest: AppProcess;
  alerting: AppProcess;
  api: AppProcess;
  ingestMetrics: string;
  alertingMetrics: string;
  /** the live feed, logged in as the admin */
  wsUrl: string;
}

/**
 * Starts ingest, alerting and api on free ports over the given stores. Each process is pushed onto
 * `started` before it starts, so the caller's cleanup stops whatever came up even when a start fails.
 */
export async function startSingleNode(
  o: {
    databaseUrl: string;
    influxUrl: string;
    spoolDir: string;
    startTimeoutMs?: number;
    /** the per-hop trace of these points' readings, one JSON-lines file per app in `dir` */
    trace?: { dir: string; points: string[] };
    /** settings for every app on top of the bench's (e.g. a fast-lane option turned off to compare) */
    env?: Record<string, string>;
  },
  started: AppProcess[],
): Promise<SingleNode> {
  const [mqttPort, ingestPort, alertingPort, apiPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const brokerUrl = `mqtt://127.0.0.1:${mqttPort}`;
  // MQTT_AUTH_IP_MAX_FAILURES: every bench gateway connects from 127.0.0.1 at once, and an attempt is
  // charged before its (slow, on a busy machine) argon2 check: the default 50 would lock the load out
  const common = { DATABASE_URL: o.databaseUrl, SERVICE_MQTT_PASSWORD: SERVICE_PASSWORD, INFLUX_URL: o.influxUrl, BROKER_URL: brokerUrl, LOG_LEVEL: 'warn', MQTT_AUTH_IP_MAX_FAILURES: '100000', ...o.env };
  const trace = (app: string): Record<string, string> => (o.trace ? { HOP_TRACE_FILE: join(o.trace.dir, `${app}.ndjson`), HOP_TRACE_POINTS: o.trace.points.join(',') } : {});
  const ingest = new AppProcess('ingest', { ...common, ...trace('ingest'), MQTT_PORT: String(mqttPort), MQTT_BIND: '127.0.0.1', INGEST_HTTP_PORT: String(ingestPort), SPOOL_DIR: o.spoolDir }, `http://127.0.0.1:${ingestPort}/health`);
  const alerting = new AppProcess('alerting', { ...common, ...trace('alerting'), ALERTING_HTTP_PORT: String(alertingPort) }, `http://127.0.0.1:${alertingPort}/health`);
  const api = new AppProcess('api', { ...common, ...trace('api'), API_PORT: String(apiPort), API_BIND: '127.0.0.1', JWT_SECRET: randomSecret(), ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password }, `http://127.0.0.1:${apiPort}/health`);
  for (const app of [ingest, alerting, api]) {
    started.push(app);
    await app.start(o.startTimeoutMs);
  }
  const token = await login(`http://127.0.0.1:${apiPort}`);
  return {
    brokerUrl,
    ingest,
    alerting,
    api,
    ingestMetrics: `http://127.0.0.1:${ingestPort}/metrics`,
    alertingMetrics: `http://127.0.0.1:${alertingPort}/metrics`,
    wsUrl: `ws://127.0.0.1:${apiPort}/ws?token=${token}`,
  };
}

async function login(api: string): Promise<string> {
  const res = await fetch(`${api}/api/v1/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
  if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}
