import type { Actor, AlarmError, AlarmEvent, AlarmEventDraft, AlarmEventName, AlarmResult, AlarmSnapshot, Channel, CommittedEvent } from '@sw/rules';
import type { DataSource, EntityManager } from 'typeorm';
import type { RuleStateRow } from '../evaluation/rule-state.repository';
import type { OutboxAddress } from '../notifications/notification-outbox.repository';

/** The part of node-postgres' client used here (the connection TypeORM's query runner holds). */
interface PgClient {
  query<R = unknown>(sql: string, params?: unknown[]): Promise<{ rows: R[] }>;
  escapeLiteral(value: string): string;
}

// Declared once in @sw/rules (the console reads it too); re-exported for the apps that import it from here.
export type { CommittedEvent };

export type TransitionOutcome =
  | { ok: true; alarm: AlarmSnapshot; events: CommittedEvent[] }
  | AlarmError;

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

/** An event of a transition before it is committed: its seq is not known yet. */
export type UnnumberedEvent = Omit<CommittedEvent, 'seq'>;

/**
 * A `notification_outbox` row of an event (kind `event`), computed before the event has its seq: the
 * statement that commits the event gives the row `event_seq` and the dedup key `alarmId:seq:keySuffix`.
 */
export interface OutboxDraft {
  /** the index of its event among the transition's events */
  event: number;
  /** the dedup key after `alarmId:seq:` (alerting: `recipient:channel`) */
  keySuffix: string;
  recipient: string;
  channel: Channel;
  address: OutboxAddress;
  providers: string[];
  title: string;
  body: string;
}

/**
 * The outbox rows that the in-transaction hook would write for these events, computed before the
 * commit (reads through `em`, outside the transition's transaction) so that they commit in the
 * transition's one statement ({@link AlarmStore.commit}).
 */
export type OutboxPlan = (em: EntityManager, events: readonly UnnumberedEvent[]) => Promise<OutboxDraft[]>;

/**
 * An advisory lock (two-int form) that backend `holderPid` must still hold, checked in the statement
 * that writes a transition (alerting's partition lease: docs/architecture.md, scale-out). A refused
 * transition writes nothing and throws `refused()`; `holderPid: null` (not held) refuses at once.
 */
export interface AdvisoryFence {
  lockClass: number;
  lockKey: number;
  holderPid: number | null;
  refused(): Error;
}

/** A transition as alerting asks for it ({@link AlarmStore.commit}). */
export interface CommitRequest {
  key: AlarmKey;
  /** the region of a new alarm; '' for an action on an existing one (its stored region is used) */
  regionCode: string;
  fn: (current: AlarmSnapshot | null) => AlarmResult;
  fence?: AdvisoryFence;
  /** the rule state that caused it, stored with its events */
  state?: RuleStateRow;
  /**
   * The alarm of `key` as the caller last saw it committed (null: none open; undefined: not known).
   * Given, `fn` is applied to it and the result committed in one statement if the stored alarm is
   * still that one (same `seq`, not closed; none open for null); otherwise it is judged again under the row lock.
   */
  known?: AlarmSnapshot | null;
}

/** What the one statement that writes a transition checks before it writes anything. */
interface Guard {
  fence?: AdvisoryFence;
  /** the stored alarm must be this one (id and seq, not closed), or there must be none open for the key */
  expect?: { id: string; seq: number } | { ruleId: string; subject: string };
  /** rows written with the events, planned for the region given to `write`: the alarm's region must be that one */
  outbox?: OutboxDraft[];
}

interface Written {
  /** the last seq handed out; null when the guard stopped the statement (nothing written) */
  last: number | null;
  fenceOk: boolean;
  region: string;
}

