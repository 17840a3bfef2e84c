import { UPLINK_MESSAGE_TYPES, type UplinkMessageType } from '@sw/uplink-protocol';
import type { DataSource, EntityManager } from 'typeorm';
import type { NewMessage, OutboxRow, OutboxStats, QueueHead } from './outbox.types';

/**
 * The uplink outbox in PostgreSQL (migration UplinkOutbox1765710000000). A message gets the next
 * number of its enterprise's sequence in the transaction that inserts it, so the sequence has no
 * gaps; a message id already in the outbox is skipped (the sources may offer a record twice).
 */
export class OutboxRepository {
  constructor(private readonly ds: DataSource) {}

  /** Inserts the new messages in order, inside the caller's transaction; returns how many were new. */
  async enqueue(em: EntityManager, messages: readonly NewMessage[]): Promise<NewMessage[]> {
    if (messages.length === 0) return [];
    const known = new Set(
      ((await em.query(`SELECT message_id FROM uplink_outbox WHERE message_id = ANY($1)`, [messages.map((m) => m.messageId)])) as { message_id: string }[]).map((r) => r.message_id),
    );
    const added: NewMessage[] = [];
    for (const m of messages) {
      if (known.has(m.messageId)) continue;
      known.add(m.messageId);
      await em.query(
        `WITH s AS (
           INSERT INTO uplink_sequences (enterprise_id, last_seq) VALUES ($1, 1)
           ON CONFLICT (enterprise_id) DO UPDATE SET last_seq = uplink_sequences.last_seq + 1 RETURNING last_seq)
         INSERT INTO uplink_outbox (enterprise_id, seq, type, message_id, source_at, payload)
         SELECT $1, s.last_seq, $2, $3, $4, $5 FROM s`,
        [m.enterpriseId, m.type, m.messageId, m.sourceAt, JSON.stringify(m.data)],
      );
      added.push(m);
    }
    return added;
  }

  /** The head of every enterprise's queue that has one, oldest record first; `due` when it may be sent now. */
  async heads(): Promise<QueueHead[]> {
    return this.ds.query(
      `SELECT h.enterprise_id, h.id, h.seq, h.attempts, h.next_attempt_at <= now() AS due, e.uscc, e.name, e.region_code
         FROM (SELECT DISTINCT ON (enterprise_id) enterprise_id, id, seq, attempts, next_attempt_at, source_at
                 FROM uplink_outbox WHERE delivered_at IS NULL ORDER BY enterprise_id, seq) h
         JOIN enterprises e ON e.id = h.enterprise_id
        ORDER BY h.source_at, h.enterprise_id`,
    );
  }

  /** The next `limit` undelivered messages of one enterprise, in sequence order. */
  async batch(enterpriseId: string, limit: number): Promise<OutboxRow[]> {
    return this.ds.query(
      `SELECT id, enterprise_id, seq, type, message_id, source_at, payload, attempts FROM uplink_outbox
        WHERE enterprise_id = $1 AND delivered_at IS NULL ORDER BY seq LIMIT $2`,
      [enterpriseId, limit],
    );
  }

  /** The province stored seq `from`…`to` of this enterprise (OK, or duplicates it already had). */
  async markDelivered(enterpriseId: string, fromSeq: string, toSeq: string): Promise<number> {
    return this.ds.transaction(async (em) => {
      const [, count] = (await em.query(
        `UPDATE uplink_outbox SET delivered_at = now(), last_error = NULL
          WHERE enterprise_id = $1 AND seq BETWEEN $2 AND $3 AND delivered_at IS NULL`,
        [enterpriseId, fromSeq, toSeq],
      )) as [unknown, number];
      await em.query(`UPDATE uplink_status SET last_success_at = now(), updated_at = now() WHERE id = 1`);
      return count;
    });
  }

  /** A failed attempt on the head row: when to try again and why it failed. */
  async markFailed(headId: string, delayMs: number, reason: string): Promise<void> {
    await this.ds.transaction(async (em) => {
      await em.query(
        `UPDATE uplink_outbox SET attempts = attempts + 1, next_attempt_at = now() + $2 * interval '1 millisecond', last_error = $3 WHERE id = $1`,
        [headId, delayMs, reason.slice(0, 500)],
      );
      await em.query(`UPDATE uplink_status SET last_failure_at = now(), last_error = $1, failures = failures + 1, updated_at = now() WHERE id = 1`, [reason.slice(0, 500)]);
    });
  }

  /**
   * The province expects `expectedSeq` next: messages from there on are sent (again) — those it
   * lost are delivered again if still held; those before it it has, so they count as delivered.
   */
  async rewind(enterpriseId: string, expectedSeq: number): Promise<void> {
    await this.ds.transaction(async (em) => {
      await em.query(`UPDATE uplink_outbox SET delivered_at = NULL WHERE enterprise_id = $1 AND seq >= $2 AND delivered_at IS NOT NULL`, [enterpriseId, expectedSeq]);
      await em.query(`UPDATE uplink_outbox SET delivered_at = now() WHERE enterprise_id = $1 AND seq < $2 AND delivered_at IS NULL`, [enterpriseId, expectedSeq]);
    });
  }

  async stats(): Promise<OutboxStats> {
    const rows: { type: UplinkMessageType; n: string; oldest: Date | null; enterprises: string }[] = await this.ds.query(
      `SELECT type, count(*) AS n, min(source_at) AS oldest, count(DISTINCT enterprise_id) AS enterprises
         FROM uplink_outbox WHERE delivered_at IS NULL GROUP BY ROLLUP (type)`,
    );
    const backlog = Object.fromEntries(UPLINK_MESSAGE_TYPES.map((t) => [t, 0])) as Record<UplinkMessageType, number>;
    let oldestPendingAt: Date | null = null;
    let enterprisesBehind = 0;
    for (const r of rows) {
      if (r.type === null) {
        oldestPendingAt = r.oldest;
        enterprisesBehind = Number(r.enterprises);
      } else backlog[r.type] = Number(r.n);
    }
    return { backlog, oldestPendingAt, enterprisesBehind };
  }

  /** Records which adapter and endpoint are in use (the status endpoint shows them). */
  async announce(adapter: string, endpoint: string): Promise<void> {
    await this.ds.query(
      `INSERT INTO uplink_status (id, adapter, endpoint) VALUES (1, $1, $2)
       ON CONFLICT (id) DO UPDATE SET adapter = EXCLUDED.adapter, endpoint = EXCLUDED.endpoint, updated_at = now()`,
      [adapter, endpoint],
    );
  }

  async lastSuccessAt(): Promise<Date | null> {
    const [row] = (await this.ds.query(`SELECT last_success_at FROM uplink_status WHERE id = 1`)) as { last_success_at: Date | null }[];
    return row?.last_success_at ?? null;
  }

  /** Deletes delivered messages older than the retention, a bounded number at a time. */
  async prune(retentionMs: number): Promise<number> {
    const [, count] = (await this.ds.query(
      `DELETE FROM uplink_outbox WHERE id IN (
         SELECT id FROM uplink_outbox WHERE delivered_at < now() - $1 * interval '1 millisecond' LIMIT 10000)`,
      [retentionMs],
    )) as [unknown, number];
    return count;
  }
}
