import type { DataSource } from 'typeorm';

/** What the repository reads of a stored report; the rest of the document is the caller's (stored as JSON). */
export interface StoredReport {
  regionCode: string | null;
  from: string;
  to: string;
  /** the stored version (1 = as first generated); a new version only on request */
  version: number;
  generatedAt: string;
  generatedBy: string;
}

/** A stored version of a half-year report (table `half_year_reports`). */
export interface ReportVersion {
  version: number;
  generatedAt: string;
  generatedBy: string;
}

const regionKey = (regionCode: string | null) => regionCode ?? '';

/**
 * Half-year report figures as first generated: the PDF and XLSX render a stored version, so later
 * data (late readings, alarms closed since) never changes a report after the fact. A new version is
 * only ever made on an explicit request. Generic over the stored document (api's `HalfYearReport`).
 */
export class ReportSnapshotRepository<TReport extends StoredReport> {
  constructor(private readonly ds: DataSource) {}

  /** The newest version, or the one asked for; null when none is stored. */
  async find(regionCode: string | null, from: string, to: string, version?: number): Promise<TReport | null> {
    const rows = (await this.ds.query(
      `SELECT figures FROM half_year_reports WHERE region_key = $1 AND period_from = $2 AND period_to = $3 AND ($4::int IS NULL OR version = $4)
        ORDER BY version DESC LIMIT 1`,
      [regionKey(regionCode), from, to, version ?? null],
    )) as { figures: TReport }[];
    return rows[0]?.figures ?? null;
  }

  async versions(regionCode: string | null, from: string, to: string): Promise<ReportVersion[]> {
    const rows = (await this.ds.query(
      `SELECT version, generated_at, generated_by_name FROM half_year_reports WHERE region_key = $1 AND period_from = $2 AND period_to = $3 ORDER BY version`,
      [regionKey(regionCode), from, to],
    )) as { version: number; generated_at: Date; generated_by_name: string }[];
    return rows.map((r) => ({ version: r.version, generatedAt: r.generated_at.toISOString(), generatedBy: r.generated_by_name }));
  }

  /**
   * Stores `report` as the next version (`onlyIfNone`: only when no version exists yet — the first
   * generation; a concurrent first generation keeps the one stored first). Answers the stored report.
   */
  async store(report: Omit<TReport, 'version'>, by: { id: string; username: string }, onlyIfNone: boolean): Promise<TReport> {
    const key = regionKey(report.regionCode);
    return this.ds.transaction(async (m) => {
      // one writer per report key at a time (transaction-scoped advisory lock)
      await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`half_year_report:${key}:${report.from}:${report.to}`]);
      const [{ last }] = (await m.query(`SELECT COALESCE(max(version), 0) AS last FROM half_year_reports WHERE region_key = $1 AND period_from = $2 AND period_to = $3`, [key, report.from, report.to])) as [{ last: number }];
      if (onlyIfNone && last > 0) {
        const [{ figures }] = (await m.query(`SELECT figures FROM half_year_reports WHERE region_key = $1 AND period_from = $2 AND period_to = $3 AND version = $4`, [key, report.from, report.to, last])) as [{ figures: TReport }];
        return figures;
      }
      const stored = { ...report, version: last + 1, generatedBy: by.username } as TReport;
      await m.query(
        `INSERT INTO half_year_reports (region_key, period_from, period_to, version, figures, generated_at, generated_by, generated_by_name) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [key, report.from, report.to, stored.version, JSON.stringify(stored), report.generatedAt, by.id, by.username],
      );
      return stored;
    });
  }
}
