import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { NotificationOutboxRepository, type OutboxRow } from '@sw/persistence';
import { randomUUID } from 'node:crypto';
import { ALERTING_CONFIG, type AlertingConfig } from '../config/alerting.config';
import { NotificationDeliveryService } from './notification-delivery.service';
import { NOTIFICATION_PROVIDERS, type NotificationProvider } from './providers/notification-provider.types';

/**
 * Schedules the notification outbox's delivery. Each turn claims up to NOTIFY_BATCH due rows under
 * a fresh lease (valid NOTIFY_LEASE_MS; `NotificationOutboxRepository.claimDue`) and hands them to
 * `NotificationDeliveryService`: one person's rows in order (so a digest can take the later ones
 * along), different people in parallel. A full batch goes on at once, otherwise the next turn is
 * NOTIFY_POLL_MS later; `poke()` runs one now (after an outbox insert we know of).
 */
@Injectable()
export class DeliveryWorkerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeliveryWorkerService.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly outbox: NotificationOutboxRepository,
    private readonly delivery: NotificationDeliveryService,
    @Inject(ALERTING_CONFIG) private readonly config: AlertingConfig,
    @Inject(NOTIFICATION_PROVIDERS) private readonly providers: readonly NotificationProvider[],
  ) {}

  onApplicationBootstrap(): void {
    if (this.providers.length > 0) this.schedule(0); // notifications off: nothing is queued either
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Runs one turn now (tests; and after an outbox insert we know of). */
  poke(): void {
    if (!this.running && this.providers.length > 0) this.schedule(0);
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.turn()
        .catch((err: Error) => this.logger.warn(`delivery turn failed: ${err.message}`))
        .then((claimed) => {
          this.running = null;
          // a full batch: go on at once; otherwise poll
          this.schedule(claimed === this.config.NOTIFY_BATCH ? 0 : this.config.NOTIFY_POLL_MS);
        });
    }, delay);
    this.timer.unref();
  }

  private async turn(): Promise<number> {
    const leaseEnd = performance.now() + this.config.NOTIFY_LEASE_MS; // taken before the claim: never later than the database's
    const rows = await this.outbox.claimDue(randomUUID(), this.config.NOTIFY_LEASE_MS, this.config.NOTIFY_BATCH);
    const byAddress = new Map<string, OutboxRow[]>();
    for (const row of rows) {
      const k = `${row.channel}|${row.address.to}`;
      byAddress.set(k, [...(byAddress.get(k) ?? []), row]);
    }
    const handled = new Set<string>(); // rows a digest took along
    await Promise.all(
      [...byAddress.values()].map(async (list) => {
        for (const row of list) {
          if (!handled.has(row.id)) await this.delivery.deliver(row, handled, leaseEnd).catch((err: Error) => this.logger.warn(`outbox row ${row.id}: ${err.message}`));
        }
      }),
    );
    return rows.length;
  }
}
