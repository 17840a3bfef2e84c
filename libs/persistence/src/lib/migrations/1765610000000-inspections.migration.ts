import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Inspections (执法检查, docs/domain.md "The closed loop"): the inspector pool per region with
 * conflicts of interest, yearly plans, 双随机 draws (seed, candidate list and result as stored
 * JSON, so a draw can be replayed), one `inspections` row per visit with its inspectors, checklist,
 * photos, findings (a major one links the confirmed hazard in `hazards`), the 责令整改 order, the
 * 复查 re-inspections and the penalty decisions; `inspection_events` is the timeline, written with
 * an audit row in each change's transaction.
 */
export class Inspections1765610000000 implements MigrationInterface {
  name = 'Inspections1765610000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE inspectors (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        region_code text NOT NULL CHECK (region_code ~ '^[0-9]{2}([0-9]{2}){0,2}$'),
        name text NOT NULL,
        certificate_no text NOT NULL UNIQUE,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX inspectors_region ON inspectors (region_code text_pattern_ops)`);
    await q.query(`
      CREATE TABLE inspector_conflicts (
        inspector_id uuid NOT NULL REFERENCES inspectors(id) ON DELETE CASCADE,
        enterprise_id uuid NOT NULL REFERENCES enterprises(id) ON DELETE CASCADE,
        reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (inspector_id, enterprise_id)
      )`);
    await q.query(`
      CREATE TABLE inspection_plans (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        region_code text NOT NULL,
        year smallint NOT NULL CHECK (year BETWEEN 2000 AND 2100),
        targets jsonb NOT NULL,
        note text,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (region_code, year)
      )`);
    await q.query(`
      CREATE TABLE inspection_draws (
        id uuid PRIMARY KEY,
        region_code text NOT NULL,
        plan_id uuid REFERENCES inspection_plans(id) ON DELETE SET NULL,
        requested_n integer NOT NULL CHECK (requested_n >= 1),
        requested_m integer NOT NULL CHECK (requested_m >= 2),
        exclude_days integer NOT NULL CHECK (exclude_days >= 0),
        draw_day date NOT NULL,
        seed text NOT NULL,
        algorithm text NOT NULL,
        candidates jsonb NOT NULL,
        inspectors jsonb NOT NULL,
        result jsonb NOT NULL,
        drawn_by uuid,
        drawn_by_name text,
        drawn_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX inspection_draws_region ON inspection_draws (region_code text_pattern_ops, drawn_at DESC)`);
    await q.query(`
      CREATE TABLE inspections (
        id uuid PRIMARY KEY,
        enterprise_id uuid NOT NULL REFERENCES enterprises(id) ON DELETE CASCADE,
        region_code text NOT NULL,
        mode text NOT NULL CHECK (mode IN ('double_random', 'four_no_two_direct', 'special', 'online_patrol', 'report')),
        visit_date date NOT NULL,
        status text NOT NULL CHECK (status IN ('planned', 'recorded', 'rectifying', 'closed', 'cancelled')),
        draw_id uuid REFERENCES inspection_draws(id) ON DELETE SET NULL,
        alarm_id uuid REFERENCES alarms(id) ON DELETE SET NULL,
        subject text,
        summary text,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        recorded_at timestamptz,
        closed_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX inspections_enterprise ON inspections (enterprise_id, visit_date DESC)`);
    await q.query(`CREATE INDEX inspections_region ON inspections (region_code text_pattern_ops, visit_date DESC)`);
    await q.query(`
      CREATE TABLE inspection_inspectors (
        inspection_id uuid NOT NULL REFERENCES inspections(id) ON DELETE CASCADE,
        inspector_id uuid NOT NULL REFERENCES inspectors(id),
        name text NOT NULL,
        certificate_no text NOT NULL,
        PRIMARY KEY (inspection_id, inspector_id)
      )`);
    await q.query(`
      CREATE TABLE inspection_checklist_items (
        id bigserial PRIMARY KEY,
        inspection_id uuid NOT NULL REFERENCES inspections(id) ON DELETE CASCADE,
        article smallint NOT NULL,
        item smallint,
        label text NOT NULL,
        title text NOT NULL,
        result text CHECK (result IN ('compliant', 'finding', 'not_applicable')),
        note text
      )`);
    await q.query(`CREATE UNIQUE INDEX inspection_checklist_items_key ON inspection_checklist_items (inspection_id, article, COALESCE(item, 0))`);
    await q.query(`
      CREATE TABLE inspection_photos (
        id uuid PRIMARY KEY,
        inspection_id uuid NOT NULL REFERENCES inspections(id) ON DELETE CASCADE,
        checklist_item_id bigint REFERENCES inspection_checklist_items(id) ON DELETE SET NULL,
        sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        mime text NOT NULL CHECK (mime IN ('image/jpeg', 'image/png', 'image/webp')),
        size integer NOT NULL CHECK (size > 0),
        storage_path text NOT NULL,
        uploaded_by uuid,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX inspection_photos_inspection ON inspection_photos (inspection_id)`);
    await q.query(`
      CREATE TABLE inspection_findings (
        id uuid PRIMARY KEY,
        inspection_id uuid NOT NULL REFERENCES inspections(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('major', 'general')),
        article smallint,
        item smallint,
        description text NOT NULL,
        hazard_id uuid REFERENCES hazards(id) ON DELETE SET NULL,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (kind = 'general' OR article IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX inspection_findings_inspection ON inspection_findings (inspection_id)`);
    await q.query(`
      CREATE TABLE inspection_orders (
        id uuid PRIMARY KEY,
        inspection_id uuid NOT NULL UNIQUE REFERENCES inspections(id) ON DELETE CASCADE,
        number text NOT NULL UNIQUE,
        deadline date NOT NULL,
        requirements text NOT NULL,
        status text NOT NULL CHECK (status IN ('open', 'closed')),
        issued_by uuid,
        issued_at timestamptz NOT NULL DEFAULT now(),
        closed_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE inspection_reinspections (
        id uuid PRIMARY KEY,
        inspection_id uuid NOT NULL REFERENCES inspections(id) ON DELETE CASCADE,
        order_id uuid NOT NULL REFERENCES inspection_orders(id) ON DELETE CASCADE,
        visit_date date NOT NULL,
        passed boolean NOT NULL,
        note text NOT NULL,
        recorded_by uuid,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE inspection_penalties (
        id uuid PRIMARY KEY,
        inspection_id uuid NOT NULL REFERENCES inspections(id) ON DELETE CASCADE,
        legal_basis text NOT NULL,
        amount numeric(14,2) NOT NULL CHECK (amount >= 0),
        decision_number text NOT NULL UNIQUE,
        decided_on date NOT NULL,
        recorded_by uuid,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE inspection_events (
        id bigserial PRIMARY KEY,
        inspection_id uuid NOT NULL REFERENCES inspections(id) ON DELETE CASCADE,
        event text NOT NULL,
        at timestamptz NOT NULL,
        actor jsonb NOT NULL,
        from_status text,
        to_status text NOT NULL,
        reason text,
        data jsonb NOT NULL DEFAULT '{}'
      )`);
    await q.query(`CREATE INDEX inspection_events_inspection ON inspection_events (inspection_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'inspection_events',
      'inspection_penalties',
      'inspection_reinspections',
      'inspection_orders',
      'inspection_findings',
      'inspection_photos',
      'inspection_checklist_items',
      'inspection_inspectors',
      'inspections',
      'inspection_draws',
      'inspection_plans',
      'inspector_conflicts',
      'inspectors',
    ]) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}
