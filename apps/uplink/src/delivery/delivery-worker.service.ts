import { Inject, Injectable, Logger } from '@nestjs/common';
import { backoffDelayMs, type UplinkBatch, type UplinkMessage } from '@sw/uplink-protocol';
import { UPLINK_CONFIG, type UplinkConfig } from '../config/uplink.config';
import { PROVINCE_ADAPTER, type ProvinceAdapter } from '../adapters/province-adapter.types';
import { MetricsService } from '../observability/metrics.service';
import { OutboxRepository } from '../outbox/outbox.repository';
import type { QueueHead } from '../outbox/outbox.types';

/**
 * Sends the outbox (docs/contracts.md §6 "Delivery"): per enterprise one batch in flight, the
 * oldest undelivered messages first in sequence order; up to UPLINK_PARALLEL enterprises at once,
 * those whose oldest waiting record is oldest first, so a long backlog of one enterprise does not
 * hold the others. A batch is marked delivered only after the province's OK: a crash in between
 * sends it again with the same ids, which the province counts as duplicates.
 */
@Injectable()
export class DeliveryWorkerService {
  private readonly logger = new Logger(DeliveryWorkerService.name);

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly metrics: MetricsService,
    @Inject(PROVINCE_ADAPTER) private readonly adapter: ProvinceAdapter | null,
    @Inject(UPLINK_CONFIG) private readonly config: UplinkConfig,
  ) {}

  /** One turn; true when there is more due right away. */
  async turn(): Promise<boolean> {
    if (!this.adapter) return false;
    const due = (await this.outbox.heads()).filter((h) => h.due);
    const now = due.slice(0, this.config.UPLINK_PARALLEL);
    const results = await Promise.all(now.map((head) => this.sendOne(head).catch((err: Error) => (this.logger.warn(`enterprise ${head.enterprise_id}: ${err.message}`), false))));
    return due.length > now.length || results.some((full) => full);
  }

  /** Sends the next batch of one enterprise; true when the batch was full and delivered (more may wait). */
  private async sendOne(head: QueueHead): Promise<boolean> {
    const adapter = this.adapter as ProvinceAdapter;
    const rows = await this.outbox.batch(head.enterprise_id, this.config.UPLINK_BATCH_SIZE);
    const first = rows[0];
    const last = rows[rows.length - 1];
    if (!first || !last) return false;
    const batch: UplinkBatch = {
      version: 1,
      sender: this.config.UPLINK_SENDER_ID,
      enterprise: { id: head.enterprise_id, uscc: head.uscc, name: head.name, regionCode: head.region_code },
      messages: rows.map((r): UplinkMessage => ({ id: r.message_id, seq: Number(r.seq), type: r.type, at: r.source_at.toISOString(), data: r.payload })),
    };
    const stop = this.metrics.requestSeconds.startTimer();
    const outcome = await adapter.send(batch);
    stop();
    this.metrics.requests.inc({ outcome: outcome.kind });
    switch (outcome.kind) {
      case 'delivered': {
        await this.outbox.markDelivered(head.enterprise_id, first.seq, last.seq);
        for (const r of rows) this.metrics.delivered.inc({ type: r.type });
        this.metrics.lastSuccess.set(Date.now() / 1000);
        return rows.length === this.config.UPLINK_BATCH_SIZE;
      }
      case 'gap':
        this.metrics.failures.inc({ code: outcome.code });
        this.logger.warn(`province expects seq ${outcome.expectedSeq} of enterprise ${head.enterprise_id} (sent ${first.seq}…${last.seq}): sending from there`);
        await this.outbox.rewind(head.enterprise_id, outcome.expectedSeq);
        return true;
      case 'retry': {
        this.metrics.failures.inc({ code: outcome.code });
        const delay = outcome.afterMs ?? backoffDelayMs(first.attempts + 1, { baseMs: this.config.UPLINK_BACKOFF_MS, maxMs: this.config.UPLINK_BACKOFF_MAX_MS }, Math.random);
        if (first.attempts === 0) this.logger.warn(`enterprise ${head.enterprise_id}: ${outcome.reason}; retrying in ${delay} ms`);
        await this.outbox.markFailed(first.id, delay, outcome.reason);
        return false;
      }
    }
  }
}
