import type { DataSource } from 'typeorm';
import type { PointType, Thresholds } from '@sw/sensors';
import type { GatewayProtocol, ModbusSettings } from '../entities/gateway.entity';
import type { RegisterMap } from '../entities/point.entity';

/** What ingest keeps in memory per gateway: plain records, loaded in bulk, refreshed on NOTIFY. */
export interface GatewayRecord {
  id: string;
  code: string;
  protocol: GatewayProtocol;
  enterpriseId: string;
  regionCode: string;
  secretHash: string | null;
  modbus: ModbusSettings | null;
  points: Map<string, PointRecord>;
}

export interface PointRecord {
  id: string;
  code: string;
  type: PointType;
  unit: string;
  mandatory: boolean;
  expectedIntervalS: number;
  register: RegisterMap | null;
  /** the point's own setpoints over the catalog's (for the alarm fast lane); absent: the catalog's */
  thresholds?: Thresholds | null;
}

export interface LastSeen {
  id: string;
  /** epoch ms of the newest reading */
  last: number;
  /** epoch ms of the oldest reading in this flush window */
  first: number;
}

interface GatewayRow {
  id: string;
  code: string;
  protocol: GatewayProtocol;
  enterprise_id: string;
  region_code: string;
  secret_hash: string | null;
  modbus: ModbusSettings | null;
}
interface PointRow {
  id: string;
  gateway_id: string;
  code: string;
  type: PointType;
  unit: string;
  mandatory: boolean;
  expected_interval_s: number;
  register: RegisterMap | null;
  thresholds: Thresholds | null;
}

/** The few queries ingest runs against the registry: bulk loads and batched runtime updates. */
export class GatewayRuntimeRepository {
  constructor(private readonly ds: DataSource) {}

  /** All gateways (or those with the given ids) with their points. */
  async load(ids?: string[]): Promise<GatewayRecord[]> {
    const filter = ids ? 'WHERE g.id = ANY($1::uuid[])' : '';
    const params = ids ? [ids] : [];
    const gateways: GatewayRow[] = await this.ds.query(
      `SELECT g.id, g.code, g.protocol, g.enterprise_id, e.region_code, g.secret_hash, g.modbus
         FROM gateways g JOIN enterprises e ON e.id = g.enterprise_id ${filter}`,
      params,
    );
    const points: PointRow[] = await this.ds.query(
      `SELECT p.id, p.gateway_id, p.code, p.type, p.unit, p.mandatory, p.expected_interval_s, p.register, p.thresholds
         FROM points p ${ids ? 'WHERE p.gateway_id = ANY($1::uuid[])' : ''}`,
      params,
    );
    const byId = new Map<string, GatewayRecord>();
    for (const g of gateways) {
      byId.set(g.id, {
        id: g.id,
        code: g.code,
        protocol: g.protocol,
        enterpriseId: g.enterprise_id,
        regionCode: g.region_code.trim(),
        secretHash: g.secret_hash,
        modbus: g.modbus,
        points: new Map(),
      });
    }
    for (const p of points) {
      byId.get(p.gateway_id)?.points.set(p.code, {
        id: p.id,
        code: p.code,
        type: p.type,
        unit: p.unit,
        mandatory: p.mandatory,
        expectedIntervalS: p.expected_interval_s,
        register: p.register,
        thresholds: p.thresholds,
      });
    }
    return [...byId.values()];
  }

  /** The gateway ids whose rows reference a changed point or enterprise (for cache refresh). */
  /** A gateway and its points by code, straight from PostgreSQL (a registry cache miss); undefined when there is none. */
  async loadByCode(code: string): Promise<GatewayRecord | undefined> {
    const rows: { id: string }[] = await this.ds.query(`SELECT id FROM gateways WHERE code = $1`, [code]);
    if (rows.length === 0) return undefined;
    return (await this.load(rows.map((r) => r.id)))[0];
  }

  async gatewayIdsFor(table: string, id: string): Promise<string[]> {
    if (table === 'gateways') return [id];
    if (table !== 'points' && table !== 'enterprises') return []; // e.g. rules: nothing ingest caches
    if (table === 'points') {
      const rows: { gateway_id: string }[] = await this.ds.query(`SELECT gateway_id FROM points WHERE id = $1`, [id]);
      return rows.map((r) => r.gateway_id);
    }
    const rows: { id: string }[] = await this.ds.query(`SELECT id FROM gateways WHERE enterprise_id = $1`, [id]);
    return rows.map((r) => r.id);
  }

  /** One statement per flush, whatever the number of gateways and points. */
  async flushLastSeen(gateways: LastSeen[], points: LastSeen[]): Promise<void> {
    if (gateways.length > 0) {
      await this.ds.query(
        `UPDATE gateways g SET last_seen_at = GREATEST(g.last_seen_at, to_timestamp(u.last / 1000.0)),
                first_reading_at = COALESCE(g.first_reading_at, to_timestamp(u.first / 1000.0))
           FROM unnest($1::uuid[], $2::float8[], $3::float8[]) AS u(id, last, first) WHERE g.id = u.id`,
        [gateways.map((g) => g.id), gateways.map((g) => g.last), gateways.map((g) => g.first)],
      );
    }
    if (points.length > 0) {
      await this.ds.query(
        `UPDATE points p SET last_seen_at = GREATEST(p.last_seen_at, to_timestamp(u.last / 1000.0))
           FROM unnest($1::uuid[], $2::float8[]) AS u(id, last) WHERE p.id = u.id`,
        [points.map((p) => p.id), points.map((p) => p.last)],
      );
    }
  }

  /** Online/offline as a state change; the history row and the current flag in one transaction. */
  async recordState(gatewayId: string, online: boolean, cause: string, at: Date): Promise<void> {
    await this.ds.transaction(async (em) => {
      await em.query(`UPDATE gateways SET online = $2 WHERE id = $1`, [gatewayId, online]);
      await em.query(`INSERT INTO gateway_state_changes (gateway_id, online, cause, at) VALUES ($1, $2, $3, $4)`, [
        gatewayId,
        online,
        cause,
        at,
      ]);
    });
  }

  /** On start-up nobody is connected yet: close the online periods a crash left open. */
  async markAllOffline(protocol: GatewayProtocol, cause: string, at: Date): Promise<number> {
    const rows: { id: string }[] = await this.ds.query(
      `WITH changed AS (UPDATE gateways SET online = false WHERE online AND protocol = $1 RETURNING id)
       INSERT INTO gateway_state_changes (gateway_id, online, cause, at) SELECT id, false, $2, $3 FROM changed RETURNING gateway_id AS id`,
      [protocol, cause, at],
    );
    return rows.length;
  }

  /** `code:hash` lines for an external Mosquitto's password file. */
  async mosquittoUsers(): Promise<{ code: string; hash: string }[]> {
    return this.ds.query(
      `SELECT code, mosquitto_hash AS hash FROM gateways WHERE protocol = 'mqtt' AND mosquitto_hash IS NOT NULL ORDER BY code`,
    );
  }
}
