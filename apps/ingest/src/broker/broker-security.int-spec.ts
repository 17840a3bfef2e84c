/**
 * The broker's side doors (issue 18 items 1 and 2), against real parts: PostgreSQL (own database),
 * a real influxd, ingest in this process with its embedded aedes broker, and Debian's Mosquitto
 * with the two-listener layout the platform writes files for. Gateways are registered with the
 * built CLI and talk real MQTT 3.1.1; the oversized packets are written on raw TCP sockets.
 */
import 'reflect-metadata';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { IClientOptions, MqttClient } from 'mqtt';
import { generate } from 'mqtt-packet';
import { connectMqtt, createTestDatabase, freePort, InfluxdProcess, MosquittoProcess, registerGateway, tempDir, testUscc, waitFor, type RegisteredGateway, type TestDatabase } from '@sw/testing';
import { ingestConfigSchema, type IngestConfig } from '../config/ingest.config';
import { GatewayRegistryService } from '../gateways/gateway-registry.service';
import { bootstrapIngest } from '../main';

const SERVICE_PASSWORD = 'service-password-for-tests';
const MiB = 1024 * 1024;

interface Stack {
  app: INestApplication;
  config: IngestConfig;
  db: TestDatabase;
  influx: InfluxdProcess;
  spool: { path: string; remove: () => void };
  gwA: RegisteredGateway;
  gwB: RegisteredGateway;
}

/** PostgreSQL, influxd, two registered gateways and ingest with `env` on top. */
async function startStack(name: string, env: Record<string, string>): Promise<Stack> {
  const db = await createTestDatabase(name);
  const influx = new InfluxdProcess();
  await influx.start();
  const spool = tempDir('sw-spool-');
  const gwA = await registerGateway(db.url, { uscc: testUscc(11), code: 'GW-A', points: { 'CO-01': 'co' } });
  const gwB = await registerGateway(db.url, { uscc: testUscc(12), code: 'GW-B', points: { 'CO-01': 'co' } });
  const config = ingestConfigSchema.parse({
    DATABASE_URL: db.url,
    INFLUX_URL: influx.url,
    SERVICE_MQTT_PASSWORD: SERVICE_PASSWORD,
    INGEST_HTTP_PORT: '0',
    SPOOL_DIR: spool.path,
    LOG_LEVEL: 'error',
    ...env,
  });
  const app = await bootstrapIngest(config);
  await waitFor(() => Boolean(app.get(GatewayRegistryService).get('GW-B')), { what: 'ingest to load the registry', timeoutMs: 10_000 });
  return { app, config, db, influx, spool, gwA, gwB };
}

async function stopStack(s: Stack | undefined): Promise<void> {
  await s?.app.close();
  await s?.influx.cleanup();
  await s?.db.drop();
  s?.spool.remove();
}

