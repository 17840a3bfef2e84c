import { Injectable, Logger } from '@nestjs/common';
import { AlarmStore, NotificationOutboxRepository, type CommittedEvent, type ReceiptRow } from '@sw/persistence';
import { alarmNotFound, notified, type NotificationOutcome } from '@sw/rules';
import { TOPICS } from '@sw/sensors';
import { BrokerService } from '../broker/broker.service';
import { MetricsService } from '../observability/metrics.service';
import { recipientLabel } from './notification-message.factory';

/** One vendor delivery receipt: the message (by our dedup key) arrived, or did not and why. */
export interface DeliveryReceipt {
  provider: string;
  dedupKey: string;
  vendorId: string | null;
  delivered: boolean;
  reason: string | null;
}

/** The receipt was recorded already (a repeated push): roll the second `notified` event back. */
class Duplicate extends Error {}

/**
 * Records delivery receipts. Each receipt for a message we sent becomes a `notified` event
 * (`delivered`, or `failed` with the vendor's code) on the alarm's timeline, once: receipts are not
 * idempotent (vendors push again), so `delivered_at` is set in the same transaction and a second
 * receipt changes nothing. A hazard notice's or reminder's receipt is recorded on its row only.
 * The committed event is then published on `internal/events`; a failed publish is logged and
 * counted (`alerting_event_publish_failures_total`), the live feed reads the event from PostgreSQL.
 */
@Injectable()
export class ReceiptsService {
  private readonly logger = new Logger(ReceiptsService.name);

  constructor(
    private readonly outbox: NotificationOutboxRepository,
    private readonly store: AlarmStore,
    private readonly broker: BrokerService,
    private readonly metrics: MetricsService,
  ) {}

  async record(receipts: readonly DeliveryReceipt[]): Promise<void> {
    for (const r of receipts) await this.recordOne(r);
  }

  private async recordOne(r: DeliveryReceipt): Promise<void> {
    const row = await this.outbox.forReceipt(r.dedupKey, r.provider);
    if (!row) return;
    if (row.alarm_id === null) {
      if (r.delivered) await this.outbox.markDelivered(r.dedupKey);
      else await this.outbox.recordReceiptFailure(r.dedupKey, r.reason);
      return;
    }
    try {
      const alarmId = row.alarm_id;
      const outcome = await this.store.transition(
        { id: alarmId },
        '',
        (alarm) => (alarm ? notified(alarm, this.notice(r, row)) : alarmNotFound(alarmId)),
        async (em) => {
          if (!(await this.outbox.markDelivered(r.dedupKey, em))) throw new Duplicate();
        },
      );
      if (outcome.ok) for (const e of outcome.events) this.announce(e);
    } catch (err) {
      if (!(err instanceof Duplicate)) this.logger.warn(`receipt for ${r.dedupKey}: ${(err as Error).message}`);
    }
  }

  private notice(r: DeliveryReceipt, row: ReceiptRow): NotificationOutcome {
    return {
      at: Date.now(),
      channel: r.provider,
      recipient: recipientLabel(row),
      outcome: r.delivered ? 'delivered' : 'failed',
      reason: r.reason ?? `receipt for ${r.vendorId ?? r.dedupKey}`,
    };
  }

  private announce(e: CommittedEvent): void {
    this.broker.publish(TOPICS.events, JSON.stringify(e), (err) => {
      if (!err) return this.metrics.eventsPublished.inc();
      this.metrics.eventPublishFailures.inc();
      this.logger.warn(`publishing event ${e.seq} failed: ${err.message} (it is committed; the live feed reads it from PostgreSQL)`);
    });
  }
}
