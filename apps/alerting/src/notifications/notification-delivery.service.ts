import { Inject, Injectable, Logger } from '@nestjs/common';
import { AlarmStore, NotificationOutboxRepository, type CommittedEvent, type OutboxOutcome, type OutboxRow, type TransitionOutcome } from '@sw/persistence';
import { alarmNotFound, notified, type AlarmSnapshot } from '@sw/rules';
import { TOPICS } from '@sw/sensors';
import { AlarmTrackerService } from '../alarms/alarm-tracker.service';
import { BrokerService } from '../broker/broker.service';
import { ALERTING_CONFIG, type AlertingConfig } from '../config/alerting.config';
import { MetricsService } from '../observability/metrics.service';
import { judgeSend, outcomeReason, recordable, type RetryPolicy } from './delivery-retry.rule';
import { outgoingMessage, recipientLabel } from './notification-message.factory';
import { NOTIFICATION_PROVIDERS, type NotificationProvider } from './providers/notification-provider.types';

/** The row's lease was taken over (we were too slow): roll the outcome back, the new holder records it. */
class LeaseLost extends Error {}

/** No send starts this close to the end of the row's lease (the next holder might look it up first): 2 s, or a quarter of a shorter lease. */
const leaseMargin = (leaseMs: number) => Math.min(2000, leaseMs / 4);

/**
 * Delivers one claimed outbox row: sends it through its current provider with the row's dedup key
 * as the idempotency key, and commits the outcome as a `notified` event through
 * `AlarmStore.transition` in ONE transaction with the row's new state, guarded by the lease id.
 * A crash after the send and before that commit leaves the row leased: after the lease its next
 * holder gets it `resumed` and first asks the provider whether the key went out (`findSent`, e.g.
 * Aliyun's QuerySendDetails); found, it is recorded as sent without a second message. Providers
 * without a lookup (and a lookup that fails) send again with the same key: vendors that honour
 * it (WeChat) drop the repeat, SMS would reach the phone twice, which beats not at all. A send
 * never starts within 2 s of the lease's end (a hung process resuming late).
 * What a result means (retry, fallback, failed) is `judgeSend`'s; a recipient over the rate limit
 * gets the rest in one digest when the window allows again. Repeats are dropped once the alarm is
 * acknowledged, shelved, suppressed or closed. Scheduling is the DeliveryWorkerService's.
 */
@Injectable()
export class NotificationDeliveryService {
  private readonly logger = new Logger(NotificationDeliveryService.name);
  private readonly retry: RetryPolicy;
  /** Outcomes committed by this process. */
  delivered = 0;

  constructor(
    private readonly outbox: NotificationOutboxRepository,
    private readonly store: AlarmStore,
    private readonly broker: BrokerService,
    private readonly tracker: AlarmTrackerService,
    private readonly metrics: MetricsService,
    @Inject(ALERTING_CONFIG) private readonly config: AlertingConfig,
    @Inject(NOTIFICATION_PROVIDERS) private readonly providers: readonly NotificationProvider[],
  ) {
    this.retry = { attemptsPerProvider: config.NOTIFY_ATTEMPTS_PER_PROVIDER, backoffMs: config.NOTIFY_BACKOFF_MS };
  }

  /**
   * Delivers `row`, claimed under a lease that ends at `leaseEnd` (`performance.now()` time); rows
   * a digest took along are added to `handled`.
   */
  async deliver(row: OutboxRow, handled: Set<string>, leaseEnd = Number.POSITIVE_INFINITY): Promise<void> {
    const gate = await this.gate(row);
    if (gate) return this.commit(row, { kind: 'cancelled', reason: gate });
    const provider = this.providers.find((p) => p.id === row.providers[row.step]);
    if (!provider) return this.commit(row, { kind: 'failed', provider: row.channel, reason: row.providers.length === 0 ? 'no contact address for this channel' : 'provider not configured' });
    if (row.resumed && provider.findSent) {
      const found = await provider.findSent(outgoingMessage(row, [], this.config.CONSOLE_BASE_URL), new Date(row.created_at));
      this.metrics.resumedLookups.inc({ result: found.sent === true ? 'sent' : found.sent === false ? 'not_sent' : 'unknown' });
      if (found.sent) return this.commit(row, { kind: 'sent', provider: provider.id, messageId: found.messageId, reason: 'found at the vendor after its sender stopped: not sent again' });
      if (found.sent === null) this.logger.warn(`outbox row ${row.id}: resumed, and ${provider.id} could not say whether it went out (${found.reason}); sending again`);
    }

    const digest = await this.rateLimit(row);
    if (digest === 'wait') return;
    if (performance.now() > leaseEnd - leaseMargin(this.config.NOTIFY_LEASE_MS)) {
      // too late to send under this lease: give the rows up, the next holder sends them
      this.metrics.expiringLeases.inc();
      for (const d of [row, ...digest]) await this.outbox.release(d);
      return;
    }
    for (const d of digest) handled.add(d.id);
    const result = await provider.send(outgoingMessage(row, digest, this.config.CONSOLE_BASE_URL));
    const outcome = judgeSend(row, provider.id, result, this.retry);
    if (digest.length > 0 && outcome.kind === 'sent') {
      for (const d of digest) await this.commit(d, { ...outcome, reason: `digest with ${row.dedup_key}` });
      return this.commit(row, { ...outcome, reason: `digest of ${digest.length + 1} messages` });
    }
    for (const d of digest) await this.outbox.release(d);
    return this.commit(row, outcome);
  }

