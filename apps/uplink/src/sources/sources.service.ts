import { Inject, Injectable, Logger } from '@nestjs/common';
import { dueWindows, windowStart } from '@sw/uplink-protocol';
import { DataSource, type EntityManager } from 'typeorm';
import { UPLINK_CONFIG, type UplinkConfig } from '../config/uplink.config';
import { MetricsService } from '../observability/metrics.service';
import { OutboxRepository } from '../outbox/outbox.repository';
import type { NewMessage } from '../outbox/outbox.types';
import { CursorRepository, settle } from './cursor.repository';
import { alarmEvents, hazardEvents, type EventTable } from './event-source.repository';
import { ReadingsRepository, type PointAggregate } from './readings.repository';

const EVENTS_PER_TURN = 1000;

/**
 * Fills the outbox from the sources, each read by a cursor inside the transaction that inserts its
 * messages (docs/architecture.md "The uplink"): the enterprises' ledger rows (by content hash),
 * alarm events, hazard events, and the readings windows aggregated in InfluxDB.
 */
@Injectable()
export class SourcesService {
  private readonly logger = new Logger(SourcesService.name);
  private readonly cursors = new CursorRepository();
  private lastLedgerAt = 0;

  constructor(
    private readonly ds: DataSource,
    private readonly outbox: OutboxRepository,
    private readonly readings: ReadingsRepository,
    private readonly metrics: MetricsService,
    @Inject(UPLINK_CONFIG) private readonly config: UplinkConfig,
  ) {}

  /** One pass over every source; true when a source had more than one turn's worth. */
  async turn(nowMs: number): Promise<boolean> {
    if (nowMs - this.lastLedgerAt >= this.config.UPLINK_LEDGER_INTERVAL_MS) {
      await this.ledger();
      this.lastLedgerAt = nowMs;
    }
    const moreAlarms = await this.events(alarmEvents, nowMs);
    const moreHazards = await this.events(hazardEvents, nowMs);
    const moreReadings = await this.readingsWindows(nowMs).catch((err: Error) => {
      this.logger.warn(`readings not read: ${err.message}`);
      return false;
    });
    return moreAlarms || moreHazards || moreReadings;
  }

  /** The ledger row of every enterprise whose content changed since it was last forwarded (first: all). */
  async ledger(): Promise<void> {
    const changed: { id: string; hash: string; version: number | null; row: Record<string, unknown> }[] = await this.ds.query(
      `SELECT e.id, x.hash, s.version, x.row FROM enterprises e
         CROSS JOIN LATERAL (SELECT to_jsonb(e) - 'updated_at' - 'created_at' AS row) r
         CROSS JOIN LATERAL (SELECT r.row, md5(r.row::text) AS hash) x
         LEFT JOIN uplink_enterprise_state s ON s.enterprise_id = e.id
        WHERE s.hash IS DISTINCT FROM x.hash ORDER BY e.id`,
    );
    for (const c of changed) {
      const version = (c.version ?? 0) + 1;
      await this.ds.transaction(async (em) => {
        const added = await this.outbox.enqueue(em, [
          { enterpriseId: c.id, type: 'enterprise', messageId: `enterprise:${c.id}:v${version}`, sourceAt: new Date(), data: { version, enterprise: c.row } },
        ]);
        await em.query(
          `INSERT INTO uplink_enterprise_state (enterprise_id, hash, version) VALUES ($1, $2, $3)
           ON CONFLICT (enterprise_id) DO UPDATE SET hash = EXCLUDED.hash, version = EXCLUDED.version`,
          [c.id, c.hash, version],
        );
        this.count(added);
      });
    }
  }

