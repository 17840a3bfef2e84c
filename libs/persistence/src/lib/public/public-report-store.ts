import type { DataSource, EntityManager } from 'typeorm';
import { AuditRepository, type AuditEntry } from '../audit/audit.repository';
import { offsetOf, type PageRequest, type Paged } from '../registry/paging.types';

/** 举报 status: received → assigned → verifying → confirmed (查实) | unfounded (不实). */
export const PUBLIC_REPORT_STATUSES = ['received', 'assigned', 'verifying', 'confirmed', 'unfounded'] as const;
export type PublicReportStatus = (typeof PUBLIC_REPORT_STATUSES)[number];

export interface PublicReportRow {
  id: string;
  status: PublicReportStatus;
  enterpriseName: string | null;
  address: string | null;
  description: string;
  phone: string | null;
  enterpriseId: string | null;
  regionCode: string | null;
  assigneeId: string | null;
  assigneeUsername: string | null;
  verifyNote: string | null;
  reply: string | null;
  reward: number | null;
  hazardId: string | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

export interface PublicReportPhotoRow {
  id: string;
  reportId: string;
  sha256: string;
  mime: string;
  size: number;
  storagePath: string;
  position: number;
}

/** A limit on accepted reports per key (`ip:…`, `phone:…`) over a sliding window. */
export interface RateLimit {
  key: string;
  max: number;
  windowMs: number;
}

export interface NewPublicReport {
  id: string;
  codeHash: string;
  enterpriseName: string | null;
  address: string | null;
  description: string;
  phone: string | null;
  photos: Omit<PublicReportPhotoRow, 'reportId' | 'storagePath'>[];
}

export type FileOutcome = { ok: true; report: PublicReportRow } | { ok: false; code: 'rate_limited'; key: string; retryAfterS: number };

/** What the reporter sees by the code: status and the bureau's reply, nothing else. */
export interface PublicReportStatusView {
  status: PublicReportStatus;
  reply: string | null;
  createdAt: string;
  closedAt: string | null;
}

export interface PublicReportFilter {
  status?: string[];
  /** regulators: their region prefix; reports with no region yet are in every regulator's queue */
  regionPrefix?: string;
}

interface Raw {
  id: string;
  status: PublicReportStatus;
  enterprise_name: string | null;
  address: string | null;
  description: string;
  phone: string | null;
  enterprise_id: string | null;
  region_code: string | null;
  assignee_id: string | null;
  assignee_username: string | null;
  verify_note: string | null;
  reply: string | null;
  reward: string | null;
  hazard_id: string | null;
  created_at: Date;
  updated_at: Date;
  closed_at: Date | null;
}

const COLUMNS = `id, status, enterprise_name, address, description, phone, enterprise_id, region_code, assignee_id, assignee_username,
  verify_note, reply, reward, hazard_id, created_at, updated_at, closed_at`;

function rowOf(r: Raw): PublicReportRow {
  return {
    id: r.id,
    status: r.status,
    enterpriseName: r.enterprise_name,
    address: r.address,
    description: r.description,
    phone: r.phone,
    enterpriseId: r.enterprise_id,
    regionCode: r.region_code,
    assigneeId: r.assignee_id,
    assigneeUsername: r.assignee_username,
    verifyNote: r.verify_note,
    reply: r.reply,
    reward: r.reward === null ? null : Number(r.reward),
    hazardId: r.hazard_id,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    closedAt: r.closed_at?.toISOString() ?? null,
  };
}

/** Columns a triage step may change. */
export type PublicReportPatch = Partial<Pick<PublicReportRow, 'status' | 'enterpriseId' | 'regionCode' | 'assigneeId' | 'assigneeUsername' | 'verifyNote' | 'reply' | 'reward' | 'hazardId' | 'closedAt'>> & {
  closedBy?: string | null;
};

const PATCH_COLUMNS: Record<keyof PublicReportPatch, string> = {
  status: 'status',
  enterpriseId: 'enterprise_id',
  regionCode: 'region_code',
  assigneeId: 'assignee_id',
  assigneeUsername: 'assignee_username',
  verifyNote: 'verify_note',
  reply: 'reply',
  reward: 'reward',
  hazardId: 'hazard_id',
  closedAt: 'closed_at',
  closedBy: 'closed_by',
};

export type TriageOutcome = { ok: true; report: PublicReportRow } | { ok: false; code: string; reason: string };

export type TriageResult = { ok: true; patch: PublicReportPatch; audit: Omit<AuditEntry, 'targetType' | 'targetId'> } | { ok: false; code: string; reason: string };

/**
 * The one writer of public reports (举报). Filing checks the rate limits and writes the report,
 * its photos' metadata and the limit hits in one transaction (the photo files are written inside
 * it too, so a refusal stores nothing); each triage step is one transaction with its audit row.
 */
export class PublicReportStore {
  private readonly audit: AuditRepository;

