import { type DrawInput, type DrawResult, type InspectionAction, type InspectionMode, type InspectionStatus, inspectionStep, type RiskLevel } from '@sw/inspections';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditRepository } from '../audit/audit.repository';
import { offsetOf, type PageRequest, type Paged } from '../registry/paging.types';
import { type RecordScope, scopeWhere } from '../users/record-scope';

/** Who acts and from where, for the event and the audit row of each change. */
export interface InspectionActor {
  id: string;
  username: string;
  role: string;
}
export interface InspectionClient {
  ip: string | null;
  userAgent: string | null;
}

export interface InspectionRow {
  id: string;
  enterpriseId: string;
  enterpriseName: string;
  regionCode: string;
  mode: InspectionMode;
  visitDate: string;
  status: InspectionStatus;
  drawId: string | null;
  alarmId: string | null;
  subject: string | null;
  summary: string | null;
  createdAt: string;
  recordedAt: string | null;
  closedAt: string | null;
}

export interface InspectionFilter {
  enterpriseId?: string;
  regionPrefix?: string;
  status?: string[];
  mode?: string[];
  drawId?: string;
}

export type InspectionOutcome<T> = { ok: true; value: T; status: InspectionStatus } | { ok: false; code: 'not_found' | 'invalid_state' | 'invalid_input' | 'duplicate'; reason: string };

/** A change's work inside its transaction: answers the event's data (and optionally a reason). */
export type InspectionWork<T> = (em: EntityManager, current: InspectionRow) => Promise<{ value: T; data?: Record<string, unknown>; reason?: string | null }>;

const SELECT = `SELECT i.id, i.enterprise_id, e.name AS enterprise_name, i.region_code, i.mode, to_char(i.visit_date, 'YYYY-MM-DD') AS visit_date, i.status, i.draw_id, i.alarm_id,
                       i.subject, i.summary, i.created_at, i.recorded_at, i.closed_at
                  FROM inspections i JOIN enterprises e ON e.id = i.enterprise_id`;

interface RawRow {
  id: string;
  enterprise_id: string;
  enterprise_name: string;
  region_code: string;
  mode: InspectionMode;
  visit_date: string;
  status: InspectionStatus;
  draw_id: string | null;
  alarm_id: string | null;
  subject: string | null;
  summary: string | null;
  created_at: Date;
  recorded_at: Date | null;
  closed_at: Date | null;
}

const toRow = (r: RawRow): InspectionRow => ({
  id: r.id,
  enterpriseId: r.enterprise_id,
  enterpriseName: r.enterprise_name,
  regionCode: r.region_code,
  mode: r.mode,
  visitDate: r.visit_date,
  status: r.status,
  drawId: r.draw_id,
  alarmId: r.alarm_id,
  subject: r.subject,
  summary: r.summary,
  createdAt: r.created_at.toISOString(),
  recordedAt: r.recorded_at?.toISOString() ?? null,
  closedAt: r.closed_at?.toISOString() ?? null,
});

/** A new visit or task (status `planned`) with its team and checklist. */
export interface NewInspection {
  id: string;
  enterpriseId: string;
  regionCode: string;
  mode: InspectionMode;
  visitDate: string;
  drawId: string | null;
  alarmId: string | null;
  subject: string | null;
  inspectors: { id: string; name: string; certificateNo: string }[];
  checklist: { article: number; item: number | null; label: string; title: string }[];
}

/** A stored draw. */
export interface DrawRow {
  id: string;
  regionCode: string;
  planId: string | null;
  input: DrawInput;
  result: DrawResult;
  drawnBy: string | null;
  drawnByName: string | null;
  drawnAt: string;
}

/**
 * The one writer of inspections and draws. Every change is one transaction: the inspection row
 * locked, the pure life step (`inspectionStep`) checked, the change's own rows written, the
 * status updated, one `inspection_events` row and one `audit_log` row — all or nothing (like
 * `HazardStore`).
 */
export class InspectionStore {
  private readonly audit: AuditRepository;

