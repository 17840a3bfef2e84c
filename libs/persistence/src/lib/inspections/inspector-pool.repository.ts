import type { RiskLevel } from '@sw/inspections';
import type { DataSource } from 'typeorm';
import { AuditRepository } from '../audit/audit.repository';
import type { InspectionActor, InspectionClient } from './inspection-store';

export interface InspectorRow {
  id: string;
  regionCode: string;
  name: string;
  certificateNo: string;
  active: boolean;
  /** enterprises the inspector is related to (conflict of interest) */
  relatedEnterpriseIds: string[];
}

export interface PlanRow {
  id: string;
  regionCode: string;
  year: number;
  /** target inspection counts per risk level for the year */
  targets: Record<RiskLevel, number>;
  note: string | null;
  updatedAt: string;
}

const INSPECTOR_SELECT = `SELECT i.id, i.region_code, i.name, i.certificate_no, i.active,
       COALESCE(array_agg(c.enterprise_id::text ORDER BY c.enterprise_id) FILTER (WHERE c.enterprise_id IS NOT NULL), '{}') AS related
  FROM inspectors i LEFT JOIN inspector_conflicts c ON c.inspector_id = i.id`;

type RawInspector = { id: string; region_code: string; name: string; certificate_no: string; active: boolean; related: string[] };
const toInspector = (r: RawInspector): InspectorRow => ({ id: r.id, regionCode: r.region_code, name: r.name, certificateNo: r.certificate_no, active: r.active, relatedEnterpriseIds: r.related });

/** The inspector pool per region (with conflicts of interest) and the yearly plans; every write audited in its transaction. */
export class InspectorPoolRepository {
  private readonly audit: AuditRepository;

  constructor(private readonly ds: DataSource) {
    this.audit = new AuditRepository(ds);
  }

  /** Inspectors whose region lies under `prefix` or covers it (a city inspector serves its districts); null = all. */
  async list(prefix: string | null): Promise<InspectorRow[]> {
    const where = prefix === null ? '' : `WHERE i.region_code LIKE $1 OR $2 LIKE i.region_code || '%'`;
    const rows: RawInspector[] = await this.ds.query(`${INSPECTOR_SELECT} ${where} GROUP BY i.id ORDER BY i.region_code, i.name, i.id`, prefix === null ? [] : [`${prefix}%`, prefix]);
    return rows.map(toInspector);
  }

  async get(id: string): Promise<InspectorRow | null> {
    const rows: RawInspector[] = await this.ds.query(`${INSPECTOR_SELECT} WHERE i.id = $1 GROUP BY i.id`, [id]);
    return rows[0] ? toInspector(rows[0]) : null;
  }

  async create(i: Omit<InspectorRow, 'id'>, actor: InspectionActor, client: InspectionClient): Promise<string> {
    return this.ds.transaction(async (em) => {
      const [row] = (await em.query(`INSERT INTO inspectors (region_code, name, certificate_no, active) VALUES ($1, $2, $3, $4) RETURNING id`, [i.regionCode, i.name, i.certificateNo, i.active])) as { id: string }[];
      if (!row) throw new Error('inspector not written');
      const id = row.id;
      for (const e of i.relatedEnterpriseIds) await em.query(`INSERT INTO inspector_conflicts (inspector_id, enterprise_id) VALUES ($1, $2)`, [id, e]);
      await this.audit.record({ actor, action: 'inspector.create', targetType: 'inspector', targetId: id, ip: client.ip, userAgent: client.userAgent, outcome: 'ok', data: { ...i } }, em);
      return id;
    });
  }

  async update(id: string, patch: { name?: string; active?: boolean; relatedEnterpriseIds?: string[] }, actor: InspectionActor, client: InspectionClient): Promise<void> {
    await this.ds.transaction(async (em) => {
      if (patch.name !== undefined) await em.query(`UPDATE inspectors SET name = $2, updated_at = now() WHERE id = $1`, [id, patch.name]);
      if (patch.active !== undefined) await em.query(`UPDATE inspectors SET active = $2, updated_at = now() WHERE id = $1`, [id, patch.active]);
      if (patch.relatedEnterpriseIds) {
        await em.query(`DELETE FROM inspector_conflicts WHERE inspector_id = $1`, [id]);
        for (const e of patch.relatedEnterpriseIds) await em.query(`INSERT INTO inspector_conflicts (inspector_id, enterprise_id) VALUES ($1, $2)`, [id, e]);
      }
      await this.audit.record({ actor, action: 'inspector.update', targetType: 'inspector', targetId: id, ip: client.ip, userAgent: client.userAgent, outcome: 'ok', data: { ...patch } }, em);
    });
  }

  async listPlans(prefix: string | null, year?: number): Promise<PlanRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (prefix !== null) where.push(`region_code LIKE $${params.push(`${prefix}%`)}`);
    if (year !== undefined) where.push(`year = $${params.push(year)}`);
    const rows: { id: string; region_code: string; year: number; targets: Record<RiskLevel, number>; note: string | null; updated_at: Date }[] = await this.ds.query(
      `SELECT id, region_code, year, targets, note, updated_at FROM inspection_plans ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY year DESC, region_code`,
      params,
    );
    return rows.map((r) => ({ id: r.id, regionCode: r.region_code, year: r.year, targets: r.targets, note: r.note, updatedAt: r.updated_at.toISOString() }));
  }

  /** Creates or replaces the plan of a region and year. */
  async putPlan(p: { regionCode: string; year: number; targets: Record<RiskLevel, number>; note: string | null }, actor: InspectionActor, client: InspectionClient): Promise<string> {
    return this.ds.transaction(async (em) => {
      const [row] = (await em.query(
        `INSERT INTO inspection_plans (region_code, year, targets, note, created_by) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (region_code, year) DO UPDATE SET targets = EXCLUDED.targets, note = EXCLUDED.note, updated_at = now() RETURNING id`,
        [p.regionCode, p.year, JSON.stringify(p.targets), p.note, actor.id],
      )) as { id: string }[];
      if (!row) throw new Error('plan not written');
      await this.audit.record({ actor, action: 'inspection_plan.put', targetType: 'inspection_plan', targetId: row.id, ip: client.ip, userAgent: client.userAgent, outcome: 'ok', data: { ...p } }, em);
      return row.id;
    });
  }

  /** Plan progress: site inspections recorded in the year per level of the enterprise's latest grade (null: 未定级). */
  async progress(prefix: string, year: number): Promise<{ level: RiskLevel | null; done: number }[]> {
    const rows: { level: RiskLevel | null; n: string }[] = await this.ds.query(
      `SELECT g.level, count(*) AS n FROM inspections i
         LEFT JOIN LATERAL (SELECT level FROM enterprise_risk_grades WHERE enterprise_id = i.enterprise_id ORDER BY day DESC LIMIT 1) g ON true
        WHERE i.region_code LIKE $1 AND extract(year FROM i.visit_date) = $2 AND i.mode <> 'online_patrol' AND i.status IN ('recorded', 'rectifying', 'closed')
        GROUP BY g.level`,
      [`${prefix}%`, year],
    );
    return rows.map((r) => ({ level: r.level, done: Number(r.n) }));
  }
}
