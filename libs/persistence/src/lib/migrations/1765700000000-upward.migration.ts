import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Upward reporting (docs/domain.md "The closed loop", Upward):
 * - `ledger_snapshots`: a region's ledger frozen as of a day, with its diff against the previous
 *   submission; immutable (a trigger refuses UPDATE and DELETE).
 * - `ledger_submissions`: one per snapshot — who submitted it, when, the XLSX as submitted and its
 *   SHA-256; immutable as well.
 * - `work_summaries`: the half-year work summary of a region, a draft (figures and narrative
 *   editable) until finalized; a final row never changes (trigger).
 * - `upward_reminders`: one row per region and due day (4 June, 4 December), the key that sends the
 *   reminder to the region's duty officers exactly once; its notices go through
 *   `notification_outbox` (`reminder_id`, kind `upward_reminder`).
 */
export class Upward1765700000000 implements MigrationInterface {
  name = 'Upward1765700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION upward_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% rows are immutable', TG_TABLE_NAME USING ERRCODE = 'check_violation';
      END $$`);
    await q.query(`
      CREATE TABLE ledger_snapshots (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        region_code text NOT NULL CHECK (region_code ~ '^([0-9]{2}){1,3}$'),
        as_of date NOT NULL,
        records jsonb NOT NULL,
        enterprises int NOT NULL,
        previous_id uuid REFERENCES ledger_snapshots(id),
        diff jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by uuid NOT NULL,
        created_by_name text NOT NULL
      )`);
    await q.query(`CREATE INDEX ledger_snapshots_region_idx ON ledger_snapshots (region_code, as_of DESC, created_at DESC)`);
    await q.query(`CREATE TRIGGER ledger_snapshots_immutable BEFORE UPDATE OR DELETE ON ledger_snapshots FOR EACH ROW EXECUTE FUNCTION upward_refuse_change()`);
    await q.query(`
      CREATE TABLE ledger_submissions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        snapshot_id uuid NOT NULL UNIQUE REFERENCES ledger_snapshots(id),
        region_code text NOT NULL,
        as_of date NOT NULL,
        submitted_at timestamptz NOT NULL DEFAULT now(),
        submitted_by uuid NOT NULL,
        submitted_by_name text NOT NULL,
        file bytea NOT NULL,
        file_sha256 text NOT NULL CHECK (file_sha256 ~ '^[0-9a-f]{64}$'),
        file_bytes int NOT NULL
      )`);
    await q.query(`CREATE INDEX ledger_submissions_region_idx ON ledger_submissions (region_code, as_of DESC, submitted_at DESC)`);
    await q.query(`CREATE TRIGGER ledger_submissions_immutable BEFORE UPDATE OR DELETE ON ledger_submissions FOR EACH ROW EXECUTE FUNCTION upward_refuse_change()`);
    await q.query(`
      CREATE TABLE work_summaries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        region_code text NOT NULL,
        period_from date NOT NULL,
        period_to date NOT NULL,
        status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','final')),
        figures jsonb NOT NULL,
        narratives jsonb NOT NULL DEFAULT '{}'::jsonb,
        revision int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by_name text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by_name text NOT NULL,
        finalized_at timestamptz,
        finalized_by uuid,
        finalized_by_name text,
        UNIQUE (region_code, period_from, period_to)
      )`);
    await q.query(`
      CREATE FUNCTION work_summaries_final_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.status = 'final' THEN
          RAISE EXCEPTION 'a finalized work summary never changes' USING ERRCODE = 'check_violation';
        END IF;
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
      END $$`);
    await q.query(`CREATE TRIGGER work_summaries_final BEFORE UPDATE OR DELETE ON work_summaries FOR EACH ROW EXECUTE FUNCTION work_summaries_final_guard()`);
    await q.query(`
      CREATE TABLE upward_reminders (
        id bigserial PRIMARY KEY,
        region_code text NOT NULL,
        due_date date NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (region_code, due_date)
      )`);
    await q.query(`ALTER TABLE notification_outbox ADD COLUMN reminder_id bigint REFERENCES upward_reminders(id) ON DELETE CASCADE`);
    await q.query(`ALTER TABLE notification_outbox DROP CONSTRAINT notification_outbox_subject_ck`);
    await q.query(`ALTER TABLE notification_outbox ADD CONSTRAINT notification_outbox_subject_ck CHECK (num_nonnulls(alarm_id, hazard_id, reminder_id) = 1)`);
    await q.query(`ALTER TABLE notification_outbox DROP CONSTRAINT notification_outbox_kind_check`);
    await q.query(`ALTER TABLE notification_outbox ADD CONSTRAINT notification_outbox_kind_check CHECK (kind IN ('event','repeat','hazard_confirmed','hazard_overdue','upward_reminder'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM notification_outbox WHERE reminder_id IS NOT NULL`);
    await q.query(`ALTER TABLE notification_outbox DROP CONSTRAINT notification_outbox_kind_check`);
    await q.query(`ALTER TABLE notification_outbox ADD CONSTRAINT notification_outbox_kind_check CHECK (kind IN ('event','repeat','hazard_confirmed','hazard_overdue'))`);
    await q.query(`ALTER TABLE notification_outbox DROP CONSTRAINT notification_outbox_subject_ck`);
    await q.query(`ALTER TABLE notification_outbox ADD CONSTRAINT notification_outbox_subject_ck CHECK (num_nonnulls(alarm_id, hazard_id) = 1)`);
    await q.query(`ALTER TABLE notification_outbox DROP COLUMN reminder_id`);
    await q.query(`DROP TABLE upward_reminders`);
    await q.query(`DROP TABLE work_summaries`);
    await q.query(`DROP FUNCTION work_summaries_final_guard()`);
    await q.query(`DROP TABLE ledger_submissions`);
    await q.query(`DROP TABLE ledger_snapshots`);
    await q.query(`DROP FUNCTION upward_refuse_change()`);
  }
}
