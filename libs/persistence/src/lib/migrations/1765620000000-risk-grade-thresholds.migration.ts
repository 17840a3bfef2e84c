import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The level thresholds in force beside the weights (`{ red, orange, yellow }`, lowest score of each
 * level), so a stored grade can be explained later even after the configuration changed
 * (docs/domain.md "The closed loop"). `enterprise_risk_grades` itself is RiskGrades1765600000000.
 */
export class RiskGradeThresholds1765620000000 implements MigrationInterface {
  name = 'RiskGradeThresholds1765620000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE enterprise_risk_grades ADD COLUMN thresholds jsonb NOT NULL DEFAULT '{}'::jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE enterprise_risk_grades DROP COLUMN thresholds`);
  }
}
