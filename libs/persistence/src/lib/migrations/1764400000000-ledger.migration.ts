import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The enterprise ledger (台账): the standardization grade. The principal and the safety officer of
 * the ledger are the rows of `enterprise_contacts` (notifications), so there is one record of who
 * they are.
 */
export class Ledger1764400000000 implements MigrationInterface {
  name = 'Ledger1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE enterprises ADD COLUMN standardization_grade text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE enterprises DROP COLUMN standardization_grade`);
  }
}
