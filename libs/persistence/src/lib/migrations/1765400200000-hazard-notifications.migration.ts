import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hazard notices go through the same notification outbox as alarm notifications: a row belongs to
 * an alarm or to a hazard (exactly one), `kind` names the hazard occasions, and the dedup key
 * (`hazard:<id>:confirmed:<person>:<channel>`, `hazard:<id>:overdue:d<n>:<person>:<channel>`)
 * keeps each notice once per hazard, person, channel (and overdue day).
 */
export class HazardNotifications1765400200000 implements MigrationInterface {
  name = 'HazardNotifications1765400200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notification_outbox ALTER COLUMN alarm_id DROP NOT NULL`);
    await q.query(`ALTER TABLE notification_outbox ADD COLUMN hazard_id uuid REFERENCES hazards(id) ON DELETE CASCADE`);
    await q.query(`ALTER TABLE notification_outbox ADD CONSTRAINT notification_outbox_subject_ck CHECK (num_nonnulls(alarm_id, hazard_id) = 1)`);
    await q.query(`ALTER TABLE notification_outbox DROP CONSTRAINT notification_outbox_kind_check`);
    await q.query(`ALTER TABLE notification_outbox ADD CONSTRAINT notification_outbox_kind_check CHECK (kind IN ('event','repeat','hazard_confirmed','hazard_overdue'))`);
    await q.query(`CREATE INDEX notification_outbox_hazard_idx ON notification_outbox (hazard_id) WHERE hazard_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM notification_outbox WHERE hazard_id IS NOT NULL`);
    await q.query(`DROP INDEX notification_outbox_hazard_idx`);
    await q.query(`ALTER TABLE notification_outbox DROP CONSTRAINT notification_outbox_kind_check`);
    await q.query(`ALTER TABLE notification_outbox ADD CONSTRAINT notification_outbox_kind_check CHECK (kind IN ('event','repeat'))`);
    await q.query(`ALTER TABLE notification_outbox DROP CONSTRAINT notification_outbox_subject_ck`);
    await q.query(`ALTER TABLE notification_outbox DROP COLUMN hazard_id`);
    await q.query(`ALTER TABLE notification_outbox ALTER COLUMN alarm_id SET NOT NULL`);
  }
}
