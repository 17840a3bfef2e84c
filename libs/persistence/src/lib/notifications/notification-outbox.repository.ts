import type { Channel } from '@sw/rules';
import type { DataSource, EntityManager } from 'typeorm';

/** Where a row goes: the person as of the event, the address rate limits count by (`to`), and the rendered template params and link. */
export interface OutboxAddress {
  name: string;
  phone: string | null;
  wecomKey: string | null;
  wechatOpenid: string | null;
  to: string;
  params: Record<string, string>;
  link: string;
}

/** A row of `notification_outbox` as the delivery worker sees it (claimed under `lease_id`). */
export interface OutboxRow {
  id: string;
  dedup_key: string;
  /** Exactly one of alarm_id, hazard_id and reminder_id is set. */
  alarm_id: string | null;
  hazard_id: string | null;
  /** an upward-reporting reminder (`upward_reminders`) */
  reminder_id: string | null;
  event_seq: string | null;
  kind: 'event' | 'repeat' | 'hazard_confirmed' | 'hazard_overdue' | 'upward_reminder';
  recipient: string;
  channel: Channel;
  address: OutboxAddress;
  /** Provider ids to try in order; `step` is the current one. */
  providers: string[];
  step: number;
  step_attempts: number;
  attempts: number;
  title: string;
  body: string;
  digest: boolean;
  lease_id: string;
  created_at: Date;
  /**
   * Claimed from a holder that never recorded an outcome (its lease ran out: it died, hung or lost
   * its database between claim and record), so the message may already be at the vendor.
   */
  resumed: boolean;
}

/** What became of one send (or of a row that was not sent), as the row records it. */
export type OutboxOutcome =
  | { kind: 'sent'; provider: string; messageId: string; reason: string | null }
  | { kind: 'retry'; provider: string; reason: string; delayMs: number; countsAttempt: boolean }
  | { kind: 'fallback'; provider: string; reason: string }
  | { kind: 'failed'; provider: string; reason: string }
  | { kind: 'cancelled'; reason: string };

/** A row a delivery receipt refers to. */
export type ReceiptRow = Pick<OutboxRow, 'alarm_id' | 'recipient' | 'address'>;

type Db = DataSource | EntityManager;

/**
 * `notification_outbox` for alerting's delivery worker and receipts (docs/architecture.md,
 * "nothing lost"): rows are claimed with `FOR UPDATE SKIP LOCKED` under a lease (a fresh lease id,
 * valid `leaseMs`), and every change of a claimed row is guarded by that lease id, so a holder
 * whose lease was taken over changes nothing (`record` answers false). The rows themselves are
 * written inside the transactions that cause them (`OutboxWriterService`, `HazardNoticesRepository`).
 */
export class NotificationOutboxRepository {
  constructor(private readonly ds: DataSource) {}

  /**
   * Up to `limit` due rows, oldest first, leased to `lease` for `leaseMs`; each claim counts an
   * attempt. A row whose previous lease ran out unreleased comes back `resumed`.
   */
  async claimDue(lease: string, leaseMs: number, limit: number): Promise<OutboxRow[]> {
    return (await this.ds.query(
      `WITH due AS (
         SELECT id, lease_id IS NOT NULL AS resumed FROM notification_outbox
          WHERE status = 'pending' AND next_attempt_at <= now() AND (lease_until IS NULL OR lease_until < now())
          ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED),
       claimed AS (
         UPDATE notification_outbox o SET lease_id = $1, lease_until = now() + $2 * interval '1 millisecond', attempts = o.attempts + 1
           FROM due WHERE o.id = due.id RETURNING o.*, due.resumed)
       SELECT * FROM claimed ORDER BY id`,
      [lease, leaseMs, limit],
    )) as OutboxRow[];
  }

  /** Messages sent to the row's address on its channel within the last `windowS` (the row itself not counted), and the oldest send. */
  async recentSends(row: OutboxRow, windowS: number): Promise<{ count: number; oldest: Date | null }> {
    const [{ n, oldest }] = (await this.ds.query(
      `SELECT count(*)::int AS n, min(sent_at) AS oldest FROM notification_outbox
        WHERE channel = $1 AND address->>'to' = $2 AND status = 'sent' AND sent_at > now() - $3 * interval '1 second' AND id <> $4`,
      [row.channel, row.address.to, windowS, row.id],
    )) as [{ n: number; oldest: Date | null }];
    return { count: n, oldest };
  }