/** The next message on `topic` (payload as text). */
function nextMessage(client: MqttClient, topic: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no message on ${topic} within 5 s`)), 5_000);
    const onMessage = (t: string, payload: Buffer): void => {
      if (t !== topic) return;
      clearTimeout(timer);
      client.off('message', onMessage);
      resolve(payload.toString('utf8'));
    };
    client.on('message', onMessage);
  });
}

/** The session still works end to end: a QoS 1 message through the broker back to itself. */
async function roundTrip(client: MqttClient, topic: string): Promise<void> {
  await client.subscribeAsync(topic, { qos: 1 });
  const received = nextMessage(client, topic);
  await client.publishAsync(topic, 'ping', { qos: 1 });
  expect(await received).toBe('ping');
}

/** A gateway's session still works: a telemetry message with an unknown point comes back on its errors topic. */
async function gatewayRoundTrip(client: MqttClient, code: string): Promise<void> {
  await client.subscribeAsync(`v1/gateways/${code}/errors`, { qos: 1 });
  const error = nextMessage(client, `v1/gateways/${code}/errors`);
  await client.publishAsync(`v1/gateways/${code}/telemetry`, JSON.stringify({ seq: 7, readings: [{ point: 'NOPE', value: 1 }] }), { qos: 1 });
  expect(JSON.parse(await error)).toMatchObject({ seq: 7, errors: [{ point: 'NOPE' }] });
}

/**
 * Nothing is retained on `topic`: a fresh subscriber's first message is a marker published after
 * its subscription (a retained message would be delivered first, at subscription time).
 */
async function firstMessageAfterSubscribing(service: MqttClient, topic: string): Promise<string> {
  await service.subscribeAsync(topic, { qos: 1 });
  const first = nextMessage(service, topic);
  await service.publishAsync(topic, 'marker', { qos: 1 });
  return first;
}

/**
 * Writes `header` (after an optional authenticated CONNECT) then up to `maxBytes` of body in 1 MiB
 * chunks, each after the previous one left this process, until the broker closes the socket.
 */
async function announceHuge(port: number, header: Buffer, connectFirst?: Buffer, maxBytes = 96 * MiB): Promise<{ closed: boolean; sent: number }> {
  const socket: Socket = connect({ port, host: '127.0.0.1' });
  socket.on('error', () => undefined); // EPIPE/ECONNRESET once the broker closed it: that is the point
  await once(socket, 'connect');
  let closed = false;
  // not events.once: it rejects on the ECONNRESET that comes with the close
  const closedEvent = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  void closedEvent.then(() => (closed = true));
  if (connectFirst) {
    socket.write(connectFirst);
    const connack = await new Promise<Buffer>((resolve) => socket.once('data', resolve));
    expect([...connack]).toEqual([0x20, 2, 0, 0]); // CONNACK, accepted
  }
  socket.write(header);
  const chunk = Buffer.alloc(MiB, 0x41);
  let sent = 0;
  let failed = false; // a write after the broker's reset fails before the close event comes
  while (!closed && !failed && !socket.destroyed && sent < maxBytes) {
    await new Promise<void>((resolve) => socket.write(chunk, (err) => resolve(void (failed = Boolean(err)))));
    sent += chunk.length;
  }
  // bounded wait for the close (today's main never closes such a socket)
  await Promise.race([closedEvent, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
  socket.destroy();
  return { closed, sent };
}

/** The SUBACK's return codes (subscribeAsync rejects on a 128 and hides them). */
function subackCodes(client: MqttClient, filters: string[], qos: 0 | 1): Promise<number[]> {
  return new Promise((resolve) => {
    client.subscribe(filters, { qos }, (_err, _granted, suback) => resolve([...((suback as { granted?: number[] } | undefined)?.granted ?? [])]));
  });
}

function fixedHeader(type: number, length: number): Buffer {
  const bytes = [type << 4];
  do {
    let byte = length % 128;
    length = Math.floor(length / 128);
    if (length > 0) byte |= 0x80;
    bytes.push(byte);
  } while (length > 0);
  return Buffer.from(bytes);
}

describe('the embedded broker refuses what strangers and gateways must not do', () => {
  let s: Stack;
  let url: string;
  const clients: MqttClient[] = [];

  const client = async (options: IClientOptions): Promise<MqttClient> => {
    const c = await connectMqtt(url, options);
    clients.push(c);
    return c;
  };
  const gateway = (g: RegisteredGateway, options: IClientOptions = {}) => client({ username: g.code, password: g.password, ...options });
  const service = (clientId: string, options: IClientOptions = {}) => client({ username: 'svc.platform', password: SERVICE_PASSWORD, clientId, ...options });

  beforeAll(async () => {
    const port = await freePort();
    s = await startStack('broker_security_embedded', { BROKER_MODE: 'embedded', MQTT_PORT: String(port), MQTT_BIND: '127.0.0.1' });
    url = `mqtt://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
    await stopStack(s);
  });

  it('refuses a gateway that takes over a service session, and the service session lives on', async () => {
    // issue 18 item 1: GW-A as `alerting-partition-3` with clean:false kicked alerting and took its queued batches
    const alerting = await service('alerting-partition-3', { clean: false });
    await alerting.subscribeAsync('internal/probe/3', { qos: 1 });
    for (const clean of [false, true]) {
      await expect(connectMqtt(url, { username: 'GW-A', password: s.gwA.password, clientId: 'alerting-partition-3', clean })).rejects.toThrow(/identifier rejected/i);
    }
    expect(alerting.connected).toBe(true);
    await roundTrip(alerting, 'internal/probe/3');
  });

  it('refuses a gateway that kicks another gateway, and lets it use its code or code:suffix with a clean session', async () => {
    // README §Security: a gateway's client id is its code or `code:suffix`; gateway sessions are clean
    const b = await gateway(s.gwB, { clientId: 'GW-B' });
    await expect(connectMqtt(url, { username: 'GW-A', password: s.gwA.password, clientId: 'GW-B' })).rejects.toThrow(/identifier rejected/i);
    await expect(connectMqtt(url, { username: 'GW-A', password: s.gwA.password, clientId: 'GW-B-2' })).rejects.toThrow(/identifier rejected/i);
    expect(b.connected).toBe(true);
    await gatewayRoundTrip(b, 'GW-B');
    await expect(connectMqtt(url, { username: 'GW-A', password: s.gwA.password, clientId: 'GW-A', clean: false })).rejects.toThrow(/not authori[sz]ed/i);
    await gatewayRoundTrip(await gateway(s.gwA, { clientId: 'GW-A' }), 'GW-A');
    await gatewayRoundTrip(await gateway(s.gwA, { clientId: 'GW-A:spare' }), 'GW-A');
  });

  it.each([
    ['an unauthenticated socket announcing a 200 MB CONNECT', 1, false],
    ['a gateway announcing a 200 MB PUBLISH', 3, true],
  ])('closes %s before buffering it (RSS grows < 16 MiB)', async (_what, type, authenticated) => {
    // issue 18 item 2: one socket announcing a 200 MB CONNECT grew ingest by 150 MiB and stayed open
    const login = authenticated
      ? generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, keepalive: 30, clientId: 'GW-A:flood', username: 'GW-A', password: Buffer.from(s.gwA.password) })
      : undefined;
    const before = process.memoryUsage().rss; // ingest runs in this process
    const { closed, sent } = await announceHuge(Number(new URL(url).port), fixedHeader(type, 200_000_000), login);
    const grown = process.memoryUsage().rss - before;
    expect(closed).toBe(true);
    expect(sent).toBeLessThan(96 * MiB);
    expect(grown).toBeLessThan(16 * MiB);
  });

  it('refuses retained telemetry: the gateway is disconnected and nothing is kept', async () => {
    // issue 18 item 2: gateways could retain any payload on their telemetry topic
    const a = await gateway(s.gwA);
    const closed = new Promise<void>((resolve) => a.once('close', () => resolve()));
    a.publish('v1/gateways/GW-A/telemetry', JSON.stringify({ readings: [{ point: 'CO-01', value: 1 }] }), { qos: 0, retain: true });
    await closed;
    expect(await firstMessageAfterSubscribing(await service('probe-telemetry'), 'v1/gateways/GW-A/telemetry')).toBe('marker');
  });

  it('accepts only online/offline on the state topic: anything else disconnects and is not retained', async () => {
    // docs/contracts.md §1: state is the plain string `online` or `offline`; issue 18 item 2: any payload was retained
    const a = await gateway(s.gwA);
    const closed = new Promise<void>((resolve) => a.once('close', () => resolve()));
    a.publish('v1/gateways/GW-A/state', 'x'.repeat(100_000), { qos: 0, retain: true });
    await closed;
    expect(await firstMessageAfterSubscribing(await service('probe-state-1'), 'v1/gateways/GW-A/state')).toBe('marker');
    const good = await gateway(s.gwA);
    await good.publishAsync('v1/gateways/GW-A/state', 'online', { qos: 1, retain: true });
    expect(await firstMessageAfterSubscribing(await service('probe-state-2'), 'v1/gateways/GW-A/state')).toBe('online');
    expect(good.connected).toBe(true);
  });

  it('grants a gateway session at most MQTT_MAX_SUBSCRIPTIONS filters', async () => {
    // issue 18 item 2: gateways could open unlimited subscriptions
    const max = s.config.MQTT_MAX_SUBSCRIPTIONS;
    const a = await gateway(s.gwA);
    const filters = Array.from({ length: max }, (_, i) => `v1/gateways/GW-A/f${i}`);
    expect(await subackCodes(a, filters, 1)).toEqual(filters.map(() => 1));
    expect(await subackCodes(a, ['v1/gateways/GW-A/one-more', 'v1/gateways/GW-A/and-more'], 1)).toEqual([128, 128]);
    expect(await subackCodes(a, [filters[0] as string], 0)).toEqual([0]); // the same filter again: no new one
    await a.unsubscribeAsync(filters[1] as string);
    expect(await subackCodes(a, ['v1/gateways/GW-A/one-more'], 1)).toEqual([1]);
    expect(a.connected).toBe(true);
  });
});

