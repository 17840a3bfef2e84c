import type { DataSource, EntityManager } from 'typeorm';
import { boundedDetail, truncateText } from './audit-detail';

/** pg_try_advisory_lock key of the retention prune (one api instance prunes at a time). */
const PRUNE_LOCK = 1_765_100_200;

export interface AuditEntry {
  actor: { id: string; username: string; role: string } | null;
  action: string;
  targetType: string;
  targetId: string | null;
  ip: string | null;
  userAgent: string | null;
  outcome: 'ok' | 'denied' | 'rejected';
  data?: Record<string, unknown>;
}

/**
 * Who did what, when, from where (non-negotiable 5: every alarm action is audited). Every row is
 * bounded here, whoever writes it: `data` by `boundedDetail` (≤ 4 KiB), the texts cut.
 */
const cut = (s: string | null) => (s === null ? null : truncateText(s, 512));

export class AuditRepository {
  constructor(private readonly ds: DataSource) {}

  async record(entry: AuditEntry, em?: EntityManager): Promise<void> {
    await (em ?? this.ds).query(
      `INSERT INTO audit_log (actor_id, username, role, action, target_type, target_id, ip, user_agent, outcome, data)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        entry.actor?.id ?? null,
        entry.actor?.username ?? null,
        entry.actor?.role ?? null,
        entry.action,
        entry.targetType,
        cut(entry.targetId),
        cut(entry.ip),
        cut(entry.userAgent),
        entry.outcome,
        JSON.stringify(boundedDetail(entry.data ?? {})),
      ],
    );
  }

  /**
   * Deletes rows older than `cutoff` in batches (short locks, no long transaction), under a
   * session advisory lock so concurrent api instances do not prune twice. Answers the rows
   * deleted, or `null` when another instance holds the lock.
   */
  async prune(cutoff: Date, batchSize = 5_000): Promise<number | null> {
    const runner = this.ds.createQueryRunner();
    await runner.connect();
    try {
      const [lock] = (await runner.query('SELECT pg_try_advisory_lock($1) AS ok', [PRUNE_LOCK])) as { ok: boolean }[];
      if (!lock?.ok) return null;
      try {
        let total = 0;
        for (;;) {
          const [, deleted] = (await runner.query(`DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE at < $1 ORDER BY at LIMIT $2)`, [cutoff, batchSize])) as [unknown, number];
          total += deleted;
          if (deleted < batchSize) return total;
        }
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [PRUNE_LOCK]);
      }
    } finally {
      await runner.release();
    }
  }
}