  constructor(private readonly ds: DataSource) {
    this.audit = new AuditRepository(ds);
  }

  async get(id: string): Promise<InspectionRow | null> {
    const rows: RawRow[] = await this.ds.query(`${SELECT} WHERE i.id = $1`, [id]);
    return rows[0] ? toRow(rows[0]) : null;
  }

  async list(scope: RecordScope, f: InspectionFilter, page: PageRequest): Promise<Paged<InspectionRow>> {
    const s = scopeWhere(scope, { enterpriseId: 'i.enterprise_id', regionCode: 'i.region_code' });
    const params: unknown[] = [];
    // the scope's named parameters as positional ones
    const where = [Object.entries(s.params).reduce((sql, [name, value]) => sql.replace(`:${name}`, `$${params.push(value)}`), s.sql)];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (f.enterpriseId) add('i.enterprise_id = ?', f.enterpriseId);
    if (f.regionPrefix) add('i.region_code LIKE ?', `${f.regionPrefix}%`);
    if (f.status) add('i.status = ANY(?)', f.status);
    if (f.mode) add('i.mode = ANY(?)', f.mode);
    if (f.drawId) add('i.draw_id = ?', f.drawId);
    const cond = where.join(' AND ');
    const [count] = (await this.ds.query(`SELECT count(*) AS n FROM inspections i WHERE ${cond}`, params)) as { n: string }[];
    const rows: RawRow[] = await this.ds.query(`${SELECT} WHERE ${cond} ORDER BY i.visit_date DESC, i.created_at DESC, i.id LIMIT ${page.pageSize} OFFSET ${offsetOf(page)}`, params);
    return { items: rows.map(toRow), total: Number(count?.n ?? 0), ...page };
  }

  /** Creates a planned inspection with its team and checklist, its `planned` event and audit row. */
  async create(n: NewInspection, actor: InspectionActor, client: InspectionClient, em?: EntityManager): Promise<InspectionRow> {
    const run = async (tx: EntityManager) => {
      await this.insert(tx, n, actor.id);
      await this.writeEvent(tx, n.id, 'planned', null, 'planned', actor, client, null, { mode: n.mode, drawId: n.drawId, alarmId: n.alarmId, inspectors: n.inspectors.map((i) => i.id) });
    };
    if (em) await run(em);
    else await this.ds.transaction(run);
    const [created] = (await (em ?? this.ds).query(`${SELECT} WHERE i.id = $1`, [n.id])) as RawRow[];
    if (!created) throw new Error(`inspection ${n.id} was not written`);
    return toRow(created);
  }

  private async insert(em: EntityManager, n: NewInspection, by: string): Promise<void> {
    await em.query(
      `INSERT INTO inspections (id, enterprise_id, region_code, mode, visit_date, status, draw_id, alarm_id, subject, created_by) VALUES ($1, $2, $3, $4, $5, 'planned', $6, $7, $8, $9)`,
      [n.id, n.enterpriseId, n.regionCode, n.mode, n.visitDate, n.drawId, n.alarmId, n.subject, by],
    );
    await this.setTeam(em, n.id, n.inspectors);
    for (const c of n.checklist) {
      await em.query(`INSERT INTO inspection_checklist_items (inspection_id, article, item, label, title) VALUES ($1, $2, $3, $4, $5)`, [n.id, c.article, c.item, c.label, c.title]);
    }
  }

  /** Replaces the team of an inspection (inside a change). */
  async setTeam(em: EntityManager, inspectionId: string, team: { id: string; name: string; certificateNo: string }[]): Promise<void> {
    await em.query(`DELETE FROM inspection_inspectors WHERE inspection_id = $1`, [inspectionId]);
    for (const i of team) {
      await em.query(`INSERT INTO inspection_inspectors (inspection_id, inspector_id, name, certificate_no) VALUES ($1, $2, $3, $4)`, [inspectionId, i.id, i.name, i.certificateNo]);
    }
  }

