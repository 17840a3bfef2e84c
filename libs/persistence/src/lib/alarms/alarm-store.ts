import type { Actor, AlarmEvent, AlarmEventDraft, AlarmEventName, AlarmResult, AlarmSnapshot, CommittedEvent } from '@sw/rules';
import type { DataSource, EntityManager } from 'typeorm';
import type { RuleStateRow } from '../evaluation/rule-state.repository';

/** The part of node-postgres' client used here (the connection TypeORM's query runner holds). */
interface PgClient {
  query<R = unknown>(sql: string, params?: unknown[]): Promise<{ rows: R[] }>;
  escapeLiteral(value: string): string;
}

// Declared once in @sw/rules (the console reads it too); re-exported for the apps that import it from here.
export type { CommittedEvent };

export type TransitionOutcome =
  | { ok: true; alarm: AlarmSnapshot; events: CommittedEvent[] }
  | { ok: false; status: number; code: string; reason: string };

/** Identifies the alarm a transition applies to. */
export type AlarmKey = { id: string } | { ruleId: string; subject: string };

/**
 * The PostgreSQL channel every committed transition notifies (docs/architecture.md, alarm fast lane):
 * its last event as a `CommittedEvent` JSON, or `{"seq": N}` when that would not fit a notification.
 * PostgreSQL delivers it only at COMMIT, so a listener never hears of a transition that rolled back.
 */
export const ALARM_EVENTS_CHANNEL = 'alarm_events';
/** PostgreSQL's limit is 8000 bytes a payload. */
const NOTIFY_MAX_BYTES = 7900;

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
 * serializes event commits on purpose: `seq` has no gaps and commits in order (docs/architecture.md).
 */
export class AlarmStore {
  /**
   * `onEvents` runs inside every transaction that commits events, after they are written: what it
   * writes (alerting: the notification outbox) commits or rolls back with them.
   */
  constructor(
    private readonly ds: DataSource,
    private readonly onEvents?: InTransaction,
    /** NOTIFY `ALARM_EVENTS_CHANNEL` with each committed transition (alerting's store: the live feed listens) */
    private readonly options: { notify?: boolean } = {},
  ) {}

  /**
   * Applies `fn` to the alarm identified by `key` (null when there is no alarm yet that is not
   * closed), and commits what it produced. `regionCode` is recorded for a new alarm. `state`, the
   * rule state that caused the transition, is stored with its events (not when there are none).
   */
  async transition(
    key: AlarmKey,
    regionCode: string,
    fn: (current: AlarmSnapshot | null) => AlarmResult,
    also?: InTransaction,
    state?: RuleStateRow,
  ): Promise<TransitionOutcome> {
    // Round trips are the latency of an alarm (the counter row is held from the write to COMMIT):
    // BEGIN + lock in one, counter + alarm + events in one, the hooks, COMMIT.
    const runner = this.ds.createQueryRunner();
    const pg = (await runner.connect()) as PgClient;
    try {
      const locked = await pg.query(`BEGIN ISOLATION LEVEL READ COMMITTED; ${lockSql(pg, key)}`);
      const current = ((Array.isArray(locked) ? locked[1] : locked) as { rows: AlarmRow[] } | undefined)?.rows[0] ?? null;
      const outcome = await this.apply(pg, runner.manager, current, regionCode, fn, also, state);
      await pg.query('COMMIT');
      return outcome;
    } catch (err) {
      await pg.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      await runner.release();
    }
  }

  // Inside the transaction, the alarm row locked (or none): the lifecycle function, then its events written.
  private async apply(
    pg: PgClient,
    em: EntityManager,
    current: AlarmRow | null,
    regionCode: string,
    fn: (current: AlarmSnapshot | null) => AlarmResult,
    also: InTransaction | undefined,
    state: RuleStateRow | undefined,
  ): Promise<TransitionOutcome> {
    const result = fn(current?.snapshot ?? null);
    if (!result.ok) return { ok: false, status: result.status, code: result.code, reason: result.reason };
    if (result.events.length === 0) return { ok: true, alarm: result.alarm, events: [] };
    const region = current?.region_code ?? regionCode;
    const last = await this.write(pg, result.alarm, result.events, region, current !== null && current.snapshot.id === result.alarm.id, state);
    const committed = this.number(result.alarm, result.events, last - result.events.length + 1, region);
    const alarm = committed.at(-1)?.alarm as AlarmSnapshot;
    await this.onEvents?.(em, committed);
    await also?.(em, committed);
    return { ok: true, alarm, events: committed };
  }

