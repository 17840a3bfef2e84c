import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import { PROVINCE_ADAPTER, type ProvinceAdapter } from '../adapters/province-adapter.types';
import { UPLINK_CONFIG, type UplinkConfig } from '../config/uplink.config';
import { MetricsService } from '../observability/metrics.service';
import { OutboxRepository } from '../outbox/outbox.repository';
import { SourcesService } from '../sources/sources.service';
import { DeliveryWorkerService } from './delivery-worker.service';

/** Advisory-lock key of the uplink: one instance forwards, others wait as standby. */
const UPLINK_LOCK = 7_262_016;
const PRUNE_EVERY_MS = 3_600_000;

/**
 * Runs the uplink while this instance holds its PostgreSQL advisory lock (on a connection of its
 * own: the lock ends with the process, so a standby takes over at its next look). Two loops: the
 * sources fill the outbox, the delivery worker empties it; an outage upstream slows only the second.
 */
@Injectable()
export class UplinkRunnerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(UplinkRunnerService.name);
  private lock: Client | null = null;
  private stopped = false;
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private readonly loops: Promise<void>[] = [];
  private lastPrune = 0;
  active = false;

  constructor(
    private readonly sources: SourcesService,
    private readonly delivery: DeliveryWorkerService,
    private readonly outbox: OutboxRepository,
    private readonly metrics: MetricsService,
    @Inject(PROVINCE_ADAPTER) private readonly adapter: ProvinceAdapter | null,
    @Inject(UPLINK_CONFIG) private readonly config: UplinkConfig,
  ) {}

  get enabled(): boolean {
    return this.adapter !== null;
  }

  onApplicationBootstrap(): void {
    if (!this.adapter) {
      this.logger.log('UPLINK_ENDPOINT not set: the uplink is off');
      return;
    }
    void this.acquire();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    for (const [t, wake] of this.timers) {
      clearTimeout(t);
      wake();
    }
    await Promise.all(this.loops);
    this.adapter?.close();
    await this.lock?.end().catch(() => undefined);
  }

  private async acquire(): Promise<void> {
    while (!this.stopped) {
      try {
        const client = new Client({ connectionString: this.config.DATABASE_URL, application_name: 'uplink-lock' });
        client.on('error', (err) => this.lost(err));
        await client.connect();
        const [row] = (await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [UPLINK_LOCK])).rows;
        if (row?.ok) {
          this.lock = client;
          client.on('end', () => this.lost(new Error('lock connection ended')));
          break;
        }
        await client.end();
        this.logger.log('another uplink instance forwards: standing by');
      } catch (err) {
        this.logger.warn(`uplink lock: ${(err as Error).message}`);
      }
      await this.sleep(5000);
    }
    if (this.stopped || !this.adapter) return;
    this.active = true;
    this.metrics.active.set(1);
    await this.outbox.announce(this.adapter.id, this.adapter.endpoint);
    this.logger.log(`forwarding to ${this.adapter.endpoint} (${this.adapter.id})`);
    this.loops.push(this.loop('sources', () => this.sourcesTurn()), this.loop('delivery', () => this.delivery.turn()));
  }

  private lost(err: Error): void {
    if (this.stopped || !this.active) return;
    // without the lock another instance may start forwarding: stop now, the supervisor restarts us
    this.logger.error(`uplink lock lost (${err.message}): exiting`);
    process.exit(1);
  }

  private async sourcesTurn(): Promise<boolean> {
    const more = await this.sources.turn(Date.now());
    if (Date.now() - this.lastPrune > PRUNE_EVERY_MS) {
      this.lastPrune = Date.now();
      await this.outbox.prune(this.config.UPLINK_RETENTION_DAYS * 86_400_000);
    }
    return more;
  }

  private async loop(name: string, turn: () => Promise<boolean>): Promise<void> {
    while (!this.stopped) {
      let more = false;
      try {
        more = await turn();
      } catch (err) {
        this.logger.warn(`${name} turn failed: ${(err as Error).message}`);
      }
      if (!more) await this.sleep(this.config.UPLINK_POLL_MS);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.stopped) return resolve();
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.set(t, resolve);
    });
  }
}