  /**
   * One change of an inspection: lock, check the life step, run `work`, set the new status, write
   * the event and the audit row. A refusal writes nothing.
   */
  async change<T>(id: string, action: InspectionAction, actor: InspectionActor, client: InspectionClient, work: InspectionWork<T>): Promise<InspectionOutcome<T>> {
    return this.ds.transaction(async (em) => {
      const locked: RawRow[] = await em.query(`${SELECT} WHERE i.id = $1 FOR UPDATE OF i`, [id]);
      if (!locked[0]) return { ok: false as const, code: 'not_found' as const, reason: `inspection ${id} not found` };
      const current = toRow(locked[0]);
      const step = inspectionStep(current.status, action);
      if (!step.ok) return step;
      const done = await work(em, current);
      const stamps = [step.to === 'recorded' && current.status === 'planned' ? ', recorded_at = now()' : '', step.to === 'closed' ? ', closed_at = now()' : ''].join('');
      await em.query(`UPDATE inspections SET status = $2, updated_at = now()${stamps} WHERE id = $1`, [id, step.to]);
      await this.writeEvent(em, id, EVENT_OF[action], step.from, step.to, actor, client, done.reason ?? null, done.data ?? {});
      return { ok: true as const, value: done.value, status: step.to };
    });
  }

  private async writeEvent(
    em: EntityManager,
    inspectionId: string,
    event: string,
    from: InspectionStatus | null,
    to: InspectionStatus,
    actor: InspectionActor,
    client: InspectionClient,
    reason: string | null,
    data: Record<string, unknown>,
  ): Promise<void> {
    const rows: { id: string }[] = await em.query(
      `INSERT INTO inspection_events (inspection_id, event, at, actor, from_status, to_status, reason, data) VALUES ($1, $2, now(), $3, $4, $5, $6, $7) RETURNING id`,
      [inspectionId, event, JSON.stringify(actor), from, to, reason, JSON.stringify(data)],
    );
    await this.audit.record(
      {
        actor,
        action: `inspection.${event}`,
        targetType: 'inspection',
        targetId: inspectionId,
        ip: client.ip,
        userAgent: client.userAgent,
        outcome: 'ok',
        data: { eventId: Number(rows[0]?.id), from, to, ...(reason !== null && { reason }), ...data },
      },
      em,
    );
  }

  async events(inspectionId: string) {
    const rows: { id: string; event: string; at: Date; actor: InspectionActor; from_status: string | null; to_status: string; reason: string | null; data: Record<string, unknown> }[] = await this.ds.query(
      `SELECT id, event, at, actor, from_status, to_status, reason, data FROM inspection_events WHERE inspection_id = $1 ORDER BY id`,
      [inspectionId],
    );
    return rows.map((r) => ({ id: Number(r.id), event: r.event, at: r.at.toISOString(), actor: r.actor, from: r.from_status, to: r.to_status, reason: r.reason, data: r.data }));
  }

