/**
 * Ingest against real parts: PostgreSQL (own database), a real influxd (own port and data folder),
 * the embedded aedes broker and, in the second run, Debian's Mosquitto as the external broker with
 * the password file and ACL the platform writes. Gateways are registered with the built CLI and
 * talk real MQTT 3.1.1.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { MqttClient } from 'mqtt';
import { InfluxdProcess, MosquittoProcess, connectMqtt, registerGateway, tempDir, testUscc, type RegisteredGateway, freePort, createTestDatabase, type TestDatabase, waitFor, randomSecret } from '@sw/testing';
import { GatewayRegistryService } from './gateways/gateway-registry.service';
import { ingestConfigSchema, type IngestConfig } from './config/ingest.config';
import { bootstrapIngest } from './main';

const SERVICE_PASSWORD = randomSecret();

interface Harness {
  app: INestApplication;
  brokerUrl: string;
  influx: InfluxdProcess;
  db: TestDatabase;
  config: IngestConfig;
}

async function countReadings(influx: InfluxdProcess, pointId: string): Promise<number> {
  const series = await influx.query('safety_watch', `SELECT count(value) FROM reading WHERE point = '${pointId}'`);
  return Number(series[0]?.values[0]?.[1] ?? 0);
}

async function readings(influx: InfluxdProcess, pointId: string) {
  const series = await influx.query('safety_watch', `SELECT * FROM reading WHERE point = '${pointId}' ORDER BY time`);
  const s = series[0];
  if (!s) return [];
  return s.values.map((row) => Object.fromEntries(s.columns.map((c, i) => [c, row[i]])));
}

function nextMessage(client: MqttClient, topic: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no message on ${topic} within 5 s`)), 5_000);
    client.on('message', (t, payload) => {
      if (t !== topic) return;
      clearTimeout(timer);
      resolve(JSON.parse(payload.toString()));
    });
  });
}

describe.each(['embedded', 'external'] as const)('ingest with the %s broker', (mode) => {
  let h: Harness;
  let mosquitto: MosquittoProcess | null = null;
  let spool: { path: string; remove: () => void };
  let gwA: RegisteredGateway;
  let gwB: RegisteredGateway;
  const clients: MqttClient[] = [];

  const gateway = async (g: RegisteredGateway, password = g.password) => {
    const c = await connectMqtt(h.brokerUrl, { username: g.code, password, clientId: `${g.code}:${clients.length}` });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    const db = await createTestDatabase(`ingest_${mode}`);
    const influx = new InfluxdProcess();
    await influx.start();
    spool = tempDir('sw-spool-');
    // Register before ingest starts and after: both must work (cache load and NOTIFY refresh).
    gwA = await registerGateway(db.url, { uscc: testUscc(1), code: 'GW-A', points: { 'CO-01': 'co', 'SPARK-1': 'spark_detected' } });
    const env: Record<string, string> = {
      DATABASE_URL: db.url,
      INFLUX_URL: influx.url,
      SERVICE_MQTT_PASSWORD: SERVICE_PASSWORD,
      INGEST_HTTP_PORT: '0',
      SPOOL_DIR: spool.path,
      INFLUX_FLUSH_MS: '20',
      LOG_LEVEL: 'warn',
      BROKER_MODE: mode,
    };
    let brokerUrl: string;
    if (mode === 'embedded') {
      const port = await freePort();
      env['MQTT_PORT'] = String(port);
      env['MQTT_BIND'] = '127.0.0.1';
      brokerUrl = `mqtt://127.0.0.1:${port}`;
    } else {
      const files = tempDir('sw-mosq-files-');
      const passwordFile = join(files.path, 'passwd');
      const aclFile = join(files.path, 'acl');
      writeFileSync(passwordFile, '');
      writeFileSync(aclFile, '');
      mosquitto = new MosquittoProcess({ passwordFile, aclFile, allowAnonymous: false });
      await mosquitto.start();
      env['BROKER_URL'] = mosquitto.url;
      env['MOSQUITTO_PASSWORD_FILE'] = passwordFile;
      env['MOSQUITTO_ACL_FILE'] = aclFile;
      env['MOSQUITTO_RELOAD_COMMAND'] = `kill -HUP ${mosquitto.pid}`;
      brokerUrl = mosquitto.url;
    }
    const config = ingestConfigSchema.parse(env);
    const app = await bootstrapIngest(config);
    h = { app, brokerUrl, influx, db, config };
    gwB = await registerGateway(db.url, { uscc: testUscc(2), code: 'GW-B', points: { 'O2-01': 'o2' } });
    await waitFor(() => Boolean(app.get(GatewayRegistryService).get('GW-B')), { what: 'ingest to see GW-B', timeoutMs: 10_000 });
    if (mosquitto) {
      // the platform rewrote the password file and asked Mosquitto to reload it
      await waitFor(async () => (await connectMqtt(brokerUrl, { username: 'GW-B', password: gwB.password }).then((c) => c.endAsync().then(() => true)).catch(() => false)), {
        what: 'Mosquitto to accept GW-B after the password file rewrite',
        timeoutMs: 10_000,
      });
    }
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
    await h?.app.close();
    await mosquitto?.cleanup();
    await h?.influx.cleanup();
    await h?.db.drop();
    spool?.remove();
  });

  it('stores a registered gateway\'s readings in InfluxDB with the right tags, values and timestamps', async () => {
    // docs/contracts.md §1 + docs/architecture.md §Stores: measurement `reading`, tags enterprise/gateway/point/type/region
    const c = await gateway(gwA);
    const ts = Date.now() - 60_000;
    await c.publishAsync('v1/gateways/GW-A/telemetry', JSON.stringify({ ts, seq: 1, readings: [
      { point: 'CO-01', value: 18.2 },
      { point: 'SPARK-1', value: true, ts: new Date(ts + 500).toISOString() },
      { point: 'CO-01', value: 19.5, ts: ts + 1000, quality: 'uncertain' },
    ] }), { qos: 1 });
    await waitFor(async () => (await countReadings(h.influx, gwA.points['CO-01']!)) === 2, { what: 'CO-01 readings in InfluxDB', timeoutMs: 10_000 });
    const co = await readings(h.influx, gwA.points['CO-01']!);
    expect(co).toEqual([
      expect.objectContaining({ time: ts, value: 18.2, gateway: 'GW-A', enterprise: gwA.enterpriseId, type: 'co', region: '320505', quality: null }),
      expect.objectContaining({ time: ts + 1000, value: 19.5, quality: 'uncertain' }),
    ]);
    await waitFor(async () => (await countReadings(h.influx, gwA.points['SPARK-1']!)) === 1, { what: 'SPARK-1 reading', timeoutMs: 10_000 });
    expect(await readings(h.influx, gwA.points['SPARK-1']!)).toEqual([expect.objectContaining({ time: ts + 500, value: 1, type: 'spark_detected' })]);
  });

  it('refuses a wrong password', async () => {
    // docs/contracts.md §1: wrong credentials → CONNACK 4 "bad user name or password" or 5 "not authorized"
    await expect(connectMqtt(h.brokerUrl, { username: 'GW-A', password: 'not-the-secret' })).rejects.toThrow(/bad user ?name or password|not authori[sz]ed/i);
    await expect(connectMqtt(h.brokerUrl, { username: 'NO-SUCH-GW', password: 'x' })).rejects.toThrow(/bad user ?name or password|not authori[sz]ed/i);
  });

  it('refuses subscribing to another gateway\'s topics and to internal topics', async () => {
    // docs/contracts.md §1: a subscription outside the gateway's own prefix is refused with 128
    const c = await gateway(gwA);
    const foreign = ['v1/gateways/GW-B/errors', 'internal/readings/+', 'v1/gateways/+/telemetry'];
    const codes = await Promise.all([...foreign, 'v1/gateways/GW-A/errors'].map((t) => subackCode(c, t)));
    if (mode === 'embedded') {
      expect(codes).toEqual([128, 128, 128, 1]);
    } else {
      // Mosquitto 2.0.11 grants a denied MQTT 3.1.1 subscription but never delivers through it
      expect(codes[3]).toBe(1);
    }
    const received: string[] = [];
    c.on('message', (topic) => received.push(topic));
    const b = await gateway(gwB);
    await b.publishAsync('v1/gateways/GW-B/telemetry', JSON.stringify({ seq: 900, readings: [{ point: 'NOPE', value: 1 }] }), { qos: 1 });
    await b.subscribeAsync('v1/gateways/GW-B/errors', { qos: 1 });
    const own = nextMessage(b, 'v1/gateways/GW-B/errors');
    await b.publishAsync('v1/gateways/GW-B/telemetry', JSON.stringify({ seq: 901, readings: [{ point: 'NOPE', value: 1 }] }), { qos: 1 });
    await own; // GW-B got its own errors; GW-A, subscribed to them, got nothing
    expect(received.filter((t) => !t.startsWith('v1/gateways/GW-A/'))).toEqual([]);
  });

  it('never stores what a gateway publishes on another gateway\'s topic', async () => {
    // docs/contracts.md §1: a gateway may touch nothing but its own prefix
    const c = await gateway(gwA);
    const closed = new Promise<void>((resolve) => c.once('close', () => resolve()));
    c.publish('v1/gateways/GW-B/telemetry', JSON.stringify({ readings: [{ point: 'O2-01', value: 20.9 }] }), { qos: 0 });
    if (mode === 'embedded') await closed; // aedes: the publish disconnects the client
    // Mosquitto drops it silently; either way a legitimate GW-B reading published after it is the only one stored
    const b = await gateway(gwB);
    await b.publishAsync('v1/gateways/GW-B/telemetry', JSON.stringify({ readings: [{ point: 'O2-01', value: 20.8 }] }), { qos: 1 });
    await waitFor(async () => (await countReadings(h.influx, gwB.points['O2-01']!)) >= 1, { what: 'GW-B reading', timeoutMs: 10_000 });
    expect((await readings(h.influx, gwB.points['O2-01']!)).map((r) => r['value'])).toEqual([20.8]);
  });

  it('answers an invalid message and an unknown point on the errors topic and keeps the valid readings', async () => {
    // docs/contracts.md §1: valid readings of a message are accepted even when others are not; every rejection has a reason
    const c = await gateway(gwA);
    await c.subscribeAsync('v1/gateways/GW-A/errors', { qos: 1 });
    let reply = nextMessage(c, 'v1/gateways/GW-A/errors');
    await c.publishAsync('v1/gateways/GW-A/telemetry', '{"readings": [', { qos: 1 });
    expect(await reply).toEqual({ seq: null, errors: [{ reason: 'invalid JSON' }] });

    const before = await countReadings(h.influx, gwA.points['CO-01']!);
    reply = nextMessage(c, 'v1/gateways/GW-A/errors');
    await c.publishAsync('v1/gateways/GW-A/telemetry', JSON.stringify({ seq: 42, readings: [
      { point: 'CO-01', value: 7.5 },
      { point: 'CO-9', value: 1 },
      { point: 'CO-01', value: 'high', ts: Date.now() - 5 },
    ] }), { qos: 1 });
    const errors = (await reply) as { seq: number; errors: { point: string; reason: string }[] };
    expect(errors.seq).toBe(42);
    expect(errors.errors).toEqual(expect.arrayContaining([{ point: 'CO-9', reason: 'unknown point' }, expect.objectContaining({ point: 'CO-01' })]));
    await waitFor(async () => (await countReadings(h.influx, gwA.points['CO-01']!)) === before + 1, { what: 'the valid reading', timeoutMs: 10_000 });
  });

  it('stores a QoS 1 redelivery (same seq and ts) once', async () => {
    // docs/contracts.md §1: a message repeating seq and message ts within 10 minutes is a duplicate
    const c = await gateway(gwB);
    const ts = Date.now() - 3_600_000;
    const message = JSON.stringify({ ts, seq: 7, readings: [{ point: 'O2-01', value: 20.1 }] });
    const before = await countReadings(h.influx, gwB.points['O2-01']!);
    await c.publishAsync('v1/gateways/GW-B/telemetry', message, { qos: 1 });
    await c.publishAsync('v1/gateways/GW-B/telemetry', message, { qos: 1, dup: true });
    // a later distinct message proves both were processed before we count
    await c.publishAsync('v1/gateways/GW-B/telemetry', JSON.stringify({ ts: ts + 1, seq: 8, readings: [{ point: 'O2-01', value: 20.2 }] }), { qos: 1 });
    await waitFor(async () => (await countReadings(h.influx, gwB.points['O2-01']!)) === before + 2, { what: 'two readings', timeoutMs: 10_000 });
    const metrics = await fetch(`http://127.0.0.1:${httpPort(h.app)}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/^ingest_messages_duplicate_total 1$/m);
  });
});

describe('EMQX authentication and authorization hooks (external mode)', () => {
  // docs/contracts.md §1: with EMQX the platform answers its HTTP hooks with the same rules
  let db: TestDatabase;
  let app: INestApplication;
  let gw: RegisteredGateway;
  let base: string;
  let broker: MosquittoProcess;
  const spoolDir = tempDir('sw-spool-');
  const post = (path: string, body: unknown) =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  beforeAll(async () => {
    db = await createTestDatabase('emqx_hooks');
    gw = await registerGateway(db.url, { uscc: testUscc(3), code: 'GW-EMQX', points: { 'CO-01': 'co' } });
    broker = new MosquittoProcess(); // any broker for ingest's own service session
    await broker.start();
    app = await bootstrapIngest(ingestConfigSchema.parse({
      DATABASE_URL: db.url, INFLUX_URL: 'http://127.0.0.1:9', SERVICE_MQTT_PASSWORD: SERVICE_PASSWORD, BROKER_MODE: 'external',
      BROKER_URL: broker.url, INGEST_HTTP_PORT: '0', LOG_LEVEL: 'error', SPOOL_DIR: spoolDir.path,
    }));
    base = `http://127.0.0.1:${httpPort(app)}`;
  });
  afterAll(async () => {
    await app?.close();
    await broker?.cleanup();
    await db?.drop();
    spoolDir.remove();
  });

  it('allows the right secret, denies a wrong one, and marks only the service account superuser', async () => {
    expect(await (await post('/mqtt/auth', { clientid: 'GW-EMQX', username: 'GW-EMQX', password: gw.password })).json()).toEqual({ result: 'allow', is_superuser: false });
    expect(await (await post('/mqtt/auth', { username: 'GW-EMQX', password: 'wrong' })).json()).toEqual({ result: 'deny' });
    expect(await (await post('/mqtt/auth', { username: 'svc.platform', password: SERVICE_PASSWORD })).json()).toEqual({ result: 'allow', is_superuser: true });
  });

  it('binds a gateway to its own client ids and leaves every other id to the service account', async () => {
    // README §Security (issue 18 item 1): a gateway connecting as `alerting-partition-3` kicks alerting's session
    const auth = async (clientid: string | undefined, username: string, password: string) =>
      ((await (await post('/mqtt/auth', { clientid, username, password })).json()) as { result: string }).result;
    expect(await auth('GW-EMQX:spare', 'GW-EMQX', gw.password)).toBe('allow');
    expect(await auth('alerting-partition-3', 'GW-EMQX', gw.password)).toBe('deny');
    expect(await auth('GW-OTHER', 'GW-EMQX', gw.password)).toBe('deny');
    expect(await auth(undefined, 'GW-EMQX', gw.password)).toBe('deny');
    expect(await auth('alerting-partition-3', 'svc.platform', SERVICE_PASSWORD)).toBe('allow');
  });

  it('refuses retained telemetry', async () => {
    // README §Security (issue 18 item 2): a retained telemetry message would be kept by the broker
    const acl = async (retain: string) => ((await (await post('/mqtt/acl', { username: 'GW-EMQX', topic: 'v1/gateways/GW-EMQX/telemetry', action: 'publish', qos: '1', retain })).json()) as { result: string }).result;
    expect(await acl('true')).toBe('deny');
    expect(await acl('false')).toBe('allow');
  });

  it('keeps a gateway inside its own topics', async () => {
    const acl = async (topic: string, action: string) => ((await (await post('/mqtt/acl', { username: 'GW-EMQX', topic, action })).json()) as { result: string }).result;
    expect(await acl('v1/gateways/GW-EMQX/telemetry', 'publish')).toBe('allow');
    expect(await acl('v1/gateways/GW-EMQX/state', 'publish')).toBe('allow');
    expect(await acl('v1/gateways/GW-EMQX/errors', 'subscribe')).toBe('allow');
    expect(await acl('v1/gateways/OTHER/telemetry', 'publish')).toBe('deny');
    expect(await acl('internal/readings/3', 'subscribe')).toBe('deny');
    expect(await acl('v1/gateways/+/telemetry', 'subscribe')).toBe('deny');
  });

  it('answers a malformed hook body with 400 and the reason', async () => {
    const res = await post('/mqtt/acl', { username: 'GW-EMQX', action: 'delete' });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toMatch(/topic|action/);
  });
});

function subackCode(client: MqttClient, topic: string): Promise<number> {
  return new Promise((resolve) => {
    // the SUBACK packet itself carries the return code, error or not
    client.subscribe(topic, { qos: 1 }, (_err, _granted, suback) => resolve(Number((suback as { granted?: number[] } | undefined)?.granted?.[0] ?? -1)));
  });
}

function httpPort(app: INestApplication): number {
  const address = app.getHttpServer().address();
  return typeof address === 'object' && address ? address.port : 0;
}
