import type { MigrationInterface, QueryRunner } from 'typeorm';

const NO_FLAGS =
  '{"deepWellCasting":false,"castingFurnace":null,"wireRopeCaster":false,"ammoniaRefrigeration":false,"ammoniaChargeKg":null,"chlorine":false,' +
  '"confinedSpace":false,"confinedSpaceGases":[],"hazardousChemicals":false,"liquor":false,"tobaccoFumigation":false,"spraying":false,"silo":false}';

/**
 * The basic-information ledger (基础信息台账): sector, scale, address and coordinates, processes and
 * flags, dust kinds, standardization validity, 三同时; statuses 开业 and 停业 with a reason in the
 * status history; 实际控制人 beside the principal and the safety officer; personnel history and the
 * enterprises' change requests; and the per-region bounding boxes of the coordinates check.
 */
export class LedgerFields1765200000000 implements MigrationInterface {
  name = 'LedgerFields1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE enterprises
        ADD COLUMN industry text CHECK (industry IN ('metallurgy','nonferrous','building_materials','machinery','light_industry','textile','tobacco','commerce')),
        ADD COLUMN scale text CHECK (scale IN ('above_designated','below_designated')),
        ADD COLUMN address text,
        ADD COLUMN longitude double precision,
        ADD COLUMN latitude double precision,
        ADD COLUMN coord_system text CHECK (coord_system IN ('gcj02','wgs84')),
        ADD COLUMN industry_department text,
        ADD COLUMN processes jsonb NOT NULL DEFAULT '[]',
        ADD COLUMN key_equipment jsonb NOT NULL DEFAULT '[]',
        ADD COLUMN process_flags jsonb NOT NULL DEFAULT '${NO_FLAGS}',
        ADD COLUMN dust_kinds jsonb NOT NULL DEFAULT '[]',
        ADD COLUMN standardization_valid_until date,
        ADD COLUMN standardization_revoked_on date,
        ADD COLUMN three_simultaneity jsonb NOT NULL DEFAULT '[]',
        ADD CONSTRAINT enterprises_coordinates_check CHECK ((longitude IS NULL) = (latitude IS NULL) AND (longitude IS NULL) = (coord_system IS NULL))`);
    const statuses = `('opened','operating','suspended','out_of_business','closed')`;
    await q.query(`ALTER TABLE enterprises DROP CONSTRAINT enterprises_status_check, ADD CONSTRAINT enterprises_status_check CHECK (status IN ${statuses})`);
    await q.query(`
      ALTER TABLE enterprise_status_changes ADD COLUMN reason text,
        DROP CONSTRAINT enterprise_status_changes_status_check, ADD CONSTRAINT enterprise_status_changes_status_check CHECK (status IN ${statuses})`);
    await q.query(`
      ALTER TABLE enterprise_contacts DROP CONSTRAINT enterprise_contacts_role_check,
        ADD CONSTRAINT enterprise_contacts_role_check CHECK (role IN ('safety_officer','principal','actual_controller'))`);
    // who held a role from when: every change, with the previous holder, who made it and who accepted it
    await q.query(`
      CREATE TABLE enterprise_personnel_history (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        enterprise_id uuid NOT NULL REFERENCES enterprises(id) ON DELETE CASCADE,
        role text NOT NULL CHECK (role IN ('safety_officer','principal','actual_controller')),
        name text NOT NULL,
        phone text,
        previous_name text,
        previous_phone text,
        effective_date date NOT NULL,
        source text NOT NULL CHECK (source IN ('registry','ledger_import','regulator','enterprise_request','contacts')),
        changed_by uuid,
        accepted_by uuid,
        request_id uuid,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX enterprise_personnel_history_enterprise ON enterprise_personnel_history (enterprise_id, role, recorded_at)`);
    await q.query(`
      CREATE TABLE enterprise_personnel_requests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        enterprise_id uuid NOT NULL REFERENCES enterprises(id) ON DELETE CASCADE,
        role text NOT NULL CHECK (role IN ('safety_officer','principal','actual_controller')),
        name text NOT NULL,
        phone text,
        effective_date date NOT NULL,
        note text,
        state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','accepted','rejected')),
        submitted_by uuid NOT NULL,
        submitted_at timestamptz NOT NULL DEFAULT now(),
        decided_by uuid,
        decided_at timestamptz,
        decision_reason text
      )`);
    await q.query(`CREATE INDEX enterprise_personnel_requests_open ON enterprise_personnel_requests (enterprise_id) WHERE state = 'pending'`);
    // The coordinates check: a box per region code prefix (the longest one that matches applies).
    // Seeded for 苏州市 (3205): 119°55′–121°20′ E, 30°47′–32°02′ N, the city's published extent,
    // widened by 0.01° (about 1 km) so that a GCJ-02 point (offset < 1 km from WGS-84) is not flagged.
    await q.query(`
      CREATE TABLE region_bounds (
        region_code text PRIMARY KEY CHECK (region_code ~ '^([0-9]{2}){1,3}$'),
        min_longitude double precision NOT NULL,
        max_longitude double precision NOT NULL,
        min_latitude double precision NOT NULL,
        max_latitude double precision NOT NULL,
        source text NOT NULL,
        CHECK (min_longitude < max_longitude AND min_latitude < max_latitude)
      )`);
    await q.query(
      `INSERT INTO region_bounds VALUES ('3205', 119.9067, 121.3433, 30.7733, 32.0433, '苏州市 extent 119°55′–121°20′E, 30°47′–32°02′N, ±0.01°')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE region_bounds`);
    await q.query(`DROP TABLE enterprise_personnel_requests`);
    await q.query(`DROP TABLE enterprise_personnel_history`);
    await q.query(`DELETE FROM enterprise_contacts WHERE role = 'actual_controller'`);
    await q.query(`ALTER TABLE enterprise_contacts DROP CONSTRAINT enterprise_contacts_role_check, ADD CONSTRAINT enterprise_contacts_role_check CHECK (role IN ('safety_officer','principal'))`);
    await q.query(`UPDATE enterprise_status_changes SET status = CASE status WHEN 'opened' THEN 'operating' WHEN 'out_of_business' THEN 'suspended' ELSE status END`);
    await q.query(`UPDATE enterprises SET status = CASE status WHEN 'opened' THEN 'operating' WHEN 'out_of_business' THEN 'suspended' ELSE status END`);
    const statuses = `('operating','suspended','closed')`;
    await q.query(`ALTER TABLE enterprise_status_changes DROP COLUMN reason, DROP CONSTRAINT enterprise_status_changes_status_check, ADD CONSTRAINT enterprise_status_changes_status_check CHECK (status IN ${statuses})`);
    await q.query(`ALTER TABLE enterprises DROP CONSTRAINT enterprises_status_check, ADD CONSTRAINT enterprises_status_check CHECK (status IN ${statuses})`);
    await q.query(`
      ALTER TABLE enterprises DROP CONSTRAINT enterprises_coordinates_check,
        DROP COLUMN industry, DROP COLUMN scale, DROP COLUMN address, DROP COLUMN longitude, DROP COLUMN latitude, DROP COLUMN coord_system,
        DROP COLUMN industry_department, DROP COLUMN processes, DROP COLUMN key_equipment, DROP COLUMN process_flags, DROP COLUMN dust_kinds,
        DROP COLUMN standardization_valid_until, DROP COLUMN standardization_revoked_on, DROP COLUMN three_simultaneity`);
  }
}
