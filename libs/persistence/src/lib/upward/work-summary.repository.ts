import type { RiskLevel } from '@sw/grading';
import type { DataSource } from 'typeorm';

/** What the repository reads of stored figures: the summary's key; the rest is the caller's (stored as JSON). */
export interface StoredSummaryFigures {
  regionCode: string;
  from: string;
  to: string;
}

export interface WorkSummaryRow<TFigures extends StoredSummaryFigures, TSection extends string = string> {
  id: string;
  regionCode: string;
  from: string;
  to: string;
  status: 'draft' | 'final';
  figures: TFigures;
  narratives: Partial<Record<TSection, string>>;
  revision: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  finalizedAt: string | null;
  finalizedBy: string | null;
}

type Row<TFigures, TSection extends string> = {
  id: string;
  region_code: string;
  period_from: string;
  period_to: string;
  status: 'draft' | 'final';
  figures: TFigures;
  narratives: Partial<Record<TSection, string>>;
  revision: number;
  created_at: Date;
  created_by_name: string;
  updated_at: Date;
  updated_by_name: string;
  finalized_at: Date | null;
  finalized_by_name: string | null;
};

const COLUMNS = `id, region_code, to_char(period_from, 'YYYY-MM-DD') AS period_from, to_char(period_to, 'YYYY-MM-DD') AS period_to, status, figures, narratives, revision,
  created_at, created_by_name, updated_at, updated_by_name, finalized_at, finalized_by_name`;

/**
 * Work summaries (`work_summaries`) and the figures the KPI report does not hold: ledger counts,
 * risk grades, inspections (when the table exists) and public reports of a region and period.
 * Generic over the stored figures and narrative sections (api's `SummaryFigures`, `SectionKey`), kept as JSON.
 */
export class WorkSummaryRepository<TFigures extends StoredSummaryFigures, TSection extends string = string> {
  constructor(private readonly ds: DataSource) {}

  async find(regionCode: string, from: string, to: string): Promise<WorkSummaryRow<TFigures, TSection> | null> {
    const rows: Row<TFigures, TSection>[] = await this.ds.query(`SELECT ${COLUMNS} FROM work_summaries WHERE region_code = $1 AND period_from = $2 AND period_to = $3`, [regionCode, from, to]);
    return rows[0] ? toSummary(rows[0]) : null;
  }

  async get(id: string): Promise<WorkSummaryRow<TFigures, TSection> | null> {
    const rows: Row<TFigures, TSection>[] = await this.ds.query(`SELECT ${COLUMNS} FROM work_summaries WHERE id = $1`, [id]);
    return rows[0] ? toSummary(rows[0]) : null;
  }

  async list(regionPrefix: string | null): Promise<WorkSummaryRow<TFigures, TSection>[]> {
    const rows: Row<TFigures, TSection>[] = await this.ds.query(`SELECT ${COLUMNS} FROM work_summaries WHERE ($1::text IS NULL OR region_code LIKE $1 || '%') ORDER BY period_from DESC, region_code LIMIT 100`, [regionPrefix]);
    return rows.map((r) => toSummary(r));
  }

  /** A new draft; a concurrent creation of the same summary keeps the first (answers the stored one). */
  async create(figures: TFigures, by: string): Promise<WorkSummaryRow<TFigures, TSection>> {
    await this.ds.query(
      `INSERT INTO work_summaries (region_code, period_from, period_to, figures, created_by_name, updated_by_name) VALUES ($1, $2, $3, $4, $5, $5)
        ON CONFLICT (region_code, period_from, period_to) DO NOTHING`,
      [figures.regionCode, figures.from, figures.to, JSON.stringify(figures), by],
    );
    return (await this.find(figures.regionCode, figures.from, figures.to)) as WorkSummaryRow<TFigures, TSection>;
  }

  /**
   * Changes a draft (narratives, figures, or finalizes it) when it is still a draft at `revision`
   * (when given); answers the row, or null when it is final or at another revision.
   */
  async updateDraft(id: string, change: { narratives?: Partial<Record<TSection, string>>; figures?: TFigures; finalizeBy?: { id: string; username: string } }, by: string, revision?: number): Promise<WorkSummaryRow<TFigures, TSection> | null> {
    // TypeORM answers an UPDATE … RETURNING as [rows, count]
    const [rows] = (await this.ds.query(
      `UPDATE work_summaries SET narratives = COALESCE($2, narratives), figures = COALESCE($3, figures), revision = revision + 1, updated_at = now(), updated_by_name = $4,
              status = CASE WHEN $5::uuid IS NULL THEN status ELSE 'final' END,
              finalized_at = CASE WHEN $5::uuid IS NULL THEN NULL ELSE now() END, finalized_by = $5, finalized_by_name = $6
        WHERE id = $1 AND status = 'draft' AND ($7::int IS NULL OR revision = $7)
        RETURNING ${COLUMNS}`,
      [id, change.narratives ? JSON.stringify(change.narratives) : null, change.figures ? JSON.stringify(change.figures) : null, by, change.finalizeBy?.id ?? null, change.finalizeBy?.username ?? null, revision ?? null],
    )) as [Row<TFigures, TSection>[], number];
    return rows[0] ? toSummary(rows[0]) : null;
  }

