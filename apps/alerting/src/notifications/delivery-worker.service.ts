import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AlarmStore, type CommittedEvent, type TransitionOutcome } from '@sw/persistence';
import { alarmNotFound, notified, type AlarmSnapshot } from '@sw/rules';
import { TOPICS } from '@sw/sensors';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { AlarmTrackerService } from '../alarms/alarm-tracker.service';
import { BrokerService } from '../broker/broker.service';
import { ALERTING_CONFIG, type AlertingConfig } from '../config/alerting.config';
import type { OutboxRow } from './outbox.types';
import { NOTIFICATION_PROVIDERS, type NotificationProvider, type OutgoingMessage, type SendResult } from './providers/notification-provider.types';

/** The row's lease was taken over (we were too slow): roll the outcome back, the new holder records it. */
class LeaseLost extends Error {}

type Outcome =
  | { kind: 'sent'; provider: string; messageId: string; reason: string | null }
  | { kind: 'retry'; provider: string; reason: string; delayMs: number; countsAttempt: boolean }
  | { kind: 'fallback'; provider: string; reason: string }
  | { kind: 'failed'; provider: string; reason: string }
  | { kind: 'cancelled'; reason: string };

/**
 * Delivers the notification outbox. Each turn claims due rows with `FOR UPDATE SKIP LOCKED` and a
 * lease (a fresh lease id, valid NOTIFY_LEASE_MS), sends each through its current provider with the
 * row's dedup key as the idempotency key, and commits the outcome as a `notified` event through
 * `AlarmStore.transition` in ONE transaction with the row's new state, guarded by the lease id.
 * A crash after the send and before that commit leaves the row leased: after the lease it is sent
 * again with the same key (vendors that honour one drop the repeat), and recorded once.
 * Retryable errors back off exponentially on the same provider; after NOTIFY_ATTEMPTS_PER_PROVIDER
 * (or a permanent error) the next provider of the row (fallback) takes over. A recipient over the
 * rate limit gets the rest in one digest when the window allows again. Repeats are dropped once the
 * alarm is acknowledged, shelved, suppressed or closed.
 */