  /**
   * One statement: the counter row hands out the next sequence numbers, the alarm row and the events
   * are written with them (each stored snapshot carries its event's seq, as `number` gives it).
   * Answers the last seq handed out.
   */
  private async write(pg: PgClient, a: AlarmSnapshot, drafts: readonly AlarmEventDraft[], regionCode: string, exists: boolean, state?: RuleStateRow): Promise<number> {
    const n = drafts.length;
    const snapshot = JSON.stringify(a);
    // $1 n, $2 alarm id, $3 snapshot (seq patched in), $4 region, $5 tier, $6 condition, $7 stage, $8 acknowledged
    const params: unknown[] = [n, a.id, snapshot, regionCode, a.tier, a.condition, a.stage, a.acknowledged];
    const alarmSql = exists
      ? `UPDATE alarms SET seq = c.last, tier = $5::text, condition = $6::text, stage = $7::text, acknowledged = $8::boolean,
                snapshot = jsonb_set($3::jsonb, '{seq}', to_jsonb(c.last)), updated_at = now()
           FROM c WHERE id = $2::uuid`
      : `INSERT INTO alarms (id, seq, enterprise_id, region_code, gateway_id, point_id, rule_id, subject, kind, tier, condition, stage, acknowledged, raised_at, snapshot)
         SELECT $2::uuid, c.last, $9::uuid, $4::text, $10::uuid, $11::uuid, $12::text, $13::text, $14::text, $5::text, $6::text, $7::text, $8::boolean, $15::timestamptz, jsonb_set($3::jsonb, '{seq}', to_jsonb(c.last)) FROM c`;
    if (!exists) params.push(a.enterpriseId, a.gatewayId, a.pointId, a.ruleId, a.pointId ?? a.gatewayId, a.kind, a.raisedAt);
    const e = params.length; // the events' arrays follow
    params.push(
      drafts.map((d) => d.event),
      drafts.map((d) => d.at),
      drafts.map((d) => (d.actor ? JSON.stringify(d.actor) : null)),
      drafts.map((d) => JSON.stringify(d.data)),
      a.enterpriseId,
    );
    // the last event as committed, its seq (and its snapshot's) patched in by the statement, for NOTIFY
    const last = drafts[n - 1] as AlarmEventDraft;
    const notice = !this.options.notify ? '' : JSON.stringify({ seq: 0, event: last.event, at: last.at, actor: last.actor, data: last.data, alarm: a, regionCode });
    if (this.options.notify) params.push(Buffer.byteLength(notice) < NOTIFY_MAX_BYTES ? notice : null);
    const nt = params.length;
    const s = params.length; // the rule state follows
    if (state?.state) params.push(state.pointId, state.ruleId, JSON.stringify(state.state));
    const stateSql = state?.state
      ? `, s AS (INSERT INTO rule_states (point_id, rule_id, state, updated_at) VALUES ($${s + 1}::uuid, $${s + 2}::text, $${s + 3}::jsonb, now())
                 ON CONFLICT (point_id, rule_id) DO UPDATE SET state = EXCLUDED.state, updated_at = EXCLUDED.updated_at)`
      : '';
    const { rows } = await pg.query<{ last: string }>(
      `WITH c AS (UPDATE event_sequence SET last = last + $1::int WHERE id = 1 RETURNING last),
            a AS (${alarmSql}),
            e AS (INSERT INTO alarm_events (seq, alarm_id, event, at, actor, data, enterprise_id, region_code, snapshot)
                  SELECT c.last - $1::int + u.ord, $2::uuid, u.event, u.at, u.actor, u.data, $${e + 5}::uuid, $4::text, jsonb_set($3::jsonb, '{seq}', to_jsonb(c.last - $1::int + u.ord))
                    FROM c, unnest($${e + 1}::text[], $${e + 2}::timestamptz[], $${e + 3}::jsonb[], $${e + 4}::jsonb[]) WITH ORDINALITY AS u(event, at, actor, data, ord))${stateSql}
       SELECT last${this.options.notify ? `, pg_notify('${ALARM_EVENTS_CHANNEL}', COALESCE(jsonb_set(jsonb_set($${nt}::jsonb, '{seq}', to_jsonb(c.last)), '{alarm,seq}', to_jsonb(c.last))::text, json_build_object('seq', c.last)::text))` : ''}
         FROM c`,
      params,
    );
    return Number(rows[0]?.last);
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

  async events(alarmId: string): Promise<AlarmEvent[]> {
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
   * everything (null). Used to replay what a live-feed client missed and to fill holes. Each event's
   * `regionCode` is its alarm's region now (it follows the enterprise; the migration AlarmRegion
   * keeps it so), not the one it was committed under, so a late event of a moved enterprise goes
   * to its new region only.
   */
  async eventsBetween(after: number, upTo: number, scope: { regionPrefix?: string; enterpriseId?: string } | null, limit = 1000): Promise<CommittedEvent[]> {
    const params: unknown[] = [after, upTo, limit];
    let where = '';
    if (scope?.enterpriseId) {
      params.push(scope.enterpriseId);
      where = `AND ev.enterprise_id = $4`;
    } else if (scope?.regionPrefix) {
      params.push(`${scope.regionPrefix}%`);
      where = `AND a.region_code LIKE $4`;
    }
    const rows: { seq: string; event: AlarmEventName; at: Date; actor: Actor | null; data: Record<string, unknown>; snapshot: AlarmSnapshot; region_code: string }[] =
      await this.ds.query(
        `SELECT ev.seq, ev.event, ev.at, ev.actor, ev.data, ev.snapshot, a.region_code FROM alarm_events ev JOIN alarms a ON a.id = ev.alarm_id
          WHERE ev.seq > $1 AND ev.seq <= $2 ${where} ORDER BY ev.seq LIMIT $3`,
        params,
      );
    return rows.map((r) => ({ seq: Number(r.seq), event: r.event, at: r.at.toISOString(), actor: r.actor, data: r.data, alarm: r.snapshot, regionCode: r.region_code }));
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
}

// With literals (validated ids), so that it travels with BEGIN in one simple-protocol round trip.
function lockSql(pg: PgClient, key: AlarmKey): string {
  return 'id' in key
    ? `SELECT snapshot, region_code FROM alarms WHERE id = ${pg.escapeLiteral(key.id)} FOR UPDATE`
    : `SELECT snapshot, region_code FROM alarms WHERE rule_id = ${pg.escapeLiteral(key.ruleId)} AND subject = ${pg.escapeLiteral(key.subject)} AND stage <> 'closed' FOR UPDATE`;
}
