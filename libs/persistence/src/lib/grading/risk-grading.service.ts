import { DEFAULT_GRADING_CONFIG, gradeEnterprise, GRADING_WINDOW_DAYS, type GradingConfig, type RiskLevel, type StandardizationGradeCode } from '@sw/grading';
import { type DataPoint, onlineShares, rate, type ReadingRun, scopeVerdict, statusOn } from '@sw/kpi';
import type { DataSource } from 'typeorm';
import { type GradingEnterpriseRow, GradingInputsRepository } from './grading-inputs.repository';
import type { InfluxQuery } from '../readings/influx.client';
import { InfluxReadingsRepository, offlineWindowMs } from '../readings/influx-readings.repository';
import { RiskGradesRepository } from './risk-grades.repository';

const DAY_MS = 86_400_000;
/** Points per InfluxDB query of the online rate (their ids form the query's regex). */
const POINTS_PER_QUERY = 500;

/** Advisory-lock key of a grading run: one runner at a time (alerting's daily job, the CLI's `grades compute`). */
export const GRADING_LOCK = 1_765_620_000;

export interface GradeDayRequest {
  /** the Asia/Shanghai day the rows are for */
  day: string;
  /** the instant the inputs describe (now, or the end of a past day) */
  asOf: number;
  /** grade only the enterprises under this region prefix; null for all */
  regionPrefix?: string | null;
  /** grade only the enterprises that have no row for the day yet (the daily job); otherwise every row is replaced */
  onlyMissing?: boolean;
  /** a PostgreSQL advisory lock held for the run: a second runner with the same key skips */
  lockKey?: number;
}

export interface GradeDayResult {
  day: string;
  asOf: number;
  /** false when another runner held the lock */
  ran: boolean;
  graded: number;
  levels: Record<RiskLevel, number>;
}

/** The grade in force on `day`: set, not expired, not revoked (docs/domain.md "The closed loop"). */
export function standardizationOn(e: Pick<GradingEnterpriseRow, 'standardizationGrade' | 'standardizationValidUntil' | 'standardizationRevokedOn'>, day: string): StandardizationGradeCode | null {
  if (e.standardizationGrade === null) return null;
  if (e.standardizationValidUntil !== null && e.standardizationValidUntil < day) return null;
  if (e.standardizationRevokedOn !== null && e.standardizationRevokedOn <= day) return null;
  return e.standardizationGrade;
}

/** `day` minus n days, as YYYY-MM-DD. */
const minusDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) - n * DAY_MS).toISOString().slice(0, 10);

/**
 * Grades a day (分级分类 · 风险预警, docs/domain.md "The closed loop"): every enterprise in the
 * connection scope on that day gets one row, its level from @sw/grading over inputs gathered for all
 * enterprises at once — ledger and major hazards, red and orange alarms of the last 30 days, the
 * online rate of those days by the KPI definition (InfluxDB, via `InfluxReadingsRepository.readingRuns`). One transaction under
 * an optional advisory lock; re-running the day replaces its rows. Used by alerting's daily job and
 * the CLI's `grades compute`.
 */
export class RiskGradingService {
  private readonly readings: InfluxReadingsRepository;

  constructor(
    private readonly ds: DataSource,
    influx: InfluxQuery,
    private readonly config: GradingConfig = DEFAULT_GRADING_CONFIG,
  ) {
    this.readings = new InfluxReadingsRepository(influx);
  }

  async gradeDay(req: GradeDayRequest): Promise<GradeDayResult> {
    const levels: Record<RiskLevel, number> = { red: 0, orange: 0, yellow: 0, blue: 0 };
    const region = req.regionPrefix ?? null;
    return this.ds.transaction(async (em) => {
      if (req.lockKey !== undefined) {
        const [lock] = (await em.query(`SELECT pg_try_advisory_xact_lock($1) AS ok`, [req.lockKey])) as [{ ok: boolean }];
        if (!lock.ok) return { day: req.day, asOf: req.asOf, ran: false, graded: 0, levels };
      }
      const inputs = new GradingInputsRepository(em);
      const all = await inputs.enterprises(region, req.asOf);
      const inScope = all.filter((e) => scopeVerdict({ ...e, status: statusOn(e.statusHistory, req.day, e.status) }, req.day) === 'in');
      const done = req.onlyMissing ? await inputs.graded(inScope.map((e) => e.id), req.day) : new Set<string>();
      const todo = inScope.filter((e) => !done.has(e.id));
      const ids = todo.map((e) => e.id);
      const from = req.asOf - GRADING_WINDOW_DAYS * DAY_MS;
      const [alarms, online] = await Promise.all([inputs.alarms(ids, from, req.asOf), this.onlineRates(inputs, todo, req)]);
      const rows = todo.map((e) => {
        const grade = gradeEnterprise(
          {
            riskCategories: e.riskCategories,
            dustWorkers: e.dustWorkers,
            deepWellCasting: e.deepWellCasting,
            openMajorHazards: e.openMajorHazards,
            overdueMajorHazards: e.overdueMajorHazards,
            alarms: alarms.get(e.id) ?? [],
            onlineRate: online.get(e.id) ?? null,
            standardizationGrade: standardizationOn(e, req.day),
          },
          req.asOf,
          this.config,
        );
        levels[grade.level]++;
        return { enterpriseId: e.id, day: req.day, ...grade, weights: this.config.weights, thresholds: this.config.thresholds };
      });
      await RiskGradesRepository.upsert(em, rows, req.asOf);
      if (!req.onlyMissing) await RiskGradesRepository.removeOthers(em, req.day, region, inScope.map((e) => e.id));
      return { day: req.day, asOf: req.asOf, ran: true, graded: rows.length, levels };
    });
  }

  /** 在线率 of the last 30 days up to `asOf` per enterprise (docs/domain.md "KPIs", by data); null with no eligible time. */
  private async onlineRates(inputs: GradingInputsRepository, enterprises: readonly GradingEnterpriseRow[], req: GradeDayRequest): Promise<Map<string, number | null>> {
    const period = { from: minusDays(req.day, GRADING_WINDOW_DAYS - 1), to: req.day, until: req.asOf };
    const points = await inputs.points(enterprises.map((e) => e.id));
    const windowStart = Date.parse(`${period.from}T00:00:00+08:00`);
    // a bounded regex per InfluxDB query: the points in slices, one slice after the other
    const runs = new Map<string, ReadingRun[]>();
    for (let i = 0; i < points.length; i += POINTS_PER_QUERY) {
      for (const [id, r] of await this.readings.readingRuns(points.slice(i, i + POINTS_PER_QUERY), windowStart, req.asOf, null)) runs.set(id, r);
    }
    const byEnterprise = new Map<string, DataPoint[]>();
    for (const pt of points) {
      const list = byEnterprise.get(pt.enterpriseId) ?? [];
      list.push({ mandatory: pt.mandatory, offlineWindowMs: offlineWindowMs(pt.expectedIntervalS), createdAt: pt.createdAt, runs: runs.get(pt.id) ?? [] });
      byEnterprise.set(pt.enterpriseId, list);
    }
    const shares = onlineShares(enterprises.map((e) => ({ ...e, points: byEnterprise.get(e.id) ?? [] })), period);
    return new Map(shares.map((s) => [s.id, s.eligibleMs > 0 ? rate(s.onlineMs, s.eligibleMs) : null]));
  }
}
