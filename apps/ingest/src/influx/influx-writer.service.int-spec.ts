/**
 * docs/architecture.md "What nothing lost means": with InfluxDB down and the spool unable to take
 * more, the writer holds batches in memory and does not count them durable (the embedded broker's
 * PUBACKs wait on `durable()`); when InfluxDB answers again they are written and nothing is dropped.
 * Real influxd (stopped and started again on its port), a real spool folder; the writer without Nest.
 */
import { Logger } from '@nestjs/common';
import { rmSync, writeFileSync } from 'node:fs';
import { holdFor, InfluxdProcess, randomSecret, tempDir, waitFor } from '@sw/testing';
import { ingestConfigSchema, type IngestConfig } from '../config/ingest.config';
import { MetricsService } from '../observability/metrics.service';
import { InfluxWriterService } from './influx-writer.service';
import { linePrefixBytes } from './line-protocol';

const DB = 'writer_spec';
const PER_BATCH = 100;

describe(InfluxWriterService.name, () => {
  let influx: InfluxdProcess;
  let spool: { path: string; remove: () => void };
  let sut: InfluxWriterService | null = null;
  let metrics: MetricsService;

  const value = async (metric: { get(): Promise<{ values: { value: number }[] }> }): Promise<number> => (await metric.get()).values[0]?.value ?? 0;
  const stored = async (gateway: string): Promise<number> => {
    const series = await influx.query(DB, `SELECT count(value) FROM reading WHERE gateway = '${gateway}'`);
    return Number(series[0]?.values[0]?.[1] ?? 0);
  };
  const factory = {
    sut: async (overrides: Partial<IngestConfig> = {}): Promise<InfluxWriterService> => {
      const config: IngestConfig = {
        ...ingestConfigSchema.parse({ INFLUX_URL: influx.url, INFLUX_DB: DB, SERVICE_MQTT_PASSWORD: randomSecret(), SPOOL_DIR: spool.path, INFLUX_FLUSH_MS: '60000', INFLUX_BATCH_SIZE: '50000' }),
        ...overrides,
      };
      metrics = new MetricsService();
      sut = new InfluxWriterService(config, metrics);
      await sut.onModuleInit();
      return sut;
    },
    /** `PER_BATCH` readings of one gateway's point, cut as one batch */
    batch: (writer: InfluxWriterService, gateway: string, n: number): void => {
      const prefix = linePrefixBytes({ enterprise: 'e1', gateway, point: 'p1', type: 'co', region: '320000' });
      const base = Date.now() - 3_600_000;
      for (let i = 0; i < PER_BATCH; i++) writer.write(prefix, i, 'good', base + n * PER_BATCH + i);
      writer.flush();
    },
  };
  /** durable() now, and whether it has settled */
  const durableNow = (writer: InfluxWriterService): { settled: () => boolean; done: Promise<void> } => {
    let settled = false;
    const done = writer.durable().then(() => void (settled = true));
    return { settled: () => settled, done };
  };

  beforeAll(async () => {
    Logger.overrideLogger(false);
    influx = new InfluxdProcess();
    await influx.start();
  });
  beforeEach(async () => {
    spool = tempDir('sw-writer-spool-');
    if (!influx.running) await influx.start();
  });
  afterEach(async () => {
    await sut?.onApplicationShutdown();
    sut = null;
    rmSync(spool.path, { recursive: true, force: true });
  });
  afterAll(async () => {
    await influx?.cleanup();
  });

  it('holds what the spool refuses at its bound, withholds durable() until InfluxDB answers, then writes everything', async () => {
    // docs/architecture.md nothing lost: at SPOOL_MAX_BYTES the spool refuses and the PUBACKs wait, nothing is dropped
    const writer = await factory.sut({ SPOOL_MAX_BYTES: 1 }); // an empty spool takes one batch, then it is full
    await influx.stop();
    factory.batch(writer, 'GW-BOUND', 0);
    await waitFor(async () => (await value(metrics.readingsSpooled)) === PER_BATCH, { what: 'the first batch spooled' });
    await writer.durable(); // a spooled batch is durable
    for (let n = 1; n <= 3; n++) factory.batch(writer, 'GW-BOUND', n);
    const all = durableNow(writer);
    await waitFor(() => writer.heldReadings === 3 * PER_BATCH, { what: 'three batches held in memory' });
    await holdFor(1500, 'the quiet window: InfluxDB down and the spool full, durable() (the PUBACKs) must not settle');
    expect(all.settled()).toBe(false);
    expect(await value(metrics.readingsHeld)).toBe(3 * PER_BATCH);

    await influx.start();
    await all.done; // the held batches were written (they go first: their PUBACKs wait)
    expect(await stored('GW-BOUND')).toBeGreaterThanOrEqual(3 * PER_BATCH);
    await waitFor(() => writer.spooledBatches === 0, { what: 'the spool drained' });
    expect(await stored('GW-BOUND')).toBe(4 * PER_BATCH);
    expect(writer.heldReadings).toBe(0);
    expect(await value(metrics.readingsHeld)).toBe(0);
    expect(await value(metrics.readingsWritten)).toBe(4 * PER_BATCH);
    expect(await value(metrics.readingsDropped)).toBe(0);
  });

  it('holds what the spool cannot write (its disk failing), and writes it once InfluxDB answers', async () => {
    // docs/architecture.md nothing lost: a disk error (ENOSPC in the field) is not a reason to drop acknowledged readings
    const writer = await factory.sut();
    rmSync(spool.path, { recursive: true });
    writeFileSync(spool.path, 'a file where the spool folder was: every write fails (ENOTDIR)');
    await influx.stop();
    for (let n = 0; n < 2; n++) factory.batch(writer, 'GW-DISK', n);
    const all = durableNow(writer);
    await waitFor(() => writer.heldReadings === 2 * PER_BATCH, { what: 'two batches held in memory' });
    await holdFor(1500, 'the quiet window: InfluxDB down and the spool failing, durable() must not settle');
    expect(all.settled()).toBe(false);
    expect(await value(metrics.readingsSpooled)).toBe(0);

    await influx.start();
    await all.done;
    expect(await stored('GW-DISK')).toBe(2 * PER_BATCH);
    expect(await value(metrics.readingsDropped)).toBe(0);
  });

  it('gives up the oldest held batch beyond INFLUX_HOLD_MAX_READINGS, counted, and keeps the rest', async () => {
    // docs/architecture.md nothing lost: the last resort when disk and memory are both exhausted is loud and counted
    const writer = await factory.sut({ INFLUX_HOLD_MAX_READINGS: 2 * PER_BATCH });
    rmSync(spool.path, { recursive: true });
    writeFileSync(spool.path, 'no spool');
    await influx.stop();
    for (let n = 0; n < 3; n++) factory.batch(writer, 'GW-HOLD', n);
    const all = durableNow(writer);
    await waitFor(async () => (await value(metrics.readingsDropped)) === PER_BATCH, { what: 'the oldest held batch given up' });
    expect(writer.heldReadings).toBe(2 * PER_BATCH);
    expect(all.settled()).toBe(false);

    await influx.start();
    await all.done;
    expect(await stored('GW-HOLD')).toBe(2 * PER_BATCH);
    expect(await value(metrics.readingsDropped)).toBe(PER_BATCH);
  });
});
