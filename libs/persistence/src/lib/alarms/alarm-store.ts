import type { Actor, AlarmEventDraft, AlarmEventName, AlarmResult, AlarmSnapshot } from '@sw/rules';
import type { DataSource, EntityManager } from 'typeorm';

/** An event as committed: the CONTRACTS.md §3 event object plus the alarm snapshot after it. */
export interface CommittedEvent {
  seq: number;
  event: AlarmEventName;
  at: string;
  actor: Actor | null;
  data: Record<string, unknown>;
  alarm: AlarmSnapshot;
  /** for scoping the live feed; not part of the wire frame */
  regionCode: string;
}

export type TransitionOutcome =
  | { ok: true; alarm: AlarmSnapshot; events: CommittedEvent[] }
  | { ok: false; status: number; code: string; reason: string };

/** Identifies the alarm a transition applies to. */
export type AlarmKey = { id: string } | { ruleId: string; subject: string };

/** Work done inside a transition's transaction after its events are written; throwing rolls it all back. */
export type InTransaction = (em: EntityManager, events: CommittedEvent[]) => Promise<void>;

interface AlarmRow {
  snapshot: AlarmSnapshot;
  region_code: string;
}

/**
 * The one writer of alarms and their events. A transition runs in one transaction: the alarm row
 * is locked, the pure lifecycle function is applied to its current snapshot, the counter row hands
 * out the next sequence numbers, and the events and the new snapshot are written. The counter row
 * serializes event commits on purpose: `seq` has no gaps and commits in order (ARCHITECTURE.md).
 */
export class AlarmStore {
  /**
   * `onEvents` runs inside every transaction that commits events, after they are written: what it
   * writes (alerting: the notification outbox) commits or rolls back with them.
   */
  constructor(
    private readonly ds: DataSource,
    private readonly onEvents?: InTransaction,
  ) {}

  /**
   * Applies `fn` to the alarm identified by `key` (null when there is no alarm yet that is not
   * closed), and commits what it produced. `regionCode` is recorded for a new alarm.
   */
  async transition(key: AlarmKey, regionCode: string, fn: (current: AlarmSnapshot | null) => AlarmResult, also?: InTransaction): Promise<TransitionOutcome> {
    return this.ds.transaction('READ COMMITTED', async (em) => {
      const current = await this.lockCurrent(em, key);
      const result = fn(current?.snapshot ?? null);
      if (!result.ok) return { ok: false, status: result.status, code: result.code, reason: result.reason };
      if (result.events.length === 0) return { ok: true, alarm: result.alarm, events: [] };
      const region = current?.region_code ?? regionCode;
      // Through a CTE: TypeORM answers a bare UPDATE … RETURNING with [rows, rowCount], not rows.
      const [{ last }] = (await em.query(`WITH u AS (UPDATE event_sequence SET last = last + $1 WHERE id = 1 RETURNING last) SELECT last FROM u`, [result.events.length])) as [
        { last: string },
      ];
      const first = Number(last) - result.events.length + 1;
      const committed = this.number(result.alarm, result.events, first, region);
      const alarm = committed.at(-1)?.alarm as AlarmSnapshot;
      await this.writeAlarm(em, alarm, region, current !== null && current.snapshot.id === alarm.id);
      await this.writeEvents(em, committed);
      await this.onEvents?.(em, committed);
      await also?.(em, committed);
      return { ok: true, alarm, events: committed };
    });
  }

  async get(id: string): Promise<{ alarm: AlarmSnapshot; regionCode: string } | null> {
    const rows: AlarmRow[] = await this.ds.query(`SELECT snapshot, region_code FROM alarms WHERE id = $1`, [id]);
    const row = rows[0];
    return row ? { alarm: row.snapshot, regionCode: row.region_code } : null;
  }

  /** Every alarm that is not closed (alerting restores its view from these). */
  async notClosed(): Promise<AlarmSnapshot[]> {
    const rows: AlarmRow[] = await this.ds.query(`SELECT snapshot, region_code FROM alarms WHERE stage <> 'closed'`);
    return rows.map((r) => r.snapshot);
  }

  async events(alarmId: string): Promise<Omit<CommittedEvent, 'alarm' | 'regionCode'>[]> {
    const rows: { seq: string; event: AlarmEventName; at: Date; actor: Actor | null; data: Record<string, unknown> }[] = await this.ds.query(
      `SELECT seq, event, at, actor, data FROM alarm_events WHERE alarm_id = $1 ORDER BY seq`,
      [alarmId],
    );
    return rows.map((r) => ({ seq: Number(r.seq), event: r.event, at: r.at.toISOString(), actor: r.actor, data: r.data }));
  }