describe('Mosquitto with the platform\'s files: gateways cannot take another client id', () => {
  let s: Stack;
  let mosquitto: MosquittoProcess;
  const clients: MqttClient[] = [];
  const files = tempDir('sw-sec-mosq-');

  beforeAll(async () => {
    const path = (name: string): string => join(files.path, name);
    for (const name of ['service.passwd', 'gateways.passwd', 'gateways.acl']) writeFileSync(path(name), '');
    mosquitto = new MosquittoProcess({
      passwordFile: path('service.passwd'),
      allowAnonymous: false,
      gatewayListener: { passwordFile: path('gateways.passwd'), aclFile: path('gateways.acl') },
    });
    await mosquitto.start();
    s = await startStack('broker_security_mosquitto', {
      BROKER_MODE: 'external',
      BROKER_URL: mosquitto.url,
      MOSQUITTO_PASSWORD_FILE: path('gateways.passwd'),
      MOSQUITTO_ACL_FILE: path('gateways.acl'),
      MOSQUITTO_SERVICE_PASSWORD_FILE: path('service.passwd'),
      MOSQUITTO_RELOAD_COMMAND: `kill -HUP ${mosquitto.pid}`,
    });
    await waitFor(async () => connectMqtt(mosquitto.gatewayUrl, { username: 'GW-B', password: s.gwB.password }).then((c) => c.endAsync().then(() => true), () => false), {
      what: 'Mosquitto to accept GW-B on the gateway listener',
      timeoutMs: 15_000,
    });
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
    await stopStack(s);
    await mosquitto?.cleanup();
    files.remove();
  });

  const keep = (c: MqttClient): MqttClient => (clients.push(c), c);

  it('keeps a service session and another gateway\'s session when a gateway claims their ids', async () => {
    // issue 18 item 1 with Mosquitto: the gateway listener replaces each client id with the username
    const alerting = keep(await connectMqtt(mosquitto.url, { username: 'svc.platform', password: SERVICE_PASSWORD, clientId: 'alerting-partition-3', clean: false }));
    await alerting.subscribeAsync('internal/probe/3', { qos: 1 });
    const b = keep(await connectMqtt(mosquitto.gatewayUrl, { username: 'GW-B', password: s.gwB.password, clientId: 'GW-B' }));
    const intruder = keep(await connectMqtt(mosquitto.gatewayUrl, { username: 'GW-A', password: s.gwA.password, clientId: 'alerting-partition-3', clean: false }));
    keep(await connectMqtt(mosquitto.gatewayUrl, { username: 'GW-A', password: s.gwA.password, clientId: 'GW-B' }));
    expect(alerting.connected && b.connected).toBe(true);
    await roundTrip(alerting, 'internal/probe/3');
    await gatewayRoundTrip(b, 'GW-B');
    // the intruder was itself replaced by the later GW-A session: both ran as client id GW-A
    await waitFor(() => !intruder.connected, { what: 'the first GW-A session to be replaced by the second', timeoutMs: 5_000 });
  });

  it('keeps gateways off the service listener and the service account off the gateway listener', async () => {
    await expect(connectMqtt(mosquitto.url, { username: 'GW-A', password: s.gwA.password, clientId: 'alerting-partition-3' })).rejects.toThrow(/not authori[sz]ed/i);
    await expect(connectMqtt(mosquitto.gatewayUrl, { username: 'svc.platform', password: SERVICE_PASSWORD })).rejects.toThrow(/not authori[sz]ed/i);
  });

  it('clears a retained state that is neither online nor offline', async () => {
    // docs/contracts.md §1: state is `online` or `offline`; Mosquitto's ACL never sees the payload, so ingest clears it
    const watcher = keep(await connectMqtt(mosquitto.url, { username: 'svc.platform', password: SERVICE_PASSWORD, clientId: 'probe-state-watch' }));
    await watcher.subscribeAsync('v1/gateways/GW-A/state', { qos: 1 });
    const seen: string[] = [];
    watcher.on('message', (_t, payload) => seen.push(payload.toString()));
    const a = keep(await connectMqtt(mosquitto.gatewayUrl, { username: 'GW-A', password: s.gwA.password }));
    await a.publishAsync('v1/gateways/GW-A/state', 'hacked', { qos: 1, retain: true });
    await waitFor(() => seen.join('|') === 'hacked|', { what: `ingest to clear the retained state (seen ${JSON.stringify(seen)})\n${mosquitto.logTail(30)}`, timeoutMs: 5_000 });
    const fresh = keep(await connectMqtt(mosquitto.url, { username: 'svc.platform', password: SERVICE_PASSWORD, clientId: 'probe-state-fresh' }));
    expect(await firstMessageAfterSubscribing(fresh, 'v1/gateways/GW-A/state')).toBe('marker');
  });
});
