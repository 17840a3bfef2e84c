import type { DataSource } from 'typeorm';

/** The uplink's state as the console shows it (GET /api/v1/uplink/status, docs/contracts.md §6). */
export interface UplinkStatus {
  /** false: no uplink has run against this database (UPLINK_ENDPOINT not set anywhere). */
  enabled: boolean;
  adapter: string | null;
  endpoint: string | null;
  /** Messages not yet confirmed by the province, in total and by type. */
  backlog: number;
  backlogByType: Record<string, number>;
  enterprisesBehind: number;
  /** Time of the oldest record still waiting (null when none), and its age in seconds. */
  oldestPendingAt: string | null;
  lagSeconds: number;
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  lastError: string | null;
  /** Failed batch requests since the outbox was created. */
  failures: number;
  /** Messages the province confirmed in the last hour. */
  deliveredLastHour: number;
}

/** Reads the uplink outbox and status row (written by apps/uplink) for the api. */
export class UplinkStatusRepository {
  constructor(private readonly ds: DataSource) {}

  async status(now = new Date()): Promise<UplinkStatus> {
    const [row] = (await this.ds.query(`SELECT adapter, endpoint, last_success_at, last_failure_at, last_error, failures FROM uplink_status WHERE id = 1`)) as {
      adapter: string | null;
      endpoint: string | null;
      last_success_at: Date | null;
      last_failure_at: Date | null;
      last_error: string | null;
      failures: string;
    }[];
    const pending: { type: string; n: string; oldest: Date | null; enterprises: string }[] = await this.ds.query(
      `SELECT type, count(*) AS n, min(source_at) AS oldest, count(DISTINCT enterprise_id) AS enterprises FROM uplink_outbox WHERE delivered_at IS NULL GROUP BY ROLLUP (type)`,
    );
    const [delivered] = (await this.ds.query(`SELECT count(*) AS n FROM uplink_outbox WHERE delivered_at > $1::timestamptz - interval '1 hour'`, [now])) as { n: string }[];
    const backlogByType: Record<string, number> = { enterprise: 0, readings: 0, alarm_event: 0, hazard_event: 0 };
    let total = { n: 0, oldest: null as Date | null, enterprises: 0 };
    for (const p of pending) {
      if (p.type === null) total = { n: Number(p.n), oldest: p.oldest, enterprises: Number(p.enterprises) };
      else backlogByType[p.type] = Number(p.n);
    }
    return {
      enabled: row !== undefined,
      adapter: row?.adapter ?? null,
      endpoint: row?.endpoint ?? null,
      backlog: total.n,
      backlogByType,
      enterprisesBehind: total.enterprises,
      oldestPendingAt: total.oldest?.toISOString() ?? null,
      lagSeconds: total.oldest ? Math.max(0, Math.round((now.getTime() - total.oldest.getTime()) / 1000)) : 0,
      lastSuccessAt: row?.last_success_at?.toISOString() ?? null,
      lastFailureAt: row?.last_failure_at?.toISOString() ?? null,
      lastError: row?.last_error ?? null,
      failures: Number(row?.failures ?? 0),
      deliveredLastHour: Number(delivered?.n ?? 0),
    };
  }
}
