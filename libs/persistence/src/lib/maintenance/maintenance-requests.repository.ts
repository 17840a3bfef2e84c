import { type RecordScope, scopeWhere } from '../users/record-scope';
import type { DataSource } from 'typeorm';

export type MaintenanceKind = 'request' | 'direct';
export type MaintenanceStatus = 'pending' | 'approved' | 'rejected' | 'cancelled';

/** One 检修 window or request of a point (table `maintenance_requests`). */
export interface MaintenanceRecord {
  id: string;
  pointId: string;
  pointCode: string;
  pointName: string;
  enterpriseId: string;
  enterpriseName: string;
  regionCode: string;
  kind: MaintenanceKind;
  status: MaintenanceStatus;
  mandatory: boolean;
  minutes: number;
  reason: string;
  requestedBy: string | null;
  requestedByName: string;
  requestedAt: string;
  decidedBy: string | null;
  decidedByName: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  windowStart: string | null;
  windowEnd: string | null;
  endedEarlyAt: string | null;
}

interface Row {
  id: string;
  point_id: string;
  point_code: string;
  point_name: string;
  enterprise_id: string;
  enterprise_name: string;
  region_code: string;
  kind: MaintenanceKind;
  status: MaintenanceStatus;
  mandatory: boolean;
  minutes: number;
  reason: string;
  requested_by: string | null;
  requested_by_name: string;
  requested_at: Date;
  decided_by: string | null;
  decided_by_name: string | null;
  decided_at: Date | null;
  decision_note: string | null;
  window_start: Date | null;
  window_end: Date | null;
  ended_early_at: Date | null;
}

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

function toRecord(r: Row): MaintenanceRecord {
  return {
    id: r.id,
    pointId: r.point_id,
    pointCode: r.point_code,
    pointName: r.point_name,
    enterpriseId: r.enterprise_id,
    enterpriseName: r.enterprise_name,
    regionCode: r.region_code,
    kind: r.kind,
    status: r.status,
    mandatory: r.mandatory,
    minutes: r.minutes,
    reason: r.reason,
    requestedBy: r.requested_by,
    requestedByName: r.requested_by_name,
    requestedAt: r.requested_at.toISOString(),
    decidedBy: r.decided_by,
    decidedByName: r.decided_by_name,
    decidedAt: iso(r.decided_at),
    decisionNote: r.decision_note,
    windowStart: iso(r.window_start),
    windowEnd: iso(r.window_end),
    endedEarlyAt: iso(r.ended_early_at),
  };
}

const SELECT = `SELECT m.*, p.code AS point_code, p.name AS point_name, e.name AS enterprise_name, e.region_code
  FROM maintenance_requests m JOIN points p ON p.id = m.point_id JOIN enterprises e ON e.id = m.enterprise_id`;

export interface NewMaintenance {
  pointId: string;
  enterpriseId: string;
  kind: MaintenanceKind;
  status: 'pending' | 'approved';
  mandatory: boolean;
  minutes: number;
  reason: string;
  by: { id: string; username: string };
  window?: { start: Date; end: Date };
}

/** The record of 检修 requests and windows; the window itself lives on `points.maintenance_until`. */
export class MaintenanceRequestsRepository {
  constructor(private readonly ds: DataSource) {}

  async insert(m: NewMaintenance): Promise<MaintenanceRecord> {
    const direct = m.status === 'approved';
    const [row] = (await this.ds.query(
      `INSERT INTO maintenance_requests (point_id, enterprise_id, kind, status, mandatory, minutes, reason, requested_by, requested_by_name,
              decided_by, decided_by_name, decided_at, window_start, window_end)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
      [
        m.pointId, m.enterpriseId, m.kind, m.status, m.mandatory, m.minutes, m.reason, m.by.id, m.by.username,
        direct ? m.by.id : null, direct ? m.by.username : null, direct ? (m.window?.start ?? null) : null, m.window?.start ?? null, m.window?.end ?? null,
      ],
    )) as [{ id: string }];
    return (await this.get(row.id, { kind: 'all' })) as MaintenanceRecord;
  }

  async get(id: string, scope: RecordScope): Promise<MaintenanceRecord | null> {
    const s = scopeWhere(scope, { enterpriseId: 'm.enterprise_id', regionCode: 'e.region_code' });
    const [sql, params] = this.ds.driver.escapeQueryWithParameters(`${SELECT} WHERE m.id = :id AND ${s.sql}`, { id, ...s.params });
    const rows = (await this.ds.query(sql, params)) as Row[];
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** Newest first; `status` narrows; `activeAt` keeps approved windows running at that instant. */
  async list(scope: RecordScope, q: { status?: MaintenanceStatus; activeAt?: Date; pointId?: string; limit?: number }): Promise<MaintenanceRecord[]> {
    const s = scopeWhere(scope, { enterpriseId: 'm.enterprise_id', regionCode: 'e.region_code' });
    const where = [s.sql];
    const params: Record<string, unknown> = { ...s.params, limit: q.limit ?? 200 };
    if (q.status) {
      where.push('m.status = :status');
      params['status'] = q.status;
    }
    if (q.pointId) {
      where.push('m.point_id = :pointId');
      params['pointId'] = q.pointId;
    }
    if (q.activeAt) {
      where.push(`m.status = 'approved' AND m.window_start <= :activeAt AND COALESCE(m.ended_early_at, m.window_end) > :activeAt`);
      params['activeAt'] = q.activeAt;
    }
    const [sql, values] = this.ds.driver.escapeQueryWithParameters(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY m.requested_at DESC LIMIT :limit`, params);
    return ((await this.ds.query(sql, values)) as Row[]).map(toRecord);
  }

  /** Approved windows that overlap [from, to) under a region prefix (the half-year report). */
  async windowsOverlapping(regionPrefix: string | null, from: Date, to: Date): Promise<MaintenanceRecord[]> {
    const rows = (await this.ds.query(
      `${SELECT} WHERE m.status = 'approved' AND m.window_start < $2 AND COALESCE(m.ended_early_at, m.window_end) > $1 AND ($3::text IS NULL OR e.region_code LIKE $3 || '%')
        ORDER BY m.window_start`,
      [from, to, regionPrefix],
    )) as Row[];
    return rows.map(toRecord);
  }

  /** pending → approved/rejected/cancelled, once; false when it was no longer pending. */
  async decide(id: string, status: 'approved' | 'rejected' | 'cancelled', by: { id: string; username: string }, note: string | null, window?: { start: Date; end: Date }): Promise<boolean> {
    const result = (await this.ds.query(
      `UPDATE maintenance_requests SET status = $2, decided_by = $3, decided_by_name = $4, decided_at = now(), decision_note = $5, window_start = $6, window_end = $7
        WHERE id = $1 AND status = 'pending' RETURNING id`,
      [id, status, by.id, by.username, note, window?.start ?? null, window?.end ?? null],
    )) as unknown[];
    // TypeORM answers an UPDATE with [rows, rowCount]
    return Array.isArray(result[0]) ? result[0].length === 1 : result.length === 1;
  }

  /** The point's windows running at `at` (but `exceptId`) were replaced or ended early: their recorded end becomes `at`. */
  async endWindows(pointId: string, at: Date, exceptId: string | null = null): Promise<void> {
    await this.ds.query(
      `UPDATE maintenance_requests SET ended_early_at = $2
        WHERE point_id = $1 AND status = 'approved' AND ended_early_at IS NULL AND window_end > $2 AND window_start <= $2 AND id IS DISTINCT FROM $3::uuid`,
      [pointId, at, exceptId],
    );
  }
}
