/**
 * External mode against real parts: Debian's Mosquitto with persistence and the platform's password
 * file and ACL, influxd, PostgreSQL, and the built ingest as a child process (`npx nx run
 * ingest:build` first). Gateways publish QoS 1 the way the field ones do (mqtt.js reconnecting every
 * second, resending what was not acknowledged) while Mosquitto restarts or ingest is SIGKILLed; every
 * reading Mosquitto acknowledged to a gateway must reach InfluxDB (docs/architecture.md, "What nothing
 * lost means").
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import {
  AppProcess,
  createTestDatabase,
  freePort,
  InfluxdProcess,
  MosquittoProcess,
  randomSecret,
  registerGateway,
  tempDir,
  testUscc,
  waitFor,
  type RegisteredGateway,
  type TestDatabase,
} from '@sw/testing';

const GATEWAYS = 4;
/** per gateway: a message of one reading every 50 ms, 80 messages/s in all (an ingest restart of some seconds stays within max_queued_messages) */
const INTERVAL_MS = 50;

/** Gateways publishing one reading per message, each at its own millisecond, counting what the broker acknowledged. */
class Load {
  private readonly clients: MqttClient[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly pending = new Set<Promise<void>>();
  private ts: number;
  acked = 0;
  published = 0;

  constructor(
    private readonly url: string,
    private readonly gateways: RegisteredGateway[],
    tsBase: number,
  ) {
    this.ts = tsBase;
  }

  async connect(): Promise<void> {
    for (const g of this.gateways) {
      const c = await mqtt.connectAsync(this.url, { username: g.code, password: g.password, clientId: g.code, reconnectPeriod: 1_000, protocolVersion: 4 });
      c.on('error', () => undefined); // refused while the broker restarts: it retries
      this.clients.push(c);
    }
  }

  /** One message per gateway every INTERVAL_MS until stop(). */
  start(): void {
    this.timer = setInterval(() => this.round(), INTERVAL_MS);
  }

  /** `rounds` messages per gateway at once. */
  burst(rounds: number): void {
    for (let r = 0; r < rounds; r++) this.round();
  }

  private round(): void {
    this.gateways.forEach((g, i) => {
      const ts = this.ts++;
      const message = JSON.stringify({ ts, seq: ts, readings: [{ point: 'CO-01', value: 1 + (ts % 7) }] });
      this.published++;
      const sent = (this.clients[i] as MqttClient).publishAsync(`v1/gateways/${g.code}/telemetry`, message, { qos: 1 }).then(
        () => void this.acked++,
        () => undefined,
      );
      this.pending.add(sent);
      void sent.finally(() => this.pending.delete(sent));
    });
  }

  /** Stops publishing and waits for the broker's acknowledgement of what is still in flight. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await waitFor(() => this.pending.size === 0, { what: 'every message acknowledged', timeoutMs: 20_000, intervalMs: 50 });
    await Promise.all(this.clients.splice(0).map((c) => c.endAsync(true)));
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('ingest with an external Mosquitto: nothing acknowledged to a gateway is lost', () => {
  const servicePassword = randomSecret();
  let db: TestDatabase;
  let influx: InfluxdProcess;
  let mosquitto: MosquittoProcess;
  let ingest: AppProcess;
  let files: { path: string; remove: () => void };
  let spool: { path: string; remove: () => void };
  const gateways: RegisteredGateway[] = [];
  let tsBase = Date.now() - 6 * 3_600_000;

  const stored = async (): Promise<number> => {
    const list = gateways.map((g) => `point = '${g.points['CO-01']}'`).join(' OR ');
    const series = await influx.query('safety_watch', `SELECT count(value) FROM reading WHERE (${list}) AND time >= ${tsBase}ms AND time < ${tsBase + 3_600_000}ms`);
    return Number(series[0]?.values[0]?.[1] ?? 0);
  };

  /** Expects every reading the broker acknowledged to `load`'s gateways in InfluxDB. */
  const allStored = async (load: Load): Promise<void> => {
    let count = 0;
    await waitFor(async () => (count = await stored()) >= load.acked, { what: 'every acknowledged reading in InfluxDB', timeoutMs: 30_000, intervalMs: 250 }).catch(() => undefined);
    // equal: InfluxDB keeps a redelivered reading (same point and time) once
    expect({ acked: load.acked, stored: count }).toEqual({ acked: load.acked, stored: load.acked });
  };

  /** Runs the load around `fault`, then expects every acknowledged reading in InfluxDB. */
  const survives = async (fault: () => Promise<void>): Promise<void> => {
    tsBase += 3_600_000; // this test's readings: their own hour
    const load = new Load(mosquitto.url, gateways, tsBase);
    await load.connect();
    load.start();
    await sleep(1_500);
    await fault();
    await sleep(2_000);
    await load.stop();
    await allStored(load);
    expect(load.acked).toBeGreaterThan(GATEWAYS * 50); // the load really ran across the fault
  };

  beforeAll(async () => {
    db = await createTestDatabase('ingest_external_broker');
    influx = new InfluxdProcess();
    await influx.start();
    files = tempDir('sw-mosq-files-');
    spool = tempDir('sw-spool-');
    const passwordFile = join(files.path, 'passwd');
    const aclFile = join(files.path, 'acl');
    const pidFile = join(files.path, 'mosquitto.pid');
    writeFileSync(passwordFile, '');
    writeFileSync(aclFile, '');
    // persistence on (saved at a graceful stop), as in the fault suite; a queue per session for the backlog test
    mosquitto = new MosquittoProcess({
      passwordFile,
      aclFile,
      allowAnonymous: false,
      extraConfig: ['max_queued_messages 10000', 'persistence true', `persistence_location ${files.path}/`, `pid_file ${pidFile}`].join('\n'),
    });
    await mosquitto.start();
    for (let i = 0; i < GATEWAYS; i++) gateways.push(await registerGateway(db.url, { uscc: testUscc(70 + i), code: `GW-X${i}`, points: { 'CO-01': 'co' } }));
    const port = await freePort();
    ingest = new AppProcess(
      'ingest',
      {
        DATABASE_URL: db.url,
        INFLUX_URL: influx.url,
        SERVICE_MQTT_PASSWORD: servicePassword,
        BROKER_MODE: 'external',
        BROKER_URL: mosquitto.url,
        MOSQUITTO_PASSWORD_FILE: passwordFile,
        MOSQUITTO_ACL_FILE: aclFile,
        MOSQUITTO_RELOAD_COMMAND: `kill -HUP $(cat ${pidFile})`, // the pid changes with the restart
        INGEST_HTTP_PORT: String(port),
        SPOOL_DIR: spool.path,
        MODBUS_POLLING: 'false',
        INGEST_MQTT_CLIENT_ID: 'ingest-int-spec',
      },
      `http://127.0.0.1:${port}/health`,
    );
    await ingest.start();
    const last = gateways[GATEWAYS - 1] as RegisteredGateway;
    await waitFor(
      () =>
        mqtt
          .connectAsync(mosquitto.url, { username: last.code, password: last.password, clientId: last.code, reconnectPeriod: 0, protocolVersion: 4 })
          .then((c) => c.endAsync().then(() => true))
          .catch(() => false),
      { what: 'Mosquitto to accept the gateways (password file written and reloaded)', timeoutMs: 20_000, intervalMs: 250 },
    );
  }, 120_000);

  afterAll(async () => {
    await ingest?.stop();
    await mosquitto?.cleanup();
    await influx?.cleanup();
    await db?.drop();
    files?.remove();
    spool?.remove();
  });

  it('keeps what was queued for ingest and what gateways publish while Mosquitto restarts (SIGTERM, persistence on)', async () => {
    await survives(async () => {
      await mosquitto.restart();
      expect(mosquitto.logTail(10_000)).not.toMatch(/Outgoing messages are being dropped/);
    });
  }, 90_000);

  it('keeps what ingest had received but not made durable when it is SIGKILLed, and what came while it was away', async () => {
    await survives(async () => {
      await ingest.kill();
      await sleep(500);
      await ingest.start();
    });
  }, 90_000);

  it('takes a backlog larger than its window of unacknowledged messages (its batches for alerting are not stuck behind it)', async () => {
    tsBase += 3_600_000;
    await ingest.kill();
    const load = new Load(mosquitto.url, gateways, tsBase);
    await load.connect();
    load.burst(1_000); // 4,000 messages queued in ingest's session, twice the window
    await load.stop();
    await ingest.start();
    await allStored(load);
    expect(load.acked).toBe(GATEWAYS * 1_000);
  }, 90_000);
});
