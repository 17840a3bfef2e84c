import type { ActorRef, HazardEventDraft, HazardEventName, HazardResult, HazardSnapshot, HazardStatus } from '@sw/hazards';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditRepository } from '../audit/audit.repository';
import { offsetOf, type PageRequest, type Paged } from '../registry/paging.types';
import { type RecordScope, scopeWhere } from '../users/record-scope';

/** Where a request came from, for the audit row written with each transition. */
export interface HazardClient {
  ip: string | null;
  userAgent: string | null;
}

/** A committed event of a hazard's timeline. */
export interface HazardEventRow {
  id: number;
  event: HazardEventName;
  at: string;
  actor: ActorRef;
  from: HazardStatus | null;
  to: HazardStatus;
  reason: string | null;
  data: Record<string, unknown>;
}

/** An evidence photo's metadata; the file is at `storagePath` (relative to the evidence folder). */
export interface HazardPhotoRow {
  id: string;
  hazardId: string;
  eventId: number;
  sha256: string;
  mime: string;
  size: number;
  storagePath: string;
  createdAt: string;
}

export type HazardRefusal = Extract<HazardResult, { ok: false }> | { ok: false; code: 'not_found' | 'duplicate'; reason: string };
export type HazardOutcome = { ok: true; hazard: HazardSnapshot; event: HazardEventRow } | HazardRefusal;

/** Work done inside a transition's transaction after the event is written; throwing rolls it all back. */
export type HazardInTransaction = (em: EntityManager, hazard: HazardSnapshot, event: HazardEventRow) => Promise<void>;

export interface HazardFilter {
  status?: string[];
  source?: string[];
  category?: string;
  article?: number;
  item?: number;
  enterpriseId?: string;
  /** normalized region prefix */
  regionPrefix?: string;
  /** with `now`: only overdue (true) or only not overdue (false) */
  overdue?: boolean;
}

/**
 * The one writer of hazards. Every change is one transaction: the hazard row locked, the pure
 * life function applied to its snapshot, the row updated, one `hazard_events` row and one
 * `audit_log` row written — all or nothing (like `AlarmStore` for alarms).
 */
export class HazardStore {
  private readonly audit: AuditRepository;

  /** `onEvent` runs inside every transition's transaction after its event (e.g. the outbox rows of hazard notices). */
  constructor(
    private readonly ds: DataSource,
    private readonly onEvent?: HazardInTransaction,
  ) {
    this.audit = new AuditRepository(ds);
  }

  /** Records a new hazard from `reportHazard`'s answer (a refusal passes through). */
  async create(result: HazardResult, client: HazardClient): Promise<HazardOutcome> {
    if (!result.ok) return result;
    const h = result.hazard;
    try {
      return await this.ds.transaction(async (em) => {
        await em.query(
          `INSERT INTO hazards (id, enterprise_id, region_code, source, status, article, item, categories, point_id, alarm_id, report_id,
                                deadline, confirmed_by, reported_at, confirmed_at, signed_off_at, updated_at, snapshot)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, NULL, NULL, $12, NULL, NULL, $12, $13)`,
          [h.id, h.enterpriseId, h.regionCode, h.source, h.status, h.article, h.item, h.categories, h.pointId, h.alarm?.alarmId ?? null, h.reportId, h.reportedAt, JSON.stringify(h)],
        );
        const event = await this.writeEvent(em, h, result.event, client);
        await this.onEvent?.(em, h, event);
        return { ok: true as const, hazard: h, event };
      });
    } catch (err) {
      if ((err as { code?: string }).code === '23505') return { ok: false, code: 'duplicate', reason: 'a hazard was already recorded from this alarm' };
      throw err;
    }
  }

  /**
   * Applies `fn` to the hazard's current snapshot under a row lock and commits what it answers;
   * `also` runs in the same transaction after the event is written (e.g. the evidence photos).
   */
  async transition(id: string, fn: (current: HazardSnapshot) => HazardResult, client: HazardClient, also?: HazardInTransaction): Promise<HazardOutcome> {
    return this.ds.transaction(async (em) => {
      const rows: { snapshot: HazardSnapshot }[] = await em.query(`SELECT snapshot FROM hazards WHERE id = $1 FOR UPDATE`, [id]);
      const current = rows[0]?.snapshot;
      if (!current) return { ok: false as const, code: 'not_found' as const, reason: `hazard ${id} not found` };
      const result = fn(current);
      if (!result.ok) return result;
      const h = result.hazard;
      await em.query(
        `UPDATE hazards SET status = $2, deadline = $3, confirmed_by = $4, confirmed_at = $5, signed_off_at = $6, updated_at = $7, snapshot = $8 WHERE id = $1`,
        [id, h.status, h.plan?.deadline ?? null, h.confirmedBy?.id ?? null, h.confirmedAt, h.signedOffAt, h.updatedAt, JSON.stringify(h)],
      );
      const event = await this.writeEvent(em, h, result.event, client);
      await this.onEvent?.(em, h, event);
      await also?.(em, h, event);
      return { ok: true as const, hazard: h, event };
    });
  }