  constructor(private readonly ds: DataSource) {
    this.audit = new AuditRepository(ds);
  }

  /**
   * Files a report unless a limit is reached. Each limit key is serialized by a transaction-scoped
   * advisory lock, so concurrent requests on any api process count the same hits.
   * `writeFiles` stores the photo files and answers their storage paths (in `photos` order).
   */
  async file(r: NewPublicReport, limits: RateLimit[], now: Date, writeFiles: () => Promise<string[]>, audit: Pick<AuditEntry, 'ip' | 'userAgent'>): Promise<FileOutcome> {
    return this.ds.transaction(async (em) => {
      for (const l of [...limits].sort((x, y) => x.key.localeCompare(y.key))) {
        await em.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 1765400100))`, [l.key]);
        const since = new Date(now.getTime() - l.windowMs);
        await em.query(`DELETE FROM public_rate_hits WHERE key = $1 AND at <= $2`, [l.key, since]);
        const rows: { n: string; oldest: Date | null }[] = await em.query(`SELECT count(*) AS n, min(at) AS oldest FROM public_rate_hits WHERE key = $1 AND at > $2`, [l.key, since]);
        const n = Number(rows[0]?.n ?? 0);
        if (n >= l.max) {
          const oldest = rows[0]?.oldest?.getTime() ?? now.getTime();
          return { ok: false as const, code: 'rate_limited' as const, key: l.key, retryAfterS: Math.max(1, Math.ceil((oldest + l.windowMs - now.getTime()) / 1000)) };
        }
      }
      for (const l of limits) await em.query(`INSERT INTO public_rate_hits (key, at) VALUES ($1, $2)`, [l.key, now]);
      // hits name IPs and phone numbers: none is kept longer than a day (or this request's longest window)
      const keep = Math.max(86_400_000, ...limits.map((l) => l.windowMs));
      await em.query(`DELETE FROM public_rate_hits WHERE at <= $1`, [new Date(now.getTime() - keep)]);
      const match: { id: string; region_code: string }[] = r.enterpriseName
        ? await em.query(`SELECT id, region_code FROM enterprises WHERE name = $1 LIMIT 2`, [r.enterpriseName])
        : [];
      const ent = match.length === 1 ? match[0] : undefined; // an ambiguous name is left to the regulator
      const inserted: Raw[] = await em.query(
        `INSERT INTO public_reports (id, code_hash, status, enterprise_name, address, description, phone, enterprise_id, region_code, created_at, updated_at)
         VALUES ($1, $2, 'received', $3, $4, $5, $6, $7, $8, $9, $9) RETURNING ${COLUMNS}`,
        [r.id, r.codeHash, r.enterpriseName, r.address, r.description, r.phone, ent?.id ?? null, ent?.region_code ?? null, now],
      );
      const paths = await writeFiles();
      for (const [i, p] of r.photos.entries()) {
        await em.query(`INSERT INTO public_report_photos (id, report_id, sha256, mime, size, storage_path, position) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
          p.id,
          r.id,
          p.sha256,
          p.mime,
          p.size,
          paths[i],
          p.position,
        ]);
      }
      await this.audit.record(
        { actor: null, action: 'public_report.file', targetType: 'public_report', targetId: r.id, ...audit, outcome: 'ok', data: { photos: r.photos.length, matched: ent?.id ?? null } },
        em,
      );
      return { ok: true as const, report: rowOf(inserted[0] as Raw) };
    });
  }

  async statusByCode(codeHash: string): Promise<PublicReportStatusView | null> {
    const rows: Raw[] = await this.ds.query(`SELECT ${COLUMNS} FROM public_reports WHERE code_hash = $1`, [codeHash]);
    const r = rows[0];
    return r ? { status: r.status, reply: r.reply, createdAt: r.created_at.toISOString(), closedAt: r.closed_at?.toISOString() ?? null } : null;
  }

  async get(id: string): Promise<PublicReportRow | null> {
    const rows: Raw[] = await this.ds.query(`SELECT ${COLUMNS} FROM public_reports WHERE id = $1`, [id]);
    return rows[0] ? rowOf(rows[0]) : null;
  }

  async photos(reportId: string): Promise<PublicReportPhotoRow[]> {
    const rows: { id: string; report_id: string; sha256: string; mime: string; size: number; storage_path: string; position: number }[] = await this.ds.query(
      `SELECT id, report_id, sha256, mime, size, storage_path, position FROM public_report_photos WHERE report_id = $1 ORDER BY position`,
      [reportId],
    );
    return rows.map((r) => ({ id: r.id, reportId: r.report_id, sha256: r.sha256, mime: r.mime, size: r.size, storagePath: r.storage_path, position: r.position }));
  }

  /** The triage queue, newest first. */
  async list(f: PublicReportFilter, page: PageRequest): Promise<Paged<PublicReportRow>> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (f.status) {
      params.push(f.status);
      where.push(`status = ANY($${params.length})`);
    }
    if (f.regionPrefix !== undefined) {
      params.push(`${f.regionPrefix}%`);
      where.push(`(region_code IS NULL OR region_code LIKE $${params.length})`);
    }
    const sql = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const count: { n: string }[] = await this.ds.query(`SELECT count(*) AS n FROM public_reports ${sql}`, params);
    const rows: Raw[] = await this.ds.query(`SELECT ${COLUMNS} FROM public_reports ${sql} ORDER BY created_at DESC, id DESC LIMIT ${page.pageSize} OFFSET ${offsetOf(page)}`, params);
    return { items: rows.map(rowOf), total: Number(count[0]?.n ?? 0), ...page };
  }

  /**
   * One triage step: the row locked, `fn` decides the change, the row updated and the audit row
   * written in one transaction; `also` runs inside it (e.g. confirming the hazard).
   */
  async triage(id: string, fn: (current: PublicReportRow) => TriageResult, now: Date, also?: (em: EntityManager, updated: PublicReportRow) => Promise<void>): Promise<TriageOutcome> {
    return this.ds.transaction(async (em) => {
      const outcome = await this.triageIn(em, id, fn, now);
      if (outcome.ok) await also?.(em, outcome.report);
      return outcome;
    });
  }

  /** `triage` inside a transaction the caller holds (e.g. the hazard's confirmation). */
  async triageIn(em: EntityManager, id: string, fn: (current: PublicReportRow) => TriageResult, now: Date): Promise<TriageOutcome> {
    const rows: Raw[] = await em.query(`SELECT ${COLUMNS} FROM public_reports WHERE id = $1 FOR UPDATE`, [id]);
    const current = rows[0] ? rowOf(rows[0]) : null;
    if (!current) return { ok: false, code: 'not_found', reason: `report ${id} not found` };
    const result = fn(current);
    if (!result.ok) return result;
    const sets: string[] = ['updated_at = $2'];
    const params: unknown[] = [id, now];
    for (const [k, v] of Object.entries(result.patch) as [keyof PublicReportPatch, unknown][]) {
      params.push(v);
      sets.push(`${PATCH_COLUMNS[k]} = $${params.length}`);
    }
    // TypeORM answers an UPDATE as [rows, affected]
    const [updated] = (await em.query(`UPDATE public_reports SET ${sets.join(', ')} WHERE id = $1 RETURNING ${COLUMNS}`, params)) as [Raw[], number];
    await this.audit.record({ ...result.audit, targetType: 'public_report', targetId: id }, em);
    return { ok: true, report: rowOf(updated[0] as Raw) };
  }
}
