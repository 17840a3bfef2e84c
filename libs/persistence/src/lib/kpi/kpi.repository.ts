import type { EnterpriseStatus, RiskCategory } from '../entities/enterprise.entity';
import { STATUS_ON } from '../registry/enterprises.repository';
import { type RecordScope, scopeWhere } from '../users/record-scope';
import type { DataSource } from 'typeorm';

export interface KpiEnterpriseRow {
  id: string;
  name: string;
  uscc: string;
  regionCode: string;
  riskCategories: RiskCategory[];
  dustWorkers: number | null;
  /** status in force on the day (see `enterprisesOn`) */
  status: EnterpriseStatus;
  /** earliest first valid reading over its gateways */
  firstReadingAt: Date | null;
}

export interface KpiPointRow {
  id: string;
  enterpriseId: string;
  type: string;
  mandatory: boolean;
  expectedIntervalS: number;
  lastSeenAt: Date | null;
}

/** The PostgreSQL side of the connection KPI. */
export class KpiRepository {
  constructor(private readonly ds: DataSource) {}

  /** Enterprises under `regionPrefix` and in `scope`, with the status in force on `date` (`STATUS_ON`). */
  async enterprisesOn(scope: RecordScope, regionPrefix: string | null, date: string): Promise<KpiEnterpriseRow[]> {
    const s = scopeWhere(scope, { enterpriseId: 'e.id', regionCode: 'e.region_code' });
    const qb = this.ds
      .createQueryBuilder()
      .select(['e.id AS id', 'e.name AS name', 'e.uscc AS uscc', 'e.region_code AS region_code', 'e.risk_categories AS risk_categories', 'e.dust_workers AS dust_workers'])
      .addSelect(`COALESCE(${STATUS_ON('e.id', ':date')}, e.status)`, 'status')
      .addSelect('(SELECT min(g.first_reading_at) FROM gateways g WHERE g.enterprise_id = e.id)', 'first_reading_at')
      .from('enterprises', 'e')
      .where(s.sql, s.params)
      .setParameter('date', date);
    if (regionPrefix) qb.andWhere('e.region_code LIKE :prefix', { prefix: `${regionPrefix}%` });
    const rows = await qb.getRawMany<{
      id: string;
      name: string;
      uscc: string;
      region_code: string;
      risk_categories: RiskCategory[];
      dust_workers: number | null;
      status: EnterpriseStatus;
      first_reading_at: Date | null;
    }>();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      uscc: r.uscc,
      regionCode: r.region_code,
      riskCategories: r.risk_categories,
      dustWorkers: r.dust_workers,
      status: r.status,
      firstReadingAt: r.first_reading_at,
    }));
  }

  /** The points of these enterprises that existed at `at`. */
  async pointsOf(enterpriseIds: string[], at: Date): Promise<KpiPointRow[]> {
    if (enterpriseIds.length === 0) return [];
    const rows: { id: string; enterprise_id: string; type: string; mandatory: boolean; expected_interval_s: number; last_seen_at: Date | null }[] = await this.ds.query(
      `SELECT p.id, g.enterprise_id, p.type, p.mandatory, p.expected_interval_s, p.last_seen_at
         FROM points p JOIN gateways g ON g.id = p.gateway_id
        WHERE g.enterprise_id = ANY($1::uuid[]) AND p.created_at <= $2`,
      [enterpriseIds, at],
    );
    return rows.map((r) => ({ id: r.id, enterpriseId: r.enterprise_id, type: r.type, mandatory: r.mandatory, expectedIntervalS: r.expected_interval_s, lastSeenAt: r.last_seen_at }));
  }
}
