import type { DataSource } from 'typeorm';
import type { PointType, Thresholds } from '@sw/sensors';
import type { RegistryChange } from '../registry/registry-listener';

/** What alerting keeps per point: the registry fields its rules, alarms and messages need. */
export interface EvaluationPoint {
  id: string;
  code: string;
  name: string;
  location: string | null;
  type: PointType;
  unit: string;
  mandatory: boolean;
  expectedIntervalS: number;
  thresholds: Thresholds | null;
  gatewayId: string;
  enterpriseId: string;
  enterpriseName: string;
  regionCode: string;
  /** Epoch ms until which the point is under maintenance (alarms suppressed), or null. */
  maintenanceUntil: number | null;
  maintenanceReason: string | null;
}

interface PointRow {
  id: string;
  code: string;
  name: string;
  location: string | null;
  type: PointType;
  unit: string;
  mandatory: boolean;
  expected_interval_s: number;
  thresholds: Thresholds | null;
  gateway_id: string;
  enterprise_id: string;
  enterprise_name: string;
  region_code: string;
  maintenance_until: Date | null;
  maintenance_reason: string | null;
}

const POINT_COLUMNS = `p.id, p.code, p.name, p.location, p.type, p.unit, p.mandatory, p.expected_interval_s, p.thresholds,
  p.gateway_id, g.enterprise_id, e.name AS enterprise_name, e.region_code, p.maintenance_until, p.maintenance_reason`;

/**
 * The points as alerting reads them: a bulk load at start, targeted reloads on NOTIFY
 * registry_changed. Stored rules come from `RulesRepository.listEnabled`.
 */
export class EvaluationRegistryRepository {
  constructor(private readonly ds: DataSource) {}

  /** Every point (or those with the given ids that still exist) with its gateway's enterprise. */
  async points(ids?: readonly string[]): Promise<EvaluationPoint[]> {
    const filter = ids ? 'WHERE p.id = ANY($1::uuid[])' : '';
    const rows: PointRow[] = await this.ds.query(
      `SELECT ${POINT_COLUMNS} FROM points p JOIN gateways g ON g.id = p.gateway_id JOIN enterprises e ON e.id = g.enterprise_id ${filter}`,
      ids ? [ids] : [],
    );
    return rows.map(toPoint);
  }

  /** The ids of the points a registry change touches (a deleted point's own id included). */
  async pointIdsFor(change: RegistryChange): Promise<string[]> {
    switch (change.table) {
      case 'points':
        return [change.id];
      case 'gateways':
        return this.ids(`SELECT id FROM points WHERE gateway_id = $1`, change.id);
      case 'enterprises':
        return this.ids(`SELECT p.id FROM points p JOIN gateways g ON g.id = p.gateway_id WHERE g.enterprise_id = $1`, change.id);
      case 'rules':
        return []; // rules are reloaded as a whole (RulesRepository.listEnabled)
    }
  }

  private async ids(sql: string, id: string): Promise<string[]> {
    const rows: { id: string }[] = await this.ds.query(sql, [id]);
    return rows.map((r) => r.id);
  }
}

function toPoint(r: PointRow): EvaluationPoint {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    location: r.location,
    type: r.type,
    unit: r.unit,
    mandatory: r.mandatory,
    expectedIntervalS: r.expected_interval_s,
    thresholds: r.thresholds,
    gatewayId: r.gateway_id,
    enterpriseId: r.enterprise_id,
    enterpriseName: r.enterprise_name,
    regionCode: r.region_code.trim(),
    maintenanceUntil: r.maintenance_until ? r.maintenance_until.getTime() : null,
    maintenanceReason: r.maintenance_reason,
  };
}
