/**
 * docs/architecture.md "nothing lost": readings accepted while InfluxDB is down reach it when it
 * returns. Real influxd (stopped and restarted), real PostgreSQL, embedded aedes, real MQTT client.
 */
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import type { MqttClient } from 'mqtt';
import { InfluxdProcess, connectMqtt, registerGateway, tempDir, testUscc, type RegisteredGateway, freePort, createTestDatabase, type TestDatabase, waitFor, randomSecret } from '@sw/testing';
import { ingestConfigSchema, type IngestConfig } from './config/ingest.config';
import { bootstrapIngest } from './main';

const POINTS = 10;
const MESSAGES = 100;
const PER_MESSAGE = 100; // 100 × 100 = 10,000 readings

describe('ingest while InfluxDB is down', () => {
  let db: TestDatabase;
  let influx: InfluxdProcess;
  let spool: { path: string; remove: () => void };
  let config: IngestConfig;
  let app: INestApplication | null = null;
  let gw: RegisteredGateway;
  let client: MqttClient | null = null;

  const metric = async (name: string): Promise<number> => {
    const address = app?.getHttpServer().address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const text = await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text());
    return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  };
  const stored = async (): Promise<number> => {
    const series = await influx.query('safety_watch', `SELECT count(value) FROM reading WHERE gateway = '${gw.code}'`);
    return Number(series[0]?.values[0]?.[1] ?? 0);
  };
  const publishBurst = async (base: number): Promise<void> => {
    const codes = Object.keys(gw.points);
    for (let m = 0; m < MESSAGES; m++) {
      const readings = Array.from({ length: PER_MESSAGE }, (_, i) => {
        const n = m * PER_MESSAGE + i;
        return { point: codes[n % POINTS], value: n / 10, ts: base + Math.floor(n / POINTS) };
      });
      await client!.publishAsync(`v1/gateways/${gw.code}/telemetry`, JSON.stringify({ seq: base + m, readings }), { qos: 1 });
    }
  };

  beforeAll(async () => {
    db = await createTestDatabase('influx_outage');
    influx = new InfluxdProcess();
    await influx.start();
    spool = tempDir('sw-spool-');
    const points = Object.fromEntries(Array.from({ length: POINTS }, (_, i) => [`T-${i}`, 'temperature']));
    gw = await registerGateway(db.url, { uscc: testUscc(11), code: 'GW-OUTAGE', points });
    config = ingestConfigSchema.parse({
      DATABASE_URL: db.url,
      INFLUX_URL: influx.url,
      SERVICE_MQTT_PASSWORD: randomSecret(),
      MQTT_PORT: String(await freePort()),
      MQTT_BIND: '127.0.0.1',
      INGEST_HTTP_PORT: '0',
      SPOOL_DIR: spool.path,
      INFLUX_BATCH_SIZE: '1000',
      INFLUX_FLUSH_MS: '50',
      LOG_LEVEL: 'error',
    });
    app = await bootstrapIngest(config);
    client = await connectMqtt(`mqtt://127.0.0.1:${config.MQTT_PORT}`, { username: gw.code, password: gw.password });
  });

  afterAll(async () => {
    await client?.endAsync(true);
    await app?.close();
    await influx?.cleanup();
    await db?.drop();
    spool?.remove();
  });

  it('writes all 10,000 readings published during an outage once InfluxDB is back, none twice', async () => {
    await influx.stop();
    await publishBurst(Date.now() - 7_200_000);
    await waitFor(async () => (await metric('ingest_readings_spooled_total')) === 10_000, { what: '10,000 readings spooled', timeoutMs: 30_000 });
    expect(await metric('ingest_readings_written_total')).toBe(0);

    await influx.start();
    await waitFor(async () => (await stored()) === 10_000, { what: '10,000 readings in InfluxDB', timeoutMs: 60_000, intervalMs: 500 });
    await waitFor(async () => (await metric('ingest_spool_bytes')) === 0, { what: 'the spool to drain', timeoutMs: 10_000 });
    // every batch was written exactly once: nothing re-sent after it had been acknowledged
    expect(await metric('ingest_readings_written_total')).toBe(10_000);
    expect(await metric('ingest_readings_dropped_total')).toBe(0);
  });

  it('keeps spooled readings across an ingest restart', async () => {
    await influx.stop();
    await publishBurst(Date.now() - 3_600_000);
    await waitFor(async () => (await metric('ingest_readings_spooled_total')) === 20_000, { what: 'the second burst spooled', timeoutMs: 30_000 });
    await client!.endAsync(true);
    await app!.close(); // a normal shutdown with InfluxDB away leaves the spool on disk
    app = null;

    await influx.start();
    app = await bootstrapIngest(config);
    await waitFor(async () => (await stored()) === 20_000, { what: '20,000 readings in InfluxDB', timeoutMs: 60_000, intervalMs: 500 });
    client = await connectMqtt(`mqtt://127.0.0.1:${config.MQTT_PORT}`, { username: gw.code, password: gw.password });
  });
});
