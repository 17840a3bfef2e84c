import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { InfluxDB } from 'influx';
import { INGEST_CONFIG, type IngestConfig } from '../config/ingest.config';
import { MetricsService } from '../observability/metrics.service';
import { DiskSpool } from './disk-spool';
import { HeldBatches, type QueuedBatch } from './held-batches';
import { InfluxHttpClient, InfluxWriteError } from './influx-http.client';
import { LineBatch } from './line-protocol';
import { SettledInOrder } from './settled-in-order';

const MAX_BACKOFF_MS = 10_000;

/**
 * Batches accepted readings into InfluxDB v1 `/write` calls (ms precision), flushed by size or
 * interval. A failed batch goes to a bounded on-disk spool; while anything is spooled, new batches
 * queue behind it so the spool drains in order once InfluxDB answers again. A batch the spool cannot
 * take (at its bound, or its disk failing) is held in memory and not counted durable, so the PUBACKs
 * wait for InfluxDB (docs/architecture.md, "What nothing lost means").
 */
@Injectable()
export class InfluxWriterService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(InfluxWriterService.name);
  readonly influx: InfluxDB;
  private readonly spool: DiskSpool;
  private readonly held: HeldBatches;
  /** when batches began to be held (for one warning per episode, not one per batch) */
  private holdingSince: number | null = null;
  private batch = new LineBatch();
  private readonly http: InfluxHttpClient;
  private queue: QueuedBatch[] = [];
  private queued = 0;
  private batchStartedAt = 0;
  private inFlight = 0;
  private readonly settled = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private draining = false;
  private backoffMs = 500;
  private databaseReady = false;
  private stopping = false;
  /** batches cut so far, and the highest number up to which every batch is durable (in InfluxDB, spooled, refused, or given up) */
  private cut = 0;
  private readonly durableBatches = new SettledInOrder();

  constructor(
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
    private readonly metrics: MetricsService,
  ) {
    const url = new URL(config.INFLUX_URL);
    this.influx = new InfluxDB({
      host: url.hostname,
      port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
      protocol: url.protocol === 'https:' ? 'https' : 'http',
      database: config.INFLUX_DB,
      username: config.INFLUX_USERNAME,
      password: config.INFLUX_PASSWORD,
      pool: { maxRetries: 0, requestTimeout: 10_000 },
    });
    this.http = new InfluxHttpClient(config.INFLUX_URL, config.INFLUX_DB, config.INFLUX_USERNAME, config.INFLUX_PASSWORD);
    this.spool = new DiskSpool(config.SPOOL_DIR, config.SPOOL_MAX_BYTES);
    this.held = new HeldBatches(config.INFLUX_HOLD_MAX_READINGS);
  }

  async onModuleInit(): Promise<void> {
    await this.spool.open();
    this.metrics.spoolBytes.set(this.spool.bytes);
    if (this.spool.length > 0) {
      this.logger.warn(`${this.spool.length} spooled batches from a previous run will be written first`);
    }
    this.timer = setInterval(() => this.flush(), this.config.INFLUX_FLUSH_MS);
    this.timer.unref();
    void this.ensureDatabase().catch((err: Error) => this.logger.warn(`InfluxDB not ready yet: ${err.message}`));
    if (this.spool.length > 0) this.drain();
  }

  /**
   * Accepts one reading; never blocks and never throws. `prefix` is the point's line prefix
   * (`linePrefixBytes`), `value` NaN for a bad reading without one.
   */
  write(prefix: Uint8Array, value: number, quality: string, tsMs: number): void {
    if (this.batch.count === 0) this.batchStartedAt = performance.now();
    this.batch.add(prefix, value, quality, tsMs);
    if (this.batch.count >= this.config.INFLUX_BATCH_SIZE) this.flush();
  }

  /** Readings accepted but not yet acknowledged by InfluxDB or spooled (held ones included). */
  get pending(): number {
    return this.batch.count + this.queued + this.held.readings;
  }

  get spooledBatches(): number {
    return this.spool.length;
  }

  /** Readings held in memory because the spool could not take them. */
  get heldReadings(): number {
    return this.held.readings;
  }

  /**
   * Settles once every reading written so far is durable: acknowledged by InfluxDB, or in the spool
   * (fsync'd), or counted as refused or dropped. A held batch is none of these, so this waits for
   * InfluxDB. The embedded broker holds a gateway's PUBACK on it (docs/architecture.md, "What
   * nothing lost means"). Waiters settle in the order they asked.
   */
  durable(): Promise<void> {
    return this.durableBatches.upTo(this.batch.count > 0 ? this.cut + 1 : this.cut);
  }

  private batchDone(no: number): void {
    this.durableBatches.settle(no);
  }

  flush(): void {
    if (this.batch.count === 0) return;
    const { body, bytes, count } = this.batch.take();
    this.queue.push({ no: ++this.cut, body, bytes, count, cutAt: this.batchStartedAt });
    this.queued += count;
    this.pump();
  }

  /**
   * Sends queued batches while fewer than INFLUX_MAX_IN_FLIGHT writes are open. During an outage
   * (anything spooled or held) the queue goes to the spool instead, so the spool stays in order; a
   * queue grown past INFLUX_MAX_QUEUED readings also goes to disk rather than growing the heap.
   */
  private pump(): void {
    const outage = this.spool.length > 0 || this.held.length > 0 || this.draining;
    while (this.queue.length > 0 && (outage || this.queued > this.config.INFLUX_MAX_QUEUED || this.inFlight < this.config.INFLUX_MAX_IN_FLIGHT)) {
      const next = this.queue.shift() as QueuedBatch;
      this.queued -= next.count;
      this.track(outage || this.inFlight >= this.config.INFLUX_MAX_IN_FLIGHT ? this.toSpool(next) : this.send(next));
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    this.flush();
    while (this.settled.size > 0) await Promise.allSettled([...this.settled]);
    // whatever could not be sent in time is kept on disk for the next start, held batches first
    const left = [...this.held.takeAll(), ...this.queue.splice(0)];
    this.queued = 0;
    let lost = 0;
    for (const b of left) {
      if (await this.spoolBatch(b)) this.batchDone(b.no);
      else lost += b.count;
    }
    // not durable, so not acknowledged: MQTT gateways send them again after the restart
    if (lost > 0) this.logger.error(`${lost} readings neither written nor spooled at shutdown; gateways resend them (no PUBACK), Modbus readings among them are lost`);
    this.metrics.readingsHeld.set(0);
    this.http.close();
  }

  /** Creates the database and the default retention policy (InfluxDB 1.x; idempotent). */
  async ensureDatabase(): Promise<void> {
    if (this.databaseReady) return;
    const db = this.config.INFLUX_DB;
    const duration = `${this.config.INFLUX_RETENTION_DAYS}d`;
    await this.influx.query(`CREATE DATABASE "${db}"`);
    const policies = await this.influx.showRetentionPolicies(db);
    const verb = policies.some((p) => p.name === 'raw') ? 'ALTER' : 'CREATE';
    await this.influx.query(`${verb} RETENTION POLICY "raw" ON "${db}" DURATION ${duration} REPLICATION 1 DEFAULT`);
    this.databaseReady = true;
  }

  private async send(batch: QueuedBatch): Promise<void> {
    const { no, body, count, cutAt } = batch;
    this.inFlight++;
    try {
      await this.ensureDatabase();
      await this.http.write(body);
      this.metrics.readingsWritten.inc(count);
      this.metrics.batchLatency.observe((performance.now() - cutAt) / 1000);
      this.batchDone(no);
    } catch (err) {
      this.metrics.influxWriteFailures.inc();
      if (this.isPermanent(err, count)) return this.batchDone(no);
      this.logger.warn(`InfluxDB write of ${count} readings failed, spooling: ${(err as Error).message}`);
      await this.toSpool(batch);
    } finally {
      this.inFlight--;
      this.pump();
    }
  }

  /** Spools a batch, or holds it when the spool cannot take it or holds some already (they stay first). */
  private async toSpool(batch: QueuedBatch): Promise<void> {
    if (this.held.length === 0 && (await this.spoolBatch(batch))) this.batchDone(batch.no);
    else this.hold(batch);
    this.metrics.spoolBytes.set(this.spool.bytes);
    this.drain();
  }

  /** true once the batch is in the spool (fsync'd); false at the spool's bound or when its disk fails. */
  private async spoolBatch({ body, count }: QueuedBatch): Promise<boolean> {
    let why: string;
    try {
      if (await this.spool.append(Buffer.concat(body), count)) {
        this.metrics.readingsSpooled.inc(count);
        return true;
      }
      why = `the spool is at SPOOL_MAX_BYTES (${this.config.SPOOL_MAX_BYTES} bytes)`;
    } catch (err) {
      why = `the spool cannot be written (${(err as Error).message})`;
    }
    if (this.holdingSince === null && !this.stopping) {
      this.holdingSince = Date.now();
      this.logger.warn(`${why}: holding readings in memory until InfluxDB answers; PUBACKs wait meanwhile (gateways keep their messages)`);
    }
    return false;
  }

  /** Not durable yet: the PUBACKs of its readings, and of every later one, wait for InfluxDB. */
  private hold(batch: QueuedBatch): void {
    this.metrics.readingsHeldTotal.inc(batch.count);
    for (const lost of this.held.push(batch)) {
      // the last resort: disk and memory both exhausted
      this.metrics.readingsDropped.inc(lost.count);
      this.logger.error(`InfluxDB down, the spool full and INFLUX_HOLD_MAX_READINGS (${this.config.INFLUX_HOLD_MAX_READINGS}) readings held: dropped the oldest ${lost.count} held readings`);
      this.batchDone(lost.no);
    }
    this.metrics.readingsHeld.set(this.held.readings);
  }

  /** Writes held batches, then spooled ones oldest first, with exponential backoff while InfluxDB is away. */
  private drain(): void {
    if (this.draining || this.stopping) return;
    this.draining = true;
    this.track(this.drainLoop());
  }

  private async drainLoop(): Promise<void> {
    try {
      while (!this.stopping && (await this.drainOne())) {
        this.metrics.spoolBytes.set(this.spool.bytes);
        this.metrics.readingsHeld.set(this.held.readings);
      }
      if (this.spool.length === 0 && this.held.length === 0) {
        if (this.holdingSince !== null) this.logger.log(`held readings written, ${Math.round((Date.now() - this.holdingSince) / 1000)} s after the first was held`);
        this.holdingSince = null;
        this.logger.log('spool drained');
      }
    } finally {
      this.draining = false;
      this.pump();
    }
  }

  /**
   * Writes the oldest held batch (the one whose PUBACKs wait), else the oldest spooled one; false
   * when there is neither. Batches are points keyed by series and time, so the order across batches
   * does not change what InfluxDB ends up with.
   */
  private async drainOne(): Promise<boolean> {
    const held = this.held.shift();
    const spooled = held ? null : await this.spool.peek();
    if (!held && !spooled) return false;
    const count = held?.count ?? (spooled?.segment.count as number);
    const written = async (): Promise<void> => {
      if (held) this.batchDone(held.no);
      else if (spooled) await this.spool.remove(spooled.segment);
    };
    try {
      await this.ensureDatabase();
      await this.http.write(held ? held.body : (spooled?.body as string));
      this.metrics.readingsWritten.inc(count);
      await written();
      this.backoffMs = 500;
    } catch (err) {
      this.metrics.influxWriteFailures.inc();
      if (this.isPermanent(err, count)) {
        await written();
        return true;
      }
      if (held) this.held.unshift(held);
      this.logger.warn(`InfluxDB still unavailable (${(err as Error).message}); retrying in ${this.backoffMs} ms`);
      await sleep(this.backoffMs);
      this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
    }
    return true;
  }

  /**
   * A 400 is InfluxDB refusing the data itself (e.g. a partial write: "points beyond retention
   * policy dropped=N"); the valid points of the batch are stored and sending it again cannot help,
   * so the refused ones are counted and logged instead of blocking the spool. A 404 means the
   * database vanished: create it again and retry. Anything else is worth retrying.
   */
  private isPermanent(err: unknown, count: number): boolean {
    const status = err instanceof InfluxWriteError ? err.status : null;
    if (status === 404) this.databaseReady = false;
    if (status !== 400) return false;
    const message = (err as Error).message;
    const dropped = Number(/dropped=(\d+)/.exec(message)?.[1] ?? count);
    this.metrics.readingsRefusedByInflux.inc(dropped);
    this.logger.error(`InfluxDB refused ${dropped} of ${count} readings: ${message.trim()}`);
    return true;
  }

  private track(task: Promise<void>): void {
    this.settled.add(task);
    void task.finally(() => this.settled.delete(task));
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
