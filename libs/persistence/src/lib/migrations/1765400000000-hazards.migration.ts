import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The major-hazard register (docs/domain.md "The closed loop"): one row per hazard (indexed columns
 * for lists and scoping, the full snapshot in jsonb), one `hazard_events` row per transition, and
 * the evidence photos' metadata (the files themselves live in EVIDENCE_DIR, named by content hash).
 * `report_id` and `inspection_id` are for the public-report and inspection records still to come.
 */
export class Hazards1765400000000 implements MigrationInterface {
  name = 'Hazards1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE hazards (
        id uuid PRIMARY KEY,
        enterprise_id uuid NOT NULL REFERENCES enterprises(id) ON DELETE CASCADE,
        region_code text NOT NULL,
        source text NOT NULL CHECK (source IN ('self_check', 'inspection', 'regulator', 'alarm', 'report')),
        status text NOT NULL CHECK (status IN ('reported', 'confirmed', 'rejected', 'rectifying', 'submitted', 'signed_off')),
        article smallint NOT NULL,
        item smallint,
        categories text[] NOT NULL DEFAULT '{}',
        point_id uuid REFERENCES points(id) ON DELETE SET NULL,
        alarm_id uuid REFERENCES alarms(id) ON DELETE SET NULL,
        report_id uuid,
        inspection_id uuid,
        deadline timestamptz,
        confirmed_by uuid,
        reported_at timestamptz NOT NULL,
        confirmed_at timestamptz,
        signed_off_at timestamptz,
        updated_at timestamptz NOT NULL,
        snapshot jsonb NOT NULL
      )`);
    await q.query(`CREATE INDEX hazards_enterprise ON hazards (enterprise_id, reported_at DESC)`);
    await q.query(`CREATE INDEX hazards_region ON hazards (region_code text_pattern_ops, reported_at DESC)`);
    await q.query(`CREATE INDEX hazards_status_deadline ON hazards (status, deadline)`);
    // one hazard per alarm: creating a second answers 409
    await q.query(`CREATE UNIQUE INDEX hazards_alarm ON hazards (alarm_id) WHERE alarm_id IS NOT NULL`);
    await q.query(`
      CREATE TABLE hazard_events (
        id bigserial PRIMARY KEY,
        hazard_id uuid NOT NULL REFERENCES hazards(id) ON DELETE CASCADE,
        event text NOT NULL,
        at timestamptz NOT NULL,
        actor jsonb NOT NULL,
        from_status text,
        to_status text NOT NULL,
        reason text,
        data jsonb NOT NULL DEFAULT '{}'
      )`);
    await q.query(`CREATE INDEX hazard_events_hazard ON hazard_events (hazard_id, id)`);
    await q.query(`
      CREATE TABLE hazard_photos (
        id uuid PRIMARY KEY,
        hazard_id uuid NOT NULL REFERENCES hazards(id) ON DELETE CASCADE,
        event_id bigint NOT NULL REFERENCES hazard_events(id) ON DELETE CASCADE,
        sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        mime text NOT NULL CHECK (mime IN ('image/jpeg', 'image/png', 'image/webp')),
        size integer NOT NULL CHECK (size > 0),
        storage_path text NOT NULL,
        uploaded_by uuid,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX hazard_photos_hazard ON hazard_photos (hazard_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE hazard_photos`);
    await q.query(`DROP TABLE hazard_events`);
    await q.query(`DROP TABLE hazards`);
  }
}