  private async writeEvent(em: EntityManager, h: HazardSnapshot, e: HazardEventDraft, client: HazardClient): Promise<HazardEventRow> {
    const rows: { id: string }[] = await em.query(
      `INSERT INTO hazard_events (hazard_id, event, at, actor, from_status, to_status, reason, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [h.id, e.event, e.at, JSON.stringify(e.actor), e.from, e.to, e.reason, JSON.stringify(e.data)],
    );
    const id = Number(rows[0]?.id);
    await this.audit.record(
      {
        actor: e.actor,
        action: `hazard.${e.event}`,
        targetType: 'hazard',
        targetId: h.id,
        ip: client.ip,
        userAgent: client.userAgent,
        outcome: 'ok',
        data: { eventId: id, from: e.from, to: e.to, ...(e.reason !== null && { reason: e.reason }) },
      },
      em,
    );
    return { id, event: e.event, at: e.at, actor: e.actor, from: e.from, to: e.to, reason: e.reason, data: e.data };
  }

  /** Records an evidence photo's metadata inside a transition (`also`). */
  async addPhoto(em: EntityManager, p: Omit<HazardPhotoRow, 'createdAt'> & { uploadedBy: string | null }): Promise<void> {
    await em.query(
      `INSERT INTO hazard_photos (id, hazard_id, event_id, sha256, mime, size, storage_path, uploaded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [p.id, p.hazardId, p.eventId, p.sha256, p.mime, p.size, p.storagePath, p.uploadedBy],
    );
  }

  async get(id: string): Promise<HazardSnapshot | null> {
    const rows: { snapshot: HazardSnapshot }[] = await this.ds.query(`SELECT snapshot FROM hazards WHERE id = $1`, [id]);
    return rows[0]?.snapshot ?? null;
  }

  async events(hazardId: string): Promise<HazardEventRow[]> {
    const rows: { id: string; event: HazardEventName; at: Date; actor: ActorRef; from_status: HazardStatus | null; to_status: HazardStatus; reason: string | null; data: Record<string, unknown> }[] =
      await this.ds.query(`SELECT id, event, at, actor, from_status, to_status, reason, data FROM hazard_events WHERE hazard_id = $1 ORDER BY id`, [hazardId]);
    return rows.map((r) => ({ id: Number(r.id), event: r.event, at: r.at.toISOString(), actor: r.actor, from: r.from_status, to: r.to_status, reason: r.reason, data: r.data }));
  }

  async photos(hazardId: string): Promise<HazardPhotoRow[]> {
    const rows: { id: string; hazard_id: string; event_id: string; sha256: string; mime: string; size: number; storage_path: string; created_at: Date }[] = await this.ds.query(
      `SELECT id, hazard_id, event_id, sha256, mime, size, storage_path, created_at FROM hazard_photos WHERE hazard_id = $1 ORDER BY event_id, created_at, id`,
      [hazardId],
    );
    return rows.map((r) => ({ id: r.id, hazardId: r.hazard_id, eventId: Number(r.event_id), sha256: r.sha256, mime: r.mime, size: r.size, storagePath: r.storage_path, createdAt: r.created_at.toISOString() }));
  }

  /** The hazard already recorded from an alarm, if any. */
  async byAlarm(alarmId: string): Promise<HazardSnapshot | null> {
    const rows: { snapshot: HazardSnapshot }[] = await this.ds.query(`SELECT snapshot FROM hazards WHERE alarm_id = $1`, [alarmId]);
    return rows[0]?.snapshot ?? null;
  }

  /** Scoped and filtered, newest first; `now` decides `overdue`. */
  async list(scope: RecordScope, f: HazardFilter, page: PageRequest, now: Date): Promise<Paged<HazardSnapshot>> {
    const s = scopeWhere(scope, { enterpriseId: 'h.enterprise_id', regionCode: 'h.region_code' });
    const qb = this.ds.createQueryBuilder().from('hazards', 'h').where(s.sql, s.params);
    if (f.status) qb.andWhere('h.status IN (:...status)', { status: f.status });
    if (f.source) qb.andWhere('h.source IN (:...source)', { source: f.source });
    if (f.category) qb.andWhere(':category = ANY(h.categories)', { category: f.category });
    if (f.article !== undefined) qb.andWhere('h.article = :article', { article: f.article });
    if (f.item !== undefined) qb.andWhere('h.item = :item', { item: f.item });
    if (f.enterpriseId) qb.andWhere('h.enterprise_id = :enterpriseId', { enterpriseId: f.enterpriseId });
    if (f.regionPrefix) qb.andWhere('h.region_code LIKE :regionPrefix', { regionPrefix: `${f.regionPrefix}%` });
    const overdueSql = `(h.deadline < :now AND h.status NOT IN ('signed_off', 'rejected'))`;
    if (f.overdue === true) qb.andWhere(overdueSql, { now });
    if (f.overdue === false) qb.andWhere(`NOT ${overdueSql.replace('h.deadline <', 'COALESCE(h.deadline, \'infinity\') <')}`, { now });
    const count = await qb.clone().select('count(*)', 'n').getRawOne<{ n: string }>();
    const rows = await qb
      .select('h.snapshot', 'snapshot')
      .orderBy('h.reported_at', 'DESC')
      .addOrderBy('h.id', 'DESC')
      .limit(page.pageSize)
      .offset(offsetOf(page))
      .getRawMany<{ snapshot: HazardSnapshot }>();
    return { items: rows.map((r) => r.snapshot), total: Number(count?.n ?? 0), ...page };
  }
}