  /** Team, checklist, photos, findings, order, re-inspections and penalties of one inspection. */
  async parts(inspectionId: string) {
    const q = <R>(sql: string) => this.ds.query(sql, [inspectionId]) as Promise<R[]>;
    const [inspectors, checklist, photos, findings, orders, reinspections, penalties] = await Promise.all([
      q<{ inspector_id: string; name: string; certificate_no: string }>(`SELECT inspector_id, name, certificate_no FROM inspection_inspectors WHERE inspection_id = $1 ORDER BY name, inspector_id`),
      q<{ id: string; article: number; item: number | null; label: string; title: string; result: string | null; note: string | null }>(
        `SELECT id, article, item, label, title, result, note FROM inspection_checklist_items WHERE inspection_id = $1 ORDER BY article, COALESCE(item, 0)`,
      ),
      q<{ id: string; checklist_item_id: string | null; sha256: string; mime: string; size: number; storage_path: string; created_at: Date }>(
        `SELECT id, checklist_item_id, sha256, mime, size, storage_path, created_at FROM inspection_photos WHERE inspection_id = $1 ORDER BY created_at, id`,
      ),
      q<{ id: string; kind: 'major' | 'general'; article: number | null; item: number | null; description: string; hazard_id: string | null; created_at: Date }>(
        `SELECT id, kind, article, item, description, hazard_id, created_at FROM inspection_findings WHERE inspection_id = $1 ORDER BY created_at, id`,
      ),
      q<{ id: string; number: string; deadline: string; requirements: string; status: 'open' | 'closed'; issued_at: Date; closed_at: Date | null }>(
        `SELECT id, number, to_char(deadline, 'YYYY-MM-DD') AS deadline, requirements, status, issued_at, closed_at FROM inspection_orders WHERE inspection_id = $1`,
      ),
      q<{ id: string; visit_date: string; passed: boolean; note: string; recorded_at: Date }>(
        `SELECT id, to_char(visit_date, 'YYYY-MM-DD') AS visit_date, passed, note, recorded_at FROM inspection_reinspections WHERE inspection_id = $1 ORDER BY recorded_at, id`,
      ),
      q<{ id: string; legal_basis: string; amount: string; decision_number: string; decided_on: string; recorded_at: Date }>(
        `SELECT id, legal_basis, amount, decision_number, to_char(decided_on, 'YYYY-MM-DD') AS decided_on, recorded_at FROM inspection_penalties WHERE inspection_id = $1 ORDER BY recorded_at, id`,
      ),
    ]);
    const order = orders[0];
    return {
      inspectors: inspectors.map((i) => ({ id: i.inspector_id, name: i.name, certificateNo: i.certificate_no })),
      checklist: checklist.map((c) => ({ id: Number(c.id), article: c.article, item: c.item, label: c.label, title: c.title, result: c.result, note: c.note })),
      photos: photos.map((p) => ({ id: p.id, checklistItemId: p.checklist_item_id === null ? null : Number(p.checklist_item_id), sha256: p.sha256, mime: p.mime, size: p.size, storagePath: p.storage_path, createdAt: p.created_at.toISOString() })),
      findings: findings.map((f) => ({ id: f.id, kind: f.kind, article: f.article, item: f.item, description: f.description, hazardId: f.hazard_id, createdAt: f.created_at.toISOString() })),
      order: order ? { id: order.id, number: order.number, deadline: order.deadline, requirements: order.requirements, status: order.status, issuedAt: order.issued_at.toISOString(), closedAt: order.closed_at?.toISOString() ?? null } : null,
      reinspections: reinspections.map((r) => ({ id: r.id, visitDate: r.visit_date, passed: r.passed, note: r.note, recordedAt: r.recorded_at.toISOString() })),
      penalties: penalties.map((p) => ({ id: p.id, legalBasis: p.legal_basis, amount: Number(p.amount), decisionNumber: p.decision_number, decidedOn: p.decided_on, recordedAt: p.recorded_at.toISOString() })),
    };
  }

  // ---- draws ----

