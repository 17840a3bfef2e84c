import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The audit retention prune deletes by age (`AUDIT_RETENTION_DAYS`): an index on `at` keeps it a range scan. */
export class AuditRetention1765100200000 implements MigrationInterface {
  name = 'AuditRetention1765100200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX audit_log_at_idx ON audit_log (at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX audit_log_at_idx`);
  }
}
