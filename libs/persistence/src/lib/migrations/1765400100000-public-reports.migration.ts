import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 举报 (public reports) and 内部公示 posting links (docs/domain.md "The closed loop").
 * - `public_reports`: the tracking code is kept only as its SHA-256 (the reporter holds the code);
 *   `enterprise_id`/`region_code` come from the named enterprise when it matches the ledger, else a
 *   regulator picks the enterprise during triage.
 * - `public_rate_hits`: one row per accepted report per limit key (`ip:…`, `phone:…`), counted over a
 *   window under an advisory lock, so every api process agrees on the limits.
 * - `posting_links`: an enterprise's notice-board link; revoked links stay for the audit trail.
 */
export class PublicReports1765400100000 implements MigrationInterface {
  name = 'PublicReports1765400100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE public_reports (
        id uuid PRIMARY KEY,
        code_hash text NOT NULL UNIQUE CHECK (code_hash ~ '^[0-9a-f]{64}$'),
        status text NOT NULL CHECK (status IN ('received', 'assigned', 'verifying', 'confirmed', 'unfounded')),
        enterprise_name text,
        address text,
        description text NOT NULL,
        phone text,
        enterprise_id uuid REFERENCES enterprises(id) ON DELETE SET NULL,
        region_code text,
        assignee_id uuid,
        assignee_username text,
        verify_note text,
        reply text,
        reward numeric(12, 2) CHECK (reward >= 0),
        hazard_id uuid REFERENCES hazards(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        closed_at timestamptz,
        closed_by uuid,
        CHECK (enterprise_name IS NOT NULL OR address IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX public_reports_queue ON public_reports (status, created_at DESC)`);
    await q.query(`CREATE INDEX public_reports_region ON public_reports (region_code text_pattern_ops, created_at DESC)`);
    await q.query(`
      CREATE TABLE public_report_photos (
        id uuid PRIMARY KEY,
        report_id uuid NOT NULL REFERENCES public_reports(id) ON DELETE CASCADE,
        sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        mime text NOT NULL CHECK (mime IN ('image/jpeg', 'image/png', 'image/webp')),
        size integer NOT NULL CHECK (size > 0),
        storage_path text NOT NULL,
        position smallint NOT NULL
      )`);
    await q.query(`CREATE INDEX public_report_photos_report ON public_report_photos (report_id, position)`);
    await q.query(`CREATE TABLE public_rate_hits (key text NOT NULL, at timestamptz NOT NULL)`);
    await q.query(`CREATE INDEX public_rate_hits_key ON public_rate_hits (key, at)`);
    await q.query(`CREATE INDEX public_rate_hits_at ON public_rate_hits (at)`); // expired hits (IPs, phones) are deleted
    // one hazard per public report: a retried 查实 reuses it
    await q.query(`CREATE UNIQUE INDEX hazards_report ON hazards (report_id) WHERE report_id IS NOT NULL`);
    await q.query(`
      CREATE TABLE posting_links (
        token text PRIMARY KEY CHECK (length(token) >= 24),
        enterprise_id uuid NOT NULL REFERENCES enterprises(id) ON DELETE CASCADE,
        created_by uuid,
        created_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revoked_by uuid
      )`);
    // at most one live link per enterprise
    await q.query(`CREATE UNIQUE INDEX posting_links_live ON posting_links (enterprise_id) WHERE revoked_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE posting_links`);
    await q.query(`DROP INDEX hazards_report`);
    await q.query(`DROP TABLE public_rate_hits`);
    await q.query(`DROP TABLE public_report_photos`);
    await q.query(`DROP TABLE public_reports`);
  }
}