@Injectable()
export class DeliveryWorkerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeliveryWorkerService.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  /** Outcomes committed by this process (for /metrics-like checks in tests). */
  delivered = 0;

  constructor(
    private readonly ds: DataSource,
    private readonly store: AlarmStore,
    private readonly broker: BrokerService,
    private readonly tracker: AlarmTrackerService,
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
    const lease = randomUUID();
    const rows: OutboxRow[] = await this.ds.query(
      `WITH due AS (
         SELECT id FROM notification_outbox
          WHERE status = 'pending' AND next_attempt_at <= now() AND (lease_until IS NULL OR lease_until < now())
          ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED),
       claimed AS (
         UPDATE notification_outbox o SET lease_id = $1, lease_until = now() + $2 * interval '1 millisecond', attempts = o.attempts + 1
           FROM due WHERE o.id = due.id RETURNING o.*)
       SELECT * FROM claimed ORDER BY id`,
      [lease, this.config.NOTIFY_LEASE_MS, this.config.NOTIFY_BATCH],
    );
    // one person's rows in order (digests), different people in parallel
    const byAddress = new Map<string, OutboxRow[]>();
    for (const row of rows) {
      const k = `${row.channel}|${row.address.to}`;
      byAddress.set(k, [...(byAddress.get(k) ?? []), row]);
    }
    const handled = new Set<string>(); // rows a digest took along
    await Promise.all(
      [...byAddress.values()].map(async (list) => {
        for (const row of list) {
          if (!handled.has(row.id)) await this.deliver(row, handled).catch((err: Error) => this.logger.warn(`outbox row ${row.id}: ${err.message}`));
        }
      }),
    );
    return rows.length;
  }

  private async deliver(row: OutboxRow, handled: Set<string>): Promise<void> {
    if (row.hazard_id !== null) {
      const gate = await this.hazardGate(row);
      if (gate) return this.commit(row, { kind: 'cancelled', reason: gate });
    } else if (row.reminder_id !== null) {
      await this.chooseProviders(row); // an upward-reporting reminder (written without providers)
    } else {
      const current = row.alarm_id === null ? null : await this.store.get(row.alarm_id);
      if (!current) return this.release(row, `UPDATE notification_outbox SET status = 'cancelled', last_error = 'alarm deleted', lease_id = NULL WHERE id = $1 AND lease_id = $2`);
      if (row.kind === 'repeat' && stopsRepeats(current.alarm)) return this.commit(row, { kind: 'cancelled', reason: 'acknowledged, shelved, suppressed or closed before the repeat' });
    }
    const provider = this.providers.find((p) => p.id === row.providers[row.step]);
    if (!provider) return this.commit(row, { kind: 'failed', provider: row.channel, reason: row.providers.length === 0 ? 'no contact address for this channel' : 'provider not configured' });

    const digest = await this.rateLimit(row);
    if (digest === 'wait') return;
    for (const d of digest) handled.add(d.id);
    const message: OutgoingMessage = {
      to: row.address,
      title: digest.length > 0 ? `【报警摘要】${row.title}（另有${digest.length}条）` : row.title,
      body: digest.length > 0 ? [row.body, ...digest.map((d) => `—— ${d.title}\n${d.body}`)].join('\n') : row.body,
      params: row.address.params,
      // hazard notices are written by the api, which knows no console URL: they carry the path
      link: row.address.link.startsWith('/') ? `${this.config.CONSOLE_BASE_URL.replace(/\/+$/, '')}${row.address.link}` : row.address.link,
      idempotencyKey: row.dedup_key,
    };
    const result = await provider.send(message);
    const outcome = this.judge(row, provider.id, result);
    if (digest.length > 0 && outcome.kind === 'sent') {
      for (const d of digest) await this.commit(d, { ...outcome, reason: `digest with ${row.dedup_key}` });
      return this.commit(row, { ...outcome, reason: `digest of ${digest.length + 1} messages` });
    }
    for (const d of digest) await this.release(d, `UPDATE notification_outbox SET lease_id = NULL, lease_until = NULL WHERE id = $1 AND lease_id = $2`);
    return this.commit(row, outcome);
  }

  private judge(row: OutboxRow, provider: string, result: SendResult): Outcome {
    if (result.ok) return { kind: 'sent', provider, messageId: result.messageId, reason: null };
    if (result.retryAfterMs !== undefined) return { kind: 'retry', provider, reason: result.reason, delayMs: result.retryAfterMs, countsAttempt: false };
    const attempts = row.step_attempts + 1;
    if (result.retryable && attempts < this.config.NOTIFY_ATTEMPTS_PER_PROVIDER) {
      return { kind: 'retry', provider, reason: result.reason, delayMs: this.config.NOTIFY_BACKOFF_MS * 2 ** (attempts - 1), countsAttempt: true };
    }
    if (row.step + 1 < row.providers.length) return { kind: 'fallback', provider, reason: result.reason };
    return { kind: 'failed', provider, reason: result.reason };
  }

  /**
   * Over the limit: the row waits for the window (as a digest). Under it, a row marked digest
   * takes along the other waiting rows of the same address (claimed under its lease).
   */
  private async rateLimit(row: OutboxRow): Promise<OutboxRow[] | 'wait'> {
    const window = this.config.NOTIFY_RATE_WINDOW_S;
    const [{ n, oldest }] = (await this.ds.query(
      `SELECT count(*)::int AS n, min(sent_at) AS oldest FROM notification_outbox
        WHERE channel = $1 AND address->>'to' = $2 AND status = 'sent' AND sent_at > now() - $3 * interval '1 second' AND id <> $4`,
      [row.channel, row.address.to, window, row.id],
    )) as [{ n: number; oldest: Date | null }];
    if (n >= this.config.NOTIFY_RATE_LIMIT) {
      const until = new Date((oldest?.getTime() ?? Date.now()) + window * 1000);
      await this.release(row, `UPDATE notification_outbox SET digest = true, next_attempt_at = $3, lease_id = NULL, lease_until = NULL WHERE id = $1 AND lease_id = $2`, [until]);
      return 'wait';
    }
    if (!row.digest) return [];
    return (await this.ds.query(
      `WITH w AS (
         SELECT id FROM notification_outbox
          WHERE channel = $1 AND address->>'to' = $2 AND status = 'pending' AND digest AND id <> $3 AND (lease_until IS NULL OR lease_until < now() OR lease_id = $4)
            AND kind <> 'hazard_overdue' -- goes on its own turn, past the sign-off check (hazardGate)
          ORDER BY id LIMIT 50 FOR UPDATE SKIP LOCKED),
       c AS (UPDATE notification_outbox o SET lease_id = $4, lease_until = now() + $5 * interval '1 millisecond' FROM w WHERE o.id = w.id RETURNING o.*)
       SELECT * FROM c ORDER BY id`,
      [row.channel, row.address.to, row.id, row.lease_id, this.config.NOTIFY_LEASE_MS],
    )) as OutboxRow[];
  }

  /**
   * A hazard notice: an overdue escalation is dropped once the hazard is signed off or rejected
   * (answers why); a row written without providers (by the api) gets the configured ones that
   * reach its address on its channel, kept on the row so retries and fallback walk the same list.
   */
  private async hazardGate(row: OutboxRow): Promise<string | null> {
    const rows: { status: string }[] = await this.ds.query(`SELECT status FROM hazards WHERE id = $1`, [row.hazard_id]);
    const status = rows[0]?.status;
    if (!status) return 'hazard deleted';
    if (row.kind === 'hazard_overdue' && (status === 'signed_off' || status === 'rejected')) return `hazard ${status} before the escalation was sent`;
    await this.chooseProviders(row);
    return null;
  }

  /** A row written without providers gets the configured ones that reach its address on its channel, kept on the row. */
  private async chooseProviders(row: OutboxRow): Promise<void> {
    if (row.providers.length > 0) return;
    row.providers = this.providers.filter((p) => p.channel === row.channel && p.reaches(row.address)).map((p) => p.id);
    await this.ds.query(`UPDATE notification_outbox SET providers = $3 WHERE id = $1 AND lease_id = $2`, [row.id, row.lease_id, row.providers]);
  }

  /** The `notified` event and the row's new state in one transaction, guarded by our lease. */
  private async commit(row: OutboxRow, outcome: Outcome): Promise<void> {
    const update = this.rowUpdate(outcome);
    const recordable = outcome.kind !== 'cancelled' && !(outcome.kind === 'retry' && !outcome.countsAttempt);
    if (!recordable) return this.release(row, update.sql, update.params);
    if (row.alarm_id === null) {
      // a hazard notice or a reminder: the row is its record (a hazard's timeline holds transitions only)
      await this.release(row, update.sql, update.params);
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
        async (em) => this.guarded(em, row, update.sql, update.params),
      );
    } catch (err) {
      if (err instanceof LeaseLost) return this.logger.warn(`outbox row ${row.id}: lease lost; its new holder records the outcome`);
      throw err;
    }
    if (!result.ok) return this.release(row, update.sql, update.params);
    this.delivered++;
    this.tracker.apply(result.alarm, 'own');
    for (const e of result.events) this.announce(e);
  }

  private rowUpdate(o: Outcome): { sql: string; params: unknown[] } {
    const head = `UPDATE notification_outbox SET lease_id = NULL, lease_until = NULL,`;
    const tail = `WHERE id = $1 AND lease_id = $2`;
    switch (o.kind) {
      case 'sent':
        return { sql: `${head} status = 'sent', provider = $3, provider_message_id = $4, sent_at = now(), last_error = NULL ${tail}`, params: [o.provider, o.messageId] };
      case 'retry':
        return {
          sql: `${head} step_attempts = step_attempts + $3, next_attempt_at = now() + $4 * interval '1 millisecond', last_error = $5 ${tail}`,
          params: [o.countsAttempt ? 1 : 0, o.delayMs, o.reason],
        };
      case 'fallback':
        return { sql: `${head} step = step + 1, step_attempts = 0, next_attempt_at = now(), last_error = $3 ${tail}`, params: [o.reason] };
      case 'failed':
        return { sql: `${head} status = 'failed', last_error = $3 ${tail}`, params: [o.reason] };
      case 'cancelled':
        return { sql: `${head} status = 'cancelled', last_error = $3 ${tail}`, params: [o.reason] };
    }
  }

  private async guarded(em: EntityManager, row: OutboxRow, sql: string, params: unknown[]): Promise<void> {
    const rows: unknown[] = await em.query(`WITH u AS (${sql} RETURNING id) SELECT id FROM u`, [row.id, row.lease_id, ...params]);
    if (rows.length !== 1) throw new LeaseLost();
  }

  private async release(row: OutboxRow, sql: string, params: unknown[] = []): Promise<void> {
    await this.ds.query(sql, [row.id, row.lease_id, ...params]);
  }

  private announce(e: CommittedEvent): void {
    this.broker.publish(TOPICS.events, JSON.stringify(e), (err) => {
      if (err) this.logger.warn(`publishing event ${e.seq} failed: ${err.message} (it is committed)`);
    });
  }
}

function stopsRepeats(alarm: AlarmSnapshot): boolean {
  return alarm.acknowledged || alarm.stage === 'closed' || alarm.shelvedUntil !== null || alarm.suppressed;
}

/** Role and name, never the phone number or openid (the timeline is widely readable). */
export function recipientLabel(row: Pick<OutboxRow, 'recipient' | 'address'>): string {
  return row.address.name ? `${row.recipient} ${row.address.name}` : row.recipient;
}

function outcomeReason(row: OutboxRow, o: Outcome): string | null {
  const key = `key ${row.dedup_key}`;
  switch (o.kind) {
    case 'sent':
      return o.reason ? `${o.reason}; ${key}` : key;
    case 'retry':
      return `${o.reason}; retry in ${Math.round(o.delayMs / 100) / 10} s; ${key}`;
    case 'fallback':
      return `${o.reason}; falling back to ${row.providers[row.step + 1] ?? '?'}; ${key}`;
    case 'failed':
      return `${o.reason}; ${key}`;
    case 'cancelled':
      return o.reason;
  }
}