  /**
   * Why the row is no longer to be sent, or null. A hazard notice: an overdue escalation is
   * dropped once the hazard is signed off or rejected. An alarm's repeat: once the alarm is
   * acknowledged, shelved, suppressed or closed. Rows written without providers (hazard notices
   * and upward reminders, by the api) get the configured ones that reach their address.
   */
  private async gate(row: OutboxRow): Promise<string | null> {
    if (row.hazard_id !== null) {
      const status = await this.outbox.hazardStatus(row.hazard_id);
      if (!status) return 'hazard deleted';
      if (row.kind === 'hazard_overdue' && (status === 'signed_off' || status === 'rejected')) return `hazard ${status} before the escalation was sent`;
    } else if (row.reminder_id === null) {
      const current = row.alarm_id === null ? null : await this.store.get(row.alarm_id);
      if (!current) return 'alarm deleted';
      if (row.kind === 'repeat' && stopsRepeats(current.alarm)) return 'acknowledged, shelved, suppressed or closed before the repeat';
      return null;
    }
    await this.chooseProviders(row);
    return null;
  }

  private async chooseProviders(row: OutboxRow): Promise<void> {
    if (row.providers.length > 0) return;
    row.providers = this.providers.filter((p) => p.channel === row.channel && p.reaches(row.address)).map((p) => p.id);
    await this.outbox.setProviders(row, row.providers);
  }

  /**
   * Over the limit: the row waits for the window (as a digest). Under it, a row marked digest
   * takes along the other waiting rows of the same address (claimed under its lease).
   */
  private async rateLimit(row: OutboxRow): Promise<OutboxRow[] | 'wait'> {
    const window = this.config.NOTIFY_RATE_WINDOW_S;
    const { count, oldest } = await this.outbox.recentSends(row, window);
    if (count >= this.config.NOTIFY_RATE_LIMIT) {
      await this.outbox.deferAsDigest(row, new Date((oldest?.getTime() ?? Date.now()) + window * 1000));
      return 'wait';
    }
    return row.digest ? this.outbox.claimDigest(row, this.config.NOTIFY_LEASE_MS) : [];
  }

  /**
   * Records an outcome, retrying a failed write (PostgreSQL restarted, our session cut) with backoff
   * for up to half the row's lease. The message is already sent: giving up here would leave the row
   * leased and have it sent again when the lease runs out. Retrying is safe: the write is guarded by
   * the lease, so if an earlier attempt did commit, the next one finds the lease released and does
   * nothing (LeaseLost).
   */
  private async commit(row: OutboxRow, outcome: OutboxOutcome): Promise<void> {
    const until = Date.now() + this.config.NOTIFY_LEASE_MS / 2;
    for (let delay = 100; ; delay = Math.min(delay * 2, 2000)) {
      try {
        return await this.commitOnce(row, outcome);
      } catch (err) {
        if (Date.now() + delay >= until) throw err;
        this.metrics.outcomeWriteRetries.inc();
        this.logger.warn(`outbox row ${row.id}: recording its outcome failed (${(err as Error).message}); retrying in ${delay} ms`);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  /** The `notified` event and the row's new state in one transaction, guarded by our lease. */
  private async commitOnce(row: OutboxRow, outcome: OutboxOutcome): Promise<void> {
    if (!recordable(outcome)) {
      await this.outbox.record(row, outcome);
      return;
    }
    if (row.alarm_id === null) {
      // a hazard notice or a reminder: the row is its record (a hazard's timeline holds transitions only)
      await this.outbox.record(row, outcome);
      this.delivered++;
      return;
    }
    const alarmId = row.alarm_id;
    const reason = outcomeReason(row, outcome);
    let result: TransitionOutcome;
    try {
      result = await this.store.transition(
        { id: alarmId },
        '',
        (alarm) =>
          alarm
            ? notified(alarm, { at: Date.now(), channel: 'provider' in outcome ? outcome.provider : row.channel, recipient: recipientLabel(row), outcome: outcome.kind === 'sent' ? 'sent' : 'failed', ...(reason ? { reason } : {}) })
            : alarmNotFound(alarmId),
        async (em) => {
          if (!(await this.outbox.record(row, outcome, em))) throw new LeaseLost();
        },
      );
    } catch (err) {
      if (err instanceof LeaseLost) return this.logger.warn(`outbox row ${row.id}: lease lost; its new holder records the outcome`);
      throw err;
    }
    if (!result.ok) {
      await this.outbox.record(row, outcome);
      return;
    }
    this.delivered++;
    this.tracker.apply(result.alarm, 'own');
    for (const e of result.events) this.announce(e);
  }

  private announce(e: CommittedEvent): void {
    this.broker.publish(TOPICS.events, JSON.stringify(e), (err) => {
      if (!err) return this.metrics.eventsPublished.inc();
      this.metrics.eventPublishFailures.inc();
      this.logger.warn(`publishing event ${e.seq} failed: ${err.message} (it is committed; the live feed reads it from PostgreSQL)`);
    });
  }
}

function stopsRepeats(alarm: AlarmSnapshot): boolean {
  return alarm.acknowledged || alarm.stage === 'closed' || alarm.shelvedUntil !== null || alarm.suppressed;
}