// The lease check, one advisory lock held by one backend (pg_locks shows each lock once per holder).
const FENCE_SQL = (c: string, k: string, pid: string): string => `EXISTS (SELECT 1 FROM pg_locks
   WHERE locktype = 'advisory' AND granted AND objsubid = 2 AND classid = ${c}::oid AND objid = ${k}::oid AND pid = ${pid}::int
     AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))`;

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
   * `onEvents` runs inside every transaction of the locking path that commits events, after they are
   * written: what it writes (alerting: the notification outbox) commits or rolls back with them. The
   * one statement of {@link commit} writes instead what `outbox` plans for the same events.
   */
  constructor(
    private readonly ds: DataSource,
    private readonly onEvents?: InTransaction,
    private readonly options: {
      /** NOTIFY `ALARM_EVENTS_CHANNEL` with each committed transition (alerting's store: the live feed listens) */
      notify?: boolean;
      /** whether `onEvents` has work for events like these (false: {@link commit} may write them in one statement); default: it has */
      hookFor?: (events: readonly AlarmEventDraft[]) => boolean;
      /**
       * The rows `onEvents` writes, planned before the commit (alerting: the notification outbox): given,
       * events `onEvents` has work for commit in one statement too, their rows with them.
       */
      outbox?: OutboxPlan;
    } = {},
  ) {}

  /**
   * Alerting's transitions. With `known` (the usual case: alerting keeps every alarm it judges), one
   * round trip: `fn` is applied to the known snapshot and ONE statement — an implicit transaction —
   * checks the fence and that the stored alarm is still the known one (row locked, seq unchanged),
   * then hands out the seqs and writes the alarm, its events, the rule state, the outbox rows planned
   * for them (`outbox`, read before the statement, under the condition that the alarm's stored region
   * is the one they were planned for) and the NOTIFY; when a check fails it writes nothing. A stale
   * snapshot (an operator's action not yet followed), a region that moved, events the in-transaction
   * hook has work for and no `outbox` plan covers, or no `known` take the locking path of
   * {@link transition}, whose statement checks the fence too. A refused fence throws `fence.refused()`.
   */
  async commit(req: CommitRequest): Promise<TransitionOutcome> {
    if (req.fence && req.fence.holderPid === null) throw req.fence.refused();
    if (req.known !== undefined) {
      const fast = await this.commitKnown(req, req.known);
      if (fast) return fast;
    }
    return this.locked(req.key, req.regionCode, req.fn, undefined, req.state, req.fence);
  }

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
    return this.locked(key, regionCode, fn, also, state, undefined);
  }

  // One statement, no lock held between round trips; null when a check failed and nothing was written.
  private async commitKnown(req: CommitRequest, known: AlarmSnapshot | null): Promise<TransitionOutcome | null> {
    const result = req.fn(known);
    // a refusal or a no-op judged on the known snapshot is judged again on the stored one
    if (!result.ok || result.events.length === 0) return null;
    const hooked = this.onEvents !== undefined && (this.options.hookFor?.(result.events) ?? true);
    if (hooked && !this.options.outbox) return null;
    const exists = known !== null && known.id === result.alarm.id;
    if (known !== null && !exists) return null;
    let expect: Guard['expect'];
    if (known !== null) expect = { id: known.id, seq: known.seq };
    else if ('ruleId' in req.key) expect = req.key;
    else return null;
    const runner = this.ds.createQueryRunner();
    try {
      const pg = (await runner.connect()) as PgClient;
      // planned for the caller's region, or the stored alarm's when the caller names none (a timer's
      // action on an alarm): the statement checks the stored alarm is still in that region
      const region = hooked && exists && req.regionCode === '' ? await this.regionOf(pg, result.alarm.id) : req.regionCode;
      if (region === null) return null;
      const unnumbered = result.events.map((d) => ({ ...d, alarm: result.alarm, regionCode: region }));
      const outbox = hooked ? await (this.options.outbox as OutboxPlan)(runner.manager, unnumbered) : undefined;
      let w: Written;
      try {
        w = await this.write(pg, result.alarm, result.events, region, exists, req.state, { fence: req.fence, expect, outbox });
      } catch (err) {
        // another open alarm of the key was being raised meanwhile: judged under the lock instead
        if ((err as { code?: string }).code === '23505') return null;
        throw err;
      }
      if (!w.fenceOk) throw (req.fence as AdvisoryFence).refused();
      if (w.last === null) return null;
      const committed = this.number(result.alarm, result.events, w.last - result.events.length + 1, w.region);
      return { ok: true, alarm: committed.at(-1)?.alarm as AlarmSnapshot, events: committed };
    } finally {
      await runner.release();
    }
  }

  private async regionOf(pg: PgClient, id: string): Promise<string | null> {
    const { rows } = await pg.query<{ region_code: string }>(`SELECT region_code FROM alarms WHERE id = $1`, [id]);
    return rows[0]?.region_code ?? null;
  }

  private async locked(
    key: AlarmKey,
    regionCode: string,
    fn: (current: AlarmSnapshot | null) => AlarmResult,
    also: InTransaction | undefined,
    state: RuleStateRow | undefined,
    fence: AdvisoryFence | undefined,
  ): Promise<TransitionOutcome> {
    // Round trips are the latency of an alarm (the counter row is held from the write to COMMIT):
    // BEGIN + lock in one, fence + counter + alarm + events in one, the hooks, COMMIT.
    const runner = this.ds.createQueryRunner();
    const pg = (await runner.connect()) as PgClient;
    try {
      const locked = await pg.query(`BEGIN ISOLATION LEVEL READ COMMITTED; ${lockSql(pg, key)}`);
      const current = ((Array.isArray(locked) ? locked[1] : locked) as { rows: AlarmRow[] } | undefined)?.rows[0] ?? null;
      const outcome = await this.apply(pg, runner.manager, current, regionCode, fn, also, state, fence);
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
    fence: AdvisoryFence | undefined,
  ): Promise<TransitionOutcome> {
    const result = fn(current?.snapshot ?? null);
    if (!result.ok) return result;
    if (result.events.length === 0) return { ok: true, alarm: result.alarm, events: [] };
    const region = current?.region_code ?? regionCode;
    const w = await this.write(pg, result.alarm, result.events, region, current !== null && current.snapshot.id === result.alarm.id, state, fence ? { fence } : undefined);
    if (!w.fenceOk) throw (fence as AdvisoryFence).refused(); // rolled back by the caller
    const last = w.last as number;
    const committed = this.number(result.alarm, result.events, last - result.events.length + 1, region);
    const alarm = committed.at(-1)?.alarm as AlarmSnapshot;
    await this.onEvents?.(em, committed);
    await also?.(em, committed);
    return { ok: true, alarm, events: committed };
  }

  /**
   * One statement: the guard's checks (the lease fence; the stored alarm still the expected one, its
   * row locked before the counter row, as the locking path does), then the counter row hands out the
   * next sequence numbers and the alarm row, the events and the rule state are written with them
   * (each stored snapshot carries its event's seq, as `number` gives it), the guard's outbox rows
   * with their events' seqs (a dedup key already there is skipped), and NOTIFY. A failed check stops
   * the counter update, and with it every write that reads its row: nothing is written.
   */
  private async write(pg: PgClient, a: AlarmSnapshot, drafts: readonly AlarmEventDraft[], regionCode: string, exists: boolean, state?: RuleStateRow, guard?: Guard): Promise<Written> {
    const n = drafts.length;
    const snapshot = JSON.stringify(a);
    // $1 n, $2 alarm id, $3 snapshot (seq patched in), $4 region, $5 tier, $6 condition, $7 stage, $8 acknowledged
    const params: unknown[] = [n, a.id, snapshot, regionCode, a.tier, a.condition, a.stage, a.acknowledged];
    const p = (value: unknown): string => `$${params.push(value)}`;
    const alarmSql = exists
      ? `UPDATE alarms SET seq = c.last, tier = $5::text, condition = $6::text, stage = $7::text, acknowledged = $8::boolean,
                snapshot = jsonb_set($3::jsonb, '{seq}', to_jsonb(c.last)), updated_at = now()
           FROM c WHERE id = $2::uuid`
      : `INSERT INTO alarms (id, seq, enterprise_id, region_code, gateway_id, point_id, rule_id, subject, kind, tier, condition, stage, acknowledged, raised_at, snapshot)
         SELECT $2::uuid, c.last, ${p(a.enterpriseId)}::uuid, r.code, ${p(a.gatewayId)}::uuid, ${p(a.pointId)}::uuid, ${p(a.ruleId)}::text, ${p(a.pointId ?? a.gatewayId)}::text,
                ${p(a.kind)}::text, $5::text, $6::text, $7::text, $8::boolean, ${p(a.raisedAt)}::timestamptz, jsonb_set($3::jsonb, '{seq}', to_jsonb(c.last)) FROM c, r`;
    const eventsSql = `INSERT INTO alarm_events (seq, alarm_id, event, at, actor, data, enterprise_id, region_code, snapshot)
                  SELECT c.last - $1::int + u.ord, $2::uuid, u.event, u.at, u.actor, u.data, ${p(a.enterpriseId)}::uuid, r.code, jsonb_set($3::jsonb, '{seq}', to_jsonb(c.last - $1::int + u.ord))
                    FROM c, r, unnest(${p(drafts.map((d) => d.event))}::text[], ${p(drafts.map((d) => d.at))}::timestamptz[], ${p(drafts.map((d) => (d.actor ? JSON.stringify(d.actor) : null)))}::jsonb[], ${p(drafts.map((d) => JSON.stringify(d.data)))}::jsonb[]) WITH ORDINALITY AS u(event, at, actor, data, ord)`;
    const stateSql = state?.state
      ? `, s AS (INSERT INTO rule_states (point_id, rule_id, state, updated_at) SELECT ${p(state.pointId)}::uuid, ${p(state.ruleId)}::text, ${p(JSON.stringify(state.state))}::jsonb, now() FROM c
                 ON CONFLICT (point_id, rule_id) DO UPDATE SET state = EXCLUDED.state, updated_at = EXCLUDED.updated_at)`
      : '';
    const outbox = guard?.outbox;
    const outboxSql = outbox?.length
      ? `, o AS (INSERT INTO notification_outbox (dedup_key, alarm_id, event_seq, kind, recipient, channel, address, providers, title, body)
                 SELECT $2::uuid::text || ':' || (c.last - $1::int + 1 + u.event) || ':' || u.key_suffix, $2::uuid, c.last - $1::int + 1 + u.event, 'event',
                        u.recipient, u.channel, u.address, u.providers, u.title, u.body
                   FROM c, jsonb_to_recordset(${p(JSON.stringify(outbox.map(({ keySuffix, ...o }) => ({ ...o, key_suffix: keySuffix }))))}::jsonb)
                        AS u(event int, key_suffix text, recipient text, channel text, address jsonb, providers text[], title text, body text)
                 ON CONFLICT (dedup_key) DO NOTHING)`
      : '';
    // the guard: f the fence, l the expected alarm row (locked), r the region, g all checks passed
    const fence = guard?.fence;
    const fenceSql = fence ? FENCE_SQL(p(fence.lockClass), p(fence.lockKey), p(fence.holderPid)) : 'true';
    const expect = guard?.expect;
    const row = expect && 'id' in expect;
    const lockSqlOf = row ? `, l AS (SELECT region_code FROM alarms WHERE id = ${p(expect.id)}::uuid AND seq = ${p(expect.seq)}::bigint AND stage <> 'closed' AND (SELECT ok FROM f) FOR UPDATE)` : '';
    const expectSql = !expect ? 'true' : row ? 'EXISTS (SELECT 1 FROM l)' : `NOT EXISTS (SELECT 1 FROM alarms WHERE rule_id = ${p(expect.ruleId)}::text AND subject = ${p(expect.subject)}::text AND stage <> 'closed')`;
    // outbox rows (even none) were planned with the policy and people of $4: the alarm's region must be that one
    const regionSql = outbox ? ' AND (SELECT code FROM r) = $4::text' : '';
    // the last event as committed, its seq, region (and its snapshot's seq) patched in by the statement, for NOTIFY
    const last = drafts[n - 1] as AlarmEventDraft;
    let notifySql = '';
    if (this.options.notify) {
      const notice = JSON.stringify({ seq: 0, event: last.event, at: last.at, actor: last.actor, data: last.data, alarm: a, regionCode });
      const nt = p(Buffer.byteLength(notice) < NOTIFY_MAX_BYTES ? notice : null);
      notifySql = `, CASE WHEN c.last IS NOT NULL THEN pg_notify('${ALARM_EVENTS_CHANNEL}', COALESCE(jsonb_set(jsonb_set(jsonb_set(${nt}::jsonb, '{seq}', to_jsonb(c.last)), '{alarm,seq}', to_jsonb(c.last)), '{regionCode}', to_jsonb(r.code))::text, json_build_object('seq', c.last)::text)) END AS notified`;
    }
    const { rows } = await pg.query<{ last: string | null; fence: boolean; region: string }>(
      `WITH f AS (SELECT ${fenceSql} AS ok)${lockSqlOf},
            r AS (SELECT ${row ? 'COALESCE((SELECT region_code FROM l), $4::text)' : '$4::text'} AS code),
            g AS (SELECT (SELECT ok FROM f) AND ${expectSql}${regionSql} AS ok),
            c AS (UPDATE event_sequence SET last = last + $1::int WHERE id = 1 AND (SELECT ok FROM g) RETURNING last),
            a AS (${alarmSql}),
            e AS (${eventsSql})${stateSql}${outboxSql}
       SELECT c.last, (SELECT ok FROM f) AS fence, r.code AS region${notifySql}
         FROM r LEFT JOIN c ON true`,
      params,
    );
    const out = rows[0];
    return { last: out?.last === null || out?.last === undefined ? null : Number(out.last), fenceOk: out?.fence !== false, region: out?.region ?? regionCode };
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
