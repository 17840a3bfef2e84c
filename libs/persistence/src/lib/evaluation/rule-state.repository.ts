import type { RuleState } from '@sw/rules';
import type { DataSource } from 'typeorm';

/** One persisted evaluation state of a (point, rule); `state: null` asks for the row to go. */
export interface RuleStateRow {
  pointId: string;
  ruleId: string;
  state: RuleState | null;
}

/**
 * The evaluation states alerting needs after a restart (`rule_states`). Every pending timer of a
 * rule is derived from timestamps in its state, so persisting the state persists the timers.
 * Writes are batched by the caller: one statement per flush, whatever the number of rows.
 */
export class RuleStateRepository {
  constructor(private readonly ds: DataSource) {}

  /** Every persisted state (or those of the given points). */
  async load(pointIds?: readonly string[]): Promise<{ pointId: string; ruleId: string; state: RuleState }[]> {
    const rows: { point_id: string; rule_id: string; state: RuleState }[] = await this.ds.query(
      `SELECT point_id, rule_id, state FROM rule_states ${pointIds ? 'WHERE point_id = ANY($1::uuid[])' : ''}`,
      pointIds ? [pointIds] : [],
    );
    return rows.map((r) => ({ pointId: r.point_id, ruleId: r.rule_id, state: r.state }));
  }

  /** Upserts the rows with a state and deletes those without, in one statement (one round trip, atomic). */
  async write(rows: readonly RuleStateRow[]): Promise<void> {
    const upserts = rows.filter((r) => r.state !== null);
    const deletes = rows.filter((r) => r.state === null);
    await this.ds.query(
      `WITH d AS (
         DELETE FROM rule_states r USING unnest($4::uuid[], $5::text[]) AS d(point_id, rule_id)
          WHERE r.point_id = d.point_id AND r.rule_id = d.rule_id)
       INSERT INTO rule_states (point_id, rule_id, state, updated_at)
       SELECT u.point_id, u.rule_id, u.state, now() FROM unnest($1::uuid[], $2::text[], $3::jsonb[]) AS u(point_id, rule_id, state)
       ON CONFLICT (point_id, rule_id) DO UPDATE SET state = EXCLUDED.state, updated_at = EXCLUDED.updated_at`,
      [upserts.map((r) => r.pointId), upserts.map((r) => r.ruleId), upserts.map((r) => JSON.stringify(r.state)), deletes.map((r) => r.pointId), deletes.map((r) => r.ruleId)],
    );
  }
}