  /** Over the rate limit: the row waits until `until` and then goes as (part of) a digest; its lease is given up. */
  async deferAsDigest(row: OutboxRow, until: Date): Promise<void> {
    await this.ds.query(`UPDATE notification_outbox SET digest = true, next_attempt_at = $3, lease_id = NULL, lease_until = NULL WHERE id = $1 AND lease_id = $2`, [
      row.id,
      row.lease_id,
      until,
    ]);
  }

  /**
   * The other pending digest rows of the row's address and channel (at most 50), taken under the
   * row's lease. Overdue hazard escalations are left out: they go on their own turn, past the
   * sign-off check.
   */
  async claimDigest(row: OutboxRow, leaseMs: number): Promise<OutboxRow[]> {
    return (await this.ds.query(
      `WITH w AS (
         SELECT id, lease_id IS NOT NULL AND lease_id <> $4 AS resumed FROM notification_outbox
          WHERE channel = $1 AND address->>'to' = $2 AND status = 'pending' AND digest AND id <> $3 AND (lease_until IS NULL OR lease_until < now() OR lease_id = $4)
            AND kind <> 'hazard_overdue'
          ORDER BY id LIMIT 50 FOR UPDATE SKIP LOCKED),
       c AS (UPDATE notification_outbox o SET lease_id = $4, lease_until = now() + $5 * interval '1 millisecond' FROM w WHERE o.id = w.id RETURNING o.*, w.resumed)
       SELECT * FROM c ORDER BY id`,
      [row.channel, row.address.to, row.id, row.lease_id, leaseMs],
    )) as OutboxRow[];
  }

  /** Gives the lease up without changing the row (a digest that was not sent): it is due again at once. */
  async release(row: OutboxRow): Promise<void> {
    await this.ds.query(`UPDATE notification_outbox SET lease_id = NULL, lease_until = NULL WHERE id = $1 AND lease_id = $2`, [row.id, row.lease_id]);
  }

  /** Keeps the providers chosen for a row written without them (by the api), so retries and fallback walk the same list. */
  async setProviders(row: OutboxRow, providers: readonly string[]): Promise<void> {
    await this.ds.query(`UPDATE notification_outbox SET providers = $3 WHERE id = $1 AND lease_id = $2`, [row.id, row.lease_id, providers]);
  }

  /** The status of the hazard a notice is about; null once the hazard is deleted. */
  async hazardStatus(hazardId: string): Promise<string | null> {
    const rows: { status: string }[] = await this.ds.query(`SELECT status FROM hazards WHERE id = $1`, [hazardId]);
    return rows[0]?.status ?? null;
  }

  /**
   * Records an outcome on the row and gives its lease up, in `em`'s transaction when given (the
   * alarm's `notified` event commits with it). False when the lease was lost: nothing changed.
   */
  async record(row: OutboxRow, outcome: OutboxOutcome, em: Db = this.ds): Promise<boolean> {
    const { sql, params } = outcomeUpdate(outcome);
    const rows: unknown[] = await em.query(`WITH u AS (${sql} RETURNING id) SELECT id FROM u`, [row.id, row.lease_id, ...params]);
    return rows.length === 1;
  }

  /** The undelivered row a delivery receipt of `provider` names by its dedup key, if any. */
  async forReceipt(dedupKey: string, provider: string): Promise<ReceiptRow | null> {
    const rows: ReceiptRow[] = await this.ds.query(
      `SELECT alarm_id, recipient, address FROM notification_outbox WHERE dedup_key = $1 AND provider = $2 AND delivered_at IS NULL`,
      [dedupKey, provider],
    );
    return rows[0] ?? null;
  }

  /** Marks the row delivered, once: false when it already was (receipts are pushed again). */
  async markDelivered(dedupKey: string, em: Db = this.ds): Promise<boolean> {
    const rows: unknown[] = await em.query(
      `WITH u AS (UPDATE notification_outbox SET delivered_at = now() WHERE dedup_key = $1 AND delivered_at IS NULL RETURNING id) SELECT id FROM u`,
      [dedupKey],
    );
    return rows.length === 1;
  }

  /** A receipt that says the message did not arrive: its reason on the row. */
  async recordReceiptFailure(dedupKey: string, reason: string | null): Promise<void> {
    await this.ds.query(`UPDATE notification_outbox SET last_error = $2 WHERE dedup_key = $1`, [dedupKey, reason]);
  }
}

/** The row update of an outcome; `$1` is the row id and `$2` the lease id it is guarded by. */
function outcomeUpdate(o: OutboxOutcome): { sql: string; params: unknown[] } {
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
