import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 14. `maintenance_requests`: every 检修 window of a point — an enterprise's request on a
 * mandatory point (pending until a regulator approves or rejects it), a regulator's direct window,
 * and an enterprise's own window on a point that is not mandatory — so the board and the half-year
 * report can show who suppressed what, when, and on whose approval. `half_year_reports`: the figures
 * of a half-year report as first generated, one row per explicit version.
 */
export class MaintenanceRequestsReportSnapshots1765300100000 implements MigrationInterface {
  name = 'MaintenanceRequestsReportSnapshots1765300100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE maintenance_requests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        point_id uuid NOT NULL REFERENCES points(id) ON DELETE CASCADE,
        enterprise_id uuid NOT NULL REFERENCES enterprises(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('request', 'direct')),
        status text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'cancelled')),
        mandatory boolean NOT NULL,
        minutes integer NOT NULL CHECK (minutes > 0),
        reason text NOT NULL,
        requested_by uuid,
        requested_by_name text NOT NULL,
        requested_at timestamptz NOT NULL DEFAULT now(),
        decided_by uuid,
        decided_by_name text,
        decided_at timestamptz,
        decision_note text,
        window_start timestamptz,
        window_end timestamptz,
        ended_early_at timestamptz
      )`);
    await q.query(`CREATE INDEX maintenance_requests_point ON maintenance_requests (point_id, requested_at DESC)`);
    await q.query(`CREATE INDEX maintenance_requests_pending ON maintenance_requests (enterprise_id) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX maintenance_requests_window ON maintenance_requests (window_start, window_end) WHERE status = 'approved'`);
    await q.query(`
      CREATE TABLE half_year_reports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        region_key text NOT NULL,
        period_from date NOT NULL,
        period_to date NOT NULL,
        version integer NOT NULL CHECK (version > 0),
        figures jsonb NOT NULL,
        generated_at timestamptz NOT NULL DEFAULT now(),
        generated_by uuid,
        generated_by_name text NOT NULL,
        UNIQUE (region_key, period_from, period_to, version)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE half_year_reports`);
    await q.query(`DROP TABLE maintenance_requests`);
  }
}
