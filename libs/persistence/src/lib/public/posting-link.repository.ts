import type { HazardSnapshot } from '@sw/hazards';
import type { DataSource } from 'typeorm';
import { AuditRepository, type AuditEntry } from '../audit/audit.repository';

export interface PostingLinkRow {
  token: string;
  enterpriseId: string;
  createdAt: string;
}

/** Hazards shown on a posting page: confirmed and after (not an unverified or rejected report). */
export const POSTED_STATUSES = ['confirmed', 'rectifying', 'submitted', 'signed_off'] as const;

/**
 * 内部公示 posting links: a long random token per enterprise (at most one live), revocable; a
 * creation or revocation is one transaction with its audit row.
 */
export class PostingLinkRepository {
  private readonly audit: AuditRepository;

  constructor(private readonly ds: DataSource) {
    this.audit = new AuditRepository(ds);
  }

  /** Revokes the live link (if any) and creates a new one. */
  async create(enterpriseId: string, token: string, now: Date, audit: Omit<AuditEntry, 'targetType' | 'targetId' | 'action' | 'outcome'>): Promise<PostingLinkRow> {
    return this.ds.transaction(async (em) => {
      await em.query(`UPDATE posting_links SET revoked_at = $2, revoked_by = $3 WHERE enterprise_id = $1 AND revoked_at IS NULL`, [enterpriseId, now, audit.actor?.id ?? null]);
      await em.query(`INSERT INTO posting_links (token, enterprise_id, created_by, created_at) VALUES ($1, $2, $3, $4)`, [token, enterpriseId, audit.actor?.id ?? null, now]);
      await this.audit.record({ ...audit, action: 'posting_link.create', targetType: 'enterprise', targetId: enterpriseId, outcome: 'ok' }, em);
      return { token, enterpriseId, createdAt: now.toISOString() };
    });
  }

  /** Revokes the live link; false when there was none. */
  async revoke(enterpriseId: string, now: Date, audit: Omit<AuditEntry, 'targetType' | 'targetId' | 'action' | 'outcome'>): Promise<boolean> {
    return this.ds.transaction(async (em) => {
      const [, n] = (await em.query(`UPDATE posting_links SET revoked_at = $2, revoked_by = $3 WHERE enterprise_id = $1 AND revoked_at IS NULL`, [
        enterpriseId,
        now,
        audit.actor?.id ?? null,
      ])) as [unknown, number];
      if (n > 0) await this.audit.record({ ...audit, action: 'posting_link.revoke', targetType: 'enterprise', targetId: enterpriseId, outcome: 'ok' }, em);
      return n > 0;
    });
  }

  async live(enterpriseId: string): Promise<PostingLinkRow | null> {
    const rows: { token: string; enterprise_id: string; created_at: Date }[] = await this.ds.query(
      `SELECT token, enterprise_id, created_at FROM posting_links WHERE enterprise_id = $1 AND revoked_at IS NULL`,
      [enterpriseId],
    );
    const r = rows[0];
    return r ? { token: r.token, enterpriseId: r.enterprise_id, createdAt: r.created_at.toISOString() } : null;
  }

  /** The enterprise's name and posted hazards behind a live token; null for an unknown or revoked token. */
  async posting(token: string): Promise<{ enterpriseName: string; hazards: HazardSnapshot[] } | null> {
    const rows: { enterprise_id: string; name: string }[] = await this.ds.query(
      `SELECT l.enterprise_id, e.name FROM posting_links l JOIN enterprises e ON e.id = l.enterprise_id WHERE l.token = $1 AND l.revoked_at IS NULL`,
      [token],
    );
    const link = rows[0];
    if (!link) return null;
    const hazards: { snapshot: HazardSnapshot }[] = await this.ds.query(
      `SELECT snapshot FROM hazards WHERE enterprise_id = $1 AND status = ANY($2) ORDER BY (status = 'signed_off'), reported_at DESC LIMIT 500`,
      [link.enterprise_id, POSTED_STATUSES],
    );
    return { enterpriseName: link.name, hazards: hazards.map((h) => h.snapshot) };
  }
}