  private async events(table: EventTable, nowMs: number): Promise<boolean> {
    return this.ds.transaction(async (em) => {
      const cursor = await this.cursors.lock(em, table.source, async () => (this.config.UPLINK_START_FROM === 'now' ? table.maxId(em) : 0));
      const { late, fresh } = await table.read(em, cursor.low, cursor.high, EVENTS_PER_TURN);
      if (late.length > 0) this.logger.log(`${late.length} ${table.source} committed late, forwarded now`);
      const added = await this.outbox.enqueue(em, [...late, ...fresh]);
      const last = fresh[fresh.length - 1];
      const next = settle({ ...cursor, high: last ? last.sourceId : cursor.high }, nowMs, this.config.UPLINK_SETTLE_MS);
      await this.cursors.save(em, table.source, next);
      this.count(added);
      return fresh.length === EVENTS_PER_TURN;
    });
  }

  /** Closed readings windows → one `readings` message per enterprise and window. */
  private async readingsWindows(nowMs: number): Promise<boolean> {
    const intervalMs = this.config.UPLINK_READINGS_INTERVAL_S * 1000;
    return this.ds.transaction(async (em) => {
      const source = `readings:${this.config.UPLINK_READINGS_INTERVAL_S}s`;
      const cursor = await this.cursors.lock(em, source, async () => windowStart(nowMs, intervalMs));
      const windows = dueWindows(cursor.low, nowMs, intervalMs, this.config.UPLINK_READINGS_LATENESS_S * 1000, this.config.UPLINK_READINGS_MAX_WINDOWS);
      const lastWindow = windows[windows.length - 1];
      if (lastWindow === undefined) return false;
      const aggregates = await this.readings.aggregates(cursor.low, lastWindow + intervalMs, this.config.UPLINK_READINGS_INTERVAL_S);
      const messages = await this.readingsMessages(em, aggregates, intervalMs);
      const added = await this.outbox.enqueue(em, messages);
      const end = lastWindow + intervalMs;
      await this.cursors.save(em, source, { low: end, high: end, pendingLow: null, pendingSince: null });
      this.count(added);
      return windows.length === this.config.UPLINK_READINGS_MAX_WINDOWS;
    });
  }

  private async readingsMessages(em: EntityManager, aggregates: PointAggregate[], intervalMs: number): Promise<NewMessage[]> {
    if (aggregates.length === 0) return [];
    const pointIds = [...new Set(aggregates.map((a) => a.pointId))];
    const points: { id: string; code: string; unit: string | null; enterprise_id: string }[] = await em.query(
      `SELECT p.id, p.code, p.unit, g.enterprise_id FROM points p JOIN gateways g ON g.id = p.gateway_id WHERE p.id::text = ANY($1)`,
      [pointIds],
    );
    const byId = new Map(points.map((p) => [p.id, p]));
    const groups = new Map<string, PointAggregate[]>();
    for (const a of aggregates) {
      const point = byId.get(a.pointId);
      if (!point || point.enterprise_id !== a.enterpriseId) continue; // deleted or moved since: not forwarded
      const key = `${a.enterpriseId}|${a.windowStart}`;
      groups.set(key, [...(groups.get(key) ?? []), a]);
    }
    const intervalS = intervalMs / 1000;
    return [...groups.values()]
      .map((list) => {
        const first = list[0] as PointAggregate;
        const from = new Date(first.windowStart);
        return {
          enterpriseId: first.enterpriseId,
          type: 'readings' as const,
          messageId: `readings:${first.enterpriseId}:${intervalS}s:${first.windowStart}`,
          sourceAt: from,
          data: {
            from: from.toISOString(),
            to: new Date(first.windowStart + intervalMs).toISOString(),
            intervalS,
            points: list
              .sort((a, b) => a.pointId.localeCompare(b.pointId))
              .map((a) => ({ pointId: a.pointId, code: byId.get(a.pointId)?.code, type: a.type, unit: byId.get(a.pointId)?.unit ?? null, min: a.min, max: a.max, mean: a.mean, last: a.last, count: a.count })),
          },
        };
      })
      .sort((a, b) => a.sourceAt.getTime() - b.sourceAt.getTime() || a.enterpriseId.localeCompare(b.enterpriseId));
  }

  private count(added: NewMessage[]): void {
    for (const m of added) this.metrics.enqueued.inc({ type: m.type });
  }
}