  /** Stores a draw and creates its planned `double_random` inspections, in one transaction with their events and audit rows. */
  async saveDraw(d: { id: string; regionCode: string; planId: string | null; input: DrawInput; result: DrawResult }, tasks: NewInspection[], actor: InspectionActor, client: InspectionClient): Promise<void> {
    await this.ds.transaction(async (em) => {
      await em.query(
        `INSERT INTO inspection_draws (id, region_code, plan_id, requested_n, requested_m, exclude_days, draw_day, seed, algorithm, candidates, inspectors, result, drawn_by, drawn_by_name)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
        [
          d.id,
          d.regionCode,
          d.planId,
          d.input.n,
          d.input.m,
          d.input.excludeDays,
          d.input.day,
          d.input.seed,
          d.result.algorithm,
          JSON.stringify(d.input.candidates),
          JSON.stringify(d.input.inspectors),
          JSON.stringify(d.result),
          actor.id,
          actor.username,
        ],
      );
      await this.audit.record(
        { actor, action: 'draw.create', targetType: 'draw', targetId: d.id, ip: client.ip, userAgent: client.userAgent, outcome: 'ok', data: { regionCode: d.regionCode, n: d.input.n, m: d.input.m, seed: d.input.seed, picks: d.result.picks.length } },
        em,
      );
      for (const t of tasks) await this.create(t, actor, client, em);
    });
  }

  async getDraw(id: string): Promise<DrawRow | null> {
    const rows = await this.drawRows(`WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  async listDraws(regionPrefix: string | null, page: PageRequest): Promise<Paged<DrawRow>> {
    const where = regionPrefix === null ? '' : `WHERE region_code LIKE $1`;
    const params = regionPrefix === null ? [] : [`${regionPrefix}%`];
    const [count] = (await this.ds.query(`SELECT count(*) AS n FROM inspection_draws ${where}`, params)) as { n: string }[];
    const items = await this.drawRows(`${where} ORDER BY drawn_at DESC, id LIMIT ${page.pageSize} OFFSET ${offsetOf(page)}`, params);
    return { items, total: Number(count?.n ?? 0), ...page };
  }

  private async drawRows(tail: string, params: unknown[]): Promise<DrawRow[]> {
    const rows: {
      id: string;
      region_code: string;
      plan_id: string | null;
      requested_n: number;
      requested_m: number;
      exclude_days: number;
      draw_day: string;
      seed: string;
      candidates: DrawInput['candidates'];
      inspectors: DrawInput['inspectors'];
      result: DrawResult;
      drawn_by: string | null;
      drawn_by_name: string | null;
      drawn_at: Date;
    }[] = await this.ds.query(
      `SELECT id, region_code, plan_id, requested_n, requested_m, exclude_days, to_char(draw_day, 'YYYY-MM-DD') AS draw_day, seed, candidates, inspectors, result, drawn_by, drawn_by_name, drawn_at FROM inspection_draws ${tail}`,
      params,
    );
    return rows.map((r) => ({
      id: r.id,
      regionCode: r.region_code,
      planId: r.plan_id,
      input: { seed: r.seed, day: r.draw_day, n: r.requested_n, m: r.requested_m, excludeDays: r.exclude_days, candidates: r.candidates, inspectors: r.inspectors },
      result: r.result,
      drawnBy: r.drawn_by,
      drawnByName: r.drawn_by_name,
      drawnAt: r.drawn_at.toISOString(),
    }));
  }

  // ---- what the draw and the due list read ----

  /**
   * The enterprises under a region prefix that are not closed, with their latest grade (null: 未定级)
   * and last site visit (a recorded, not online-patrol inspection), in a stable order (by id).
   */
  async ledgerForDraw(regionPrefix: string): Promise<{ id: string; name: string; regionCode: string; level: RiskLevel | null; lastInspectedOn: string | null }[]> {
    const rows: { id: string; name: string; region_code: string; level: RiskLevel | null; last: string | null }[] = await this.ds.query(
      `SELECT e.id, e.name, e.region_code, g.level, to_char(v.last, 'YYYY-MM-DD') AS last
         FROM enterprises e
         LEFT JOIN LATERAL (SELECT level FROM enterprise_risk_grades WHERE enterprise_id = e.id ORDER BY day DESC LIMIT 1) g ON true
         LEFT JOIN LATERAL (SELECT max(visit_date) AS last FROM inspections
                             WHERE enterprise_id = e.id AND mode <> 'online_patrol' AND status IN ('recorded', 'rectifying', 'closed')) v ON true
        WHERE e.region_code LIKE $1 AND e.status <> 'closed'
        ORDER BY e.id`,
      [`${regionPrefix}%`],
    );
    return rows.map((r) => ({ id: r.id, name: r.name, regionCode: r.region_code, level: r.level, lastInspectedOn: r.last }));
  }
}

const EVENT_OF: Record<InspectionAction, string> = {
  record: 'recorded',
  finding: 'finding_added',
  order: 'order_issued',
  reinspect_passed: 'reinspected',
  reinspect_failed: 'reinspected',
  penalty: 'penalty_recorded',
  close: 'closed',
  cancel: 'cancelled',
  photo: 'photos_added',
};
