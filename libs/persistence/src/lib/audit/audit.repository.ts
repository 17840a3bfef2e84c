import type { DataSource, EntityManager } from 'typeorm';

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

/** Who did what, when, from where (non-negotiable 5: every alarm action is audited). */
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
        entry.targetId,
        entry.ip,
        entry.userAgent,
        entry.outcome,
        JSON.stringify(entry.data ?? {}),
      ],
    );
  }
}