  /** Enterprises registered by `day` under the prefix, by their status on that day. */
  async enterprisesByStatus(regionPrefix: string, day: string): Promise<Record<string, number>> {
    const rows: { status: string; n: number }[] = await this.ds.query(
      `SELECT st.status, count(*)::int AS n FROM enterprises e
         CROSS JOIN LATERAL (SELECT s.status FROM enterprise_status_changes s WHERE s.enterprise_id = e.id AND s.effective_date <= $2::date
                              ORDER BY s.recorded_at DESC, s.effective_date DESC LIMIT 1) st
        WHERE e.region_code LIKE $1 || '%' GROUP BY st.status ORDER BY st.status`,
      [regionPrefix, day],
    );
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }

  /** Each enterprise's latest risk level on or before `day` (table `enterprise_risk_grades`). */
  async riskLevels(regionPrefix: string, day: string): Promise<{ day: string | null; levels: Record<RiskLevel, number>; graded: number }> {
    const rows: { level: RiskLevel; n: number; day: string | null }[] = await this.ds.query(
      `SELECT g.level, count(*)::int AS n, to_char(max(g.day), 'YYYY-MM-DD') AS day FROM (
          SELECT DISTINCT ON (r.enterprise_id) r.enterprise_id, r.level, r.day FROM enterprise_risk_grades r JOIN enterprises e ON e.id = r.enterprise_id
           WHERE e.region_code LIKE $1 || '%' AND r.day <= $2::date ORDER BY r.enterprise_id, r.day DESC) g
        GROUP BY g.level`,
      [regionPrefix, day],
    );
    const levels: Record<RiskLevel, number> = { red: 0, orange: 0, yellow: 0, blue: 0 };
    for (const r of rows) levels[r.level] = r.n;
    const days = rows.map((r) => r.day).filter((d): d is string => d !== null).sort();
    return { day: days.at(-1) ?? null, levels, graded: rows.reduce((s, r) => s + r.n, 0) };
  }

  /** Site visits carried out in [from, to] (days) by mode: recorded, under rectification or closed — not planned or cancelled. */
  async inspectionsByMode(regionPrefix: string, from: string, to: string): Promise<Record<string, number>> {
    const rows: { mode: string; n: number }[] = await this.ds.query(
      `SELECT mode, count(*)::int AS n FROM inspections
        WHERE region_code LIKE $1 || '%' AND visit_date BETWEEN $2::date AND $3::date AND status IN ('recorded', 'rectifying', 'closed')
        GROUP BY mode`,
      [regionPrefix, from, to],
    );
    return Object.fromEntries(rows.map((r) => [r.mode, r.n]));
  }

  /** Public reports received in [start, end) under the prefix, by status; reports without a region yet counted apart. */
  async publicReports(regionPrefix: string, start: Date, end: Date): Promise<{ byStatus: Record<string, number>; unattributed: number }> {
    const rows: { status: string; n: number; attributed: boolean }[] = await this.ds.query(
      `SELECT status, region_code IS NOT NULL AS attributed, count(*)::int AS n FROM public_reports
        WHERE created_at >= $2 AND created_at < $3 AND (region_code IS NULL OR region_code LIKE $1 || '%') GROUP BY status, region_code IS NOT NULL`,
      [regionPrefix, start, end],
    );
    const byStatus: Record<string, number> = {};
    let unattributed = 0;
    for (const r of rows) {
      if (!r.attributed) unattributed += r.n;
      else byStatus[r.status] = (byStatus[r.status] ?? 0) + r.n;
    }
    return { byStatus, unattributed };
  }
}

function toSummary<TFigures extends StoredSummaryFigures, TSection extends string>(r: Row<TFigures, TSection>): WorkSummaryRow<TFigures, TSection> {
  return {
    id: r.id,
    regionCode: r.region_code,
    from: r.period_from,
    to: r.period_to,
    status: r.status,
    figures: r.figures,
    narratives: r.narratives,
    revision: r.revision,
    createdAt: r.created_at.toISOString(),
    createdBy: r.created_by_name,
    updatedAt: r.updated_at.toISOString(),
    updatedBy: r.updated_by_name,
    finalizedAt: r.finalized_at?.toISOString() ?? null,
    finalizedBy: r.finalized_by_name,
  };
}