  /** The latest committed sequence number. */
  async head(): Promise<number> {
    const rows: { last: string }[] = await this.ds.query(`SELECT last FROM event_sequence WHERE id = 1`);
    return Number(rows[0]?.last ?? 0);
  }

  /**
   * Events with seq in (after, upTo], in order, within a scope: a region prefix, an enterprise, or
   * everything (null). Used to replay what a live-feed client missed and to fill holes.
   */
  async eventsBetween(after: number, upTo: number, scope: { regionPrefix?: string; enterpriseId?: string } | null, limit = 1000): Promise<CommittedEvent[]> {
    const params: unknown[] = [after, upTo, limit];
    let where = '';
    if (scope?.enterpriseId) {
      params.push(scope.enterpriseId);
      where = `AND enterprise_id = $4`;
    } else if (scope?.regionPrefix) {
      params.push(`${scope.regionPrefix}%`);
      where = `AND region_code LIKE $4`;
    }
    const rows: { seq: string; event: AlarmEventName; at: Date; actor: Actor | null; data: Record<string, unknown>; snapshot: AlarmSnapshot; region_code: string }[] =
      await this.ds.query(
        `SELECT seq, event, at, actor, data, snapshot, region_code FROM alarm_events
          WHERE seq > $1 AND seq <= $2 ${where} ORDER BY seq LIMIT $3`,
        params,
      );
    return rows.map((r) => ({ seq: Number(r.seq), event: r.event, at: r.at.toISOString(), actor: r.actor, data: r.data, alarm: r.snapshot, regionCode: r.region_code }));
  }

  private async lockCurrent(em: EntityManager, key: AlarmKey): Promise<AlarmRow | null> {
    const rows: AlarmRow[] =
      'id' in key
        ? await em.query(`SELECT snapshot, region_code FROM alarms WHERE id = $1 FOR UPDATE`, [key.id])
        : await em.query(`SELECT snapshot, region_code FROM alarms WHERE rule_id = $1 AND subject = $2 AND stage <> 'closed' FOR UPDATE`, [
            key.ruleId,
            key.subject,
          ]);
    return rows[0] ?? null;
  }

  /** Gives each draft its seq; the snapshot after the last event carries the last seq. */
  private number(alarm: AlarmSnapshot, drafts: AlarmEventDraft[], first: number, regionCode: string): CommittedEvent[] {
    const last = first + drafts.length - 1;
    const final: AlarmSnapshot = { ...alarm, seq: last };
    return drafts.map((d, i) => ({
      seq: first + i,
      event: d.event,
      at: d.at,
      actor: d.actor,
      data: d.data,
      // intermediate events carry the final snapshot with their own seq (events of one transition commit together)
      alarm: i === drafts.length - 1 ? final : { ...final, seq: first + i },
      regionCode,
    }));
  }

  private async writeAlarm(em: EntityManager, a: AlarmSnapshot, regionCode: string, exists: boolean): Promise<void> {
    if (exists) {
      await em.query(
        `UPDATE alarms SET seq = $2, tier = $3, condition = $4, stage = $5, acknowledged = $6, snapshot = $7, updated_at = now() WHERE id = $1`,
        [a.id, a.seq, a.tier, a.condition, a.stage, a.acknowledged, a],
      );
      return;
    }
    await em.query(
      `INSERT INTO alarms (id, seq, enterprise_id, region_code, gateway_id, point_id, rule_id, subject, kind, tier, condition, stage, acknowledged, raised_at, snapshot)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
      [a.id, a.seq, a.enterpriseId, regionCode, a.gatewayId, a.pointId, a.ruleId, a.pointId ?? a.gatewayId, a.kind, a.tier, a.condition, a.stage, a.acknowledged, a.raisedAt, a],
    );
  }

  private async writeEvents(em: EntityManager, events: CommittedEvent[]): Promise<void> {
    await em.query(
      `INSERT INTO alarm_events (seq, alarm_id, event, at, actor, data, enterprise_id, region_code, snapshot)
       SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::timestamptz[], $5::jsonb[], $6::jsonb[], $7::uuid[], $8::text[], $9::jsonb[])`,
      [
        events.map((e) => e.seq),
        events.map((e) => e.alarm.id),
        events.map((e) => e.event),
        events.map((e) => e.at),
        events.map((e) => (e.actor ? JSON.stringify(e.actor) : null)),
        events.map((e) => JSON.stringify(e.data)),
        events.map((e) => e.alarm.enterpriseId),
        events.map((e) => e.regionCode),
        events.map((e) => JSON.stringify(e.alarm)),
      ],
    );
  }
}
