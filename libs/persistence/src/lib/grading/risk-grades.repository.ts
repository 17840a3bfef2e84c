import type { GradePart, GradingConfig, RiskLevel } from '@sw/grading';
import type { DataSource, EntityManager } from 'typeorm';
import { type RecordScope, scopeWhere } from '../users/record-scope';

/** One stored grade: an enterprise's risk level on one Asia/Shanghai day (风险预警, not an alarm). */
export interface RiskGradeRow {
  enterpriseId: string;
  day: string;
  level: RiskLevel;
  score: number;
  parts: GradePart[];
  standardizationVeto: boolean;
  weights: GradingConfig['weights'];
  thresholds: GradingConfig['thresholds'];
  computedAt: string;
}

/** A current grade with the enterprise it belongs to. */
export interface CurrentGradeRow extends RiskGradeRow {
  enterpriseName: string;
  regionCode: string;
}

interface DbRow {
  enterprise_id: string;
  day: string;
  level: RiskLevel;
  score: string;
  parts: GradePart[];
  standardization_veto: boolean;
  weights: GradingConfig['weights'];
  thresholds: GradingConfig['thresholds'];
  computed_at: Date;
  name?: string;
  region_code?: string;
}

const COLUMNS = `g.enterprise_id, to_char(g.day, 'YYYY-MM-DD') AS day, g.level, g.score, g.parts, g.standardization_veto, g.weights, g.thresholds, g.computed_at`;

const toRow = (r: DbRow): RiskGradeRow => ({
  enterpriseId: r.enterprise_id,
  day: r.day,
  level: r.level,
  score: Number(r.score),
  parts: r.parts,
  standardizationVeto: r.standardization_veto,
  weights: r.weights,
  thresholds: r.thresholds,
  computedAt: r.computed_at.toISOString(),
});

/** `enterprise_risk_grades`: one row per enterprise per day; a re-run of a day replaces its rows. */
export class RiskGradesRepository {
  constructor(private readonly ds: DataSource) {}

  /** Writes (or replaces) the day's rows of these grades, in the caller's transaction. */
  static async upsert(em: EntityManager, rows: readonly Omit<RiskGradeRow, 'computedAt'>[], computedAt: number): Promise<void> {
    if (rows.length === 0) return;
    await em.query(
      `INSERT INTO enterprise_risk_grades (enterprise_id, day, level, score, parts, standardization_veto, weights, thresholds, computed_at)
       SELECT r.enterprise_id, r.day, r.level, r.score, r.parts, r.standardization_veto, r.weights, r.thresholds, $2
         FROM jsonb_to_recordset($1::jsonb) AS r(enterprise_id uuid, day date, level text, score numeric, parts jsonb, standardization_veto boolean, weights jsonb, thresholds jsonb)
       ON CONFLICT (enterprise_id, day) DO UPDATE SET level = EXCLUDED.level, score = EXCLUDED.score, parts = EXCLUDED.parts,
         standardization_veto = EXCLUDED.standardization_veto, weights = EXCLUDED.weights, thresholds = EXCLUDED.thresholds, computed_at = EXCLUDED.computed_at`,
      [
        JSON.stringify(
          rows.map((r) => ({ enterprise_id: r.enterpriseId, day: r.day, level: r.level, score: r.score, parts: r.parts, standardization_veto: r.standardizationVeto, weights: r.weights, thresholds: r.thresholds })),
        ),
        new Date(computedAt),
      ],
    );
  }

  /** Removes the day's rows of enterprises under `regionPrefix` that were not graded this time (they left the scope). */
  static async removeOthers(em: EntityManager, day: string, regionPrefix: string | null, keep: readonly string[]): Promise<void> {
    await em.query(
      `DELETE FROM enterprise_risk_grades g USING enterprises e
        WHERE g.enterprise_id = e.id AND g.day = $1 AND ($2::text IS NULL OR e.region_code LIKE $2 || '%') AND NOT (g.enterprise_id = ANY($3::uuid[]))`,
      [day, regionPrefix, keep],
    );
  }

  /** Each enterprise's latest grade in scope (and under `regionPrefix`), by region and name. */
  async current(scope: RecordScope, regionPrefix: string | null, level: RiskLevel | null = null): Promise<CurrentGradeRow[]> {
    const s = scopeWhere(scope, { enterpriseId: 'e.id', regionCode: 'e.region_code' });
    const qb = this.ds
      .createQueryBuilder()
      .select(`DISTINCT ON (g.enterprise_id) ${COLUMNS}, e.name AS name, e.region_code AS region_code`)
      .from('enterprise_risk_grades', 'g')
      .innerJoin('enterprises', 'e', 'e.id = g.enterprise_id')
      .where(s.sql, s.params)
      .orderBy('g.enterprise_id')
      .addOrderBy('g.day', 'DESC');
    if (regionPrefix) qb.andWhere('e.region_code LIKE :prefix', { prefix: `${regionPrefix}%` });
    const rows = (await qb.getRawMany<DbRow>())
      .filter((r) => level === null || r.level === level)
      .sort((a, b) => (a.region_code ?? '').localeCompare(b.region_code ?? '') || (a.name ?? '').localeCompare(b.name ?? '', 'zh'));
    return rows.map((r) => ({ ...toRow(r), enterpriseName: r.name ?? '', regionCode: r.region_code ?? '' }));
  }

  /** One enterprise's grades from `from` to `to` (days, both included), oldest first; null when out of scope or unknown. */
  async history(scope: RecordScope, enterpriseId: string, from: string, to: string): Promise<RiskGradeRow[] | null> {
    const s = scopeWhere(scope, { enterpriseId: 'e.id', regionCode: 'e.region_code' });
    const visible = await this.ds.createQueryBuilder().select('e.id').from('enterprises', 'e').where('e.id = :id', { id: enterpriseId }).andWhere(s.sql, s.params).getRawOne();
    if (!visible) return null;
    const rows: DbRow[] = await this.ds.query(`SELECT ${COLUMNS} FROM enterprise_risk_grades g WHERE g.enterprise_id = $1 AND g.day BETWEEN $2 AND $3 ORDER BY g.day`, [enterpriseId, from, to]);
    return rows.map(toRow);
  }
}
