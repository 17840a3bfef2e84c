import type { GradingAlarm, StandardizationGradeCode } from '@sw/grading';
import type { StatusChange } from '@sw/kpi';
import type { EntityManager } from 'typeorm';
import type { EnterpriseStatus } from '../entities/enterprise.entity';

/** An enterprise with its ledger fields and its major hazards as of an instant. */
export interface GradingEnterpriseRow {
  id: string;
  regionCode: string;
  riskCategories: string[];
  dustWorkers: number | null;
  status: EnterpriseStatus;
  statusHistory: StatusChange[];
  deepWellCasting: boolean;
  standardizationGrade: StandardizationGradeCode | null;
  standardizationValidUntil: string | null;
  standardizationRevokedOn: string | null;
  /** first valid reading of any of its gateways */
  connectedAt: number | null;
  openMajorHazards: number;
  overdueMajorHazards: number;
}

export interface GradingPointRow {
  id: string;
  enterpriseId: string;
  mandatory: boolean;
  expectedIntervalS: number;
  createdAt: number;
}

const ms = (d: Date | null) => (d === null ? null : d.getTime());

/**
 * The PostgreSQL inputs of the risk grading, each one statement for every enterprise at once (no
 * query per enterprise): the ledger with hazards, the red and orange alarms, the points.
 */
export class GradingInputsRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * Enterprises under `regionPrefix` (all with null) with their major hazards at `asOf`: open =
   * confirmed and not signed off by then, overdue = open and past its deadline.
   */
  async enterprises(regionPrefix: string | null, asOf: number): Promise<GradingEnterpriseRow[]> {
    const rows: {
      id: string;
      region_code: string;
      risk_categories: string[];
      dust_workers: number | null;
      status: EnterpriseStatus;
      deep_well: boolean;
      standardization_grade: StandardizationGradeCode | null;
      valid_until: string | null;
      revoked_on: string | null;
      connected_at: Date | null;
      history: { status: EnterpriseStatus; effectiveDate: string; recordedAt: string }[];
      open_hazards: number;
      overdue_hazards: number;
    }[] = await this.em.query(
      `WITH open_hazards AS (
         SELECT h.enterprise_id, count(*)::int AS open, count(*) FILTER (WHERE h.deadline < $2)::int AS overdue
           FROM hazards h
          WHERE h.confirmed_at <= $2 AND (h.signed_off_at IS NULL OR h.signed_off_at > $2) AND h.status <> 'rejected'
          GROUP BY h.enterprise_id)
       SELECT e.id, e.region_code, e.risk_categories, e.dust_workers, e.status,
              COALESCE((e.process_flags->>'deepWellCasting')::boolean, false) AS deep_well,
              e.standardization_grade,
              to_char(e.standardization_valid_until, 'YYYY-MM-DD') AS valid_until,
              to_char(e.standardization_revoked_on, 'YYYY-MM-DD') AS revoked_on,
              (SELECT min(g.first_reading_at) FROM gateways g WHERE g.enterprise_id = e.id) AS connected_at,
              COALESCE((SELECT json_agg(json_build_object('status', s.status, 'effectiveDate', to_char(s.effective_date, 'YYYY-MM-DD'), 'recordedAt', s.recorded_at))
                          FROM enterprise_status_changes s WHERE s.enterprise_id = e.id), '[]'::json) AS history,
              COALESCE(oh.open, 0) AS open_hazards, COALESCE(oh.overdue, 0) AS overdue_hazards
         FROM enterprises e LEFT JOIN open_hazards oh ON oh.enterprise_id = e.id
        WHERE ($1::text IS NULL OR e.region_code LIKE $1 || '%')
        ORDER BY e.region_code, e.id`,
      [regionPrefix, new Date(asOf)],
    );
    return rows.map((r) => ({
      id: r.id,
      regionCode: r.region_code,
      riskCategories: r.risk_categories,
      dustWorkers: r.dust_workers,
      status: r.status,
      statusHistory: r.history.map((h) => ({ status: h.status, effectiveDate: h.effectiveDate, recordedAt: Date.parse(h.recordedAt) })),
      deepWellCasting: r.deep_well,
      standardizationGrade: r.standardization_grade,
      standardizationValidUntil: r.valid_until,
      standardizationRevokedOn: r.revoked_on,
      connectedAt: ms(r.connected_at),
      openMajorHazards: r.open_hazards,
      overdueMajorHazards: r.overdue_hazards,
    }));
  }

  /** Red and orange alarms (by peak tier) raised in (from, to], each with its first acknowledgement up to `to`. */
  async alarms(enterpriseIds: readonly string[], from: number, to: number): Promise<Map<string, GradingAlarm[]>> {
    const out = new Map<string, GradingAlarm[]>();
    if (enterpriseIds.length === 0) return out;
    const rows: { enterprise_id: string; tier: 'red' | 'orange'; raised_at: Date; acked_at: Date | null }[] = await this.em.query(
      `SELECT a.enterprise_id, COALESCE(a.snapshot->>'peakTier', a.tier) AS tier, a.raised_at,
              (SELECT min(ev.at) FROM alarm_events ev WHERE ev.alarm_id = a.id AND ev.event = 'acknowledged' AND ev.at <= $3) AS acked_at
         FROM alarms a
        WHERE a.enterprise_id = ANY($1::uuid[]) AND a.raised_at > $2 AND a.raised_at <= $3
          AND COALESCE(a.snapshot->>'peakTier', a.tier) IN ('red', 'orange')`,
      [enterpriseIds, new Date(from), new Date(to)],
    );
    for (const r of rows) {
      const list = out.get(r.enterprise_id) ?? [];
      list.push({ tier: r.tier, raisedAt: r.raised_at.getTime(), ackedAt: ms(r.acked_at) });
      out.set(r.enterprise_id, list);
    }
    return out;
  }

  /** Every point of these enterprises (the online rate judges by data). */
  async points(enterpriseIds: readonly string[]): Promise<GradingPointRow[]> {
    if (enterpriseIds.length === 0) return [];
    const rows: { id: string; enterprise_id: string; mandatory: boolean; expected_interval_s: number; created_at: Date }[] = await this.em.query(
      `SELECT p.id, g.enterprise_id, p.mandatory, p.expected_interval_s, p.created_at FROM points p JOIN gateways g ON g.id = p.gateway_id
        WHERE g.enterprise_id = ANY($1::uuid[])`,
      [enterpriseIds],
    );
    return rows.map((r) => ({ id: r.id, enterpriseId: r.enterprise_id, mandatory: r.mandatory, expectedIntervalS: r.expected_interval_s, createdAt: r.created_at.getTime() }));
  }

  /** Which of these enterprises already have a row for `day`. */
  async graded(enterpriseIds: readonly string[], day: string): Promise<Set<string>> {
    if (enterpriseIds.length === 0) return new Set();
    const rows: { enterprise_id: string }[] = await this.em.query(`SELECT enterprise_id FROM enterprise_risk_grades WHERE day = $1 AND enterprise_id = ANY($2::uuid[])`, [day, enterpriseIds]);
    return new Set(rows.map((r) => r.enterprise_id));
  }
}
