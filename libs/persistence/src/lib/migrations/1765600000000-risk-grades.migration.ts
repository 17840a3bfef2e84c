import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Enterprise risk grading (分级分类 · 风险预警, docs/domain.md "The closed loop"): one row per
 * enterprise per day, the level 红/橙/黄/蓝 (`red`/`orange`/`yellow`/`blue`), the total score and its
 * parts (`parts`: `[{ key, label, value, points, weight }]`, so the console can show why), whether
 * an open major hazard vetoes the standardization incentives (一票否决), and the weights in force.
 * Written by the daily grading job; read by the console, the 双随机 draw (weights by level) and the
 * inspection due list (frequency by level). This level is the enterprise's 预警, never a point alarm.
 */
export class RiskGrades1765600000000 implements MigrationInterface {
  name = 'RiskGrades1765600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE enterprise_risk_grades (
        enterprise_id uuid NOT NULL REFERENCES enterprises(id) ON DELETE CASCADE,
        day date NOT NULL,
        level text NOT NULL CHECK (level IN ('red','orange','yellow','blue')),
        score numeric(7,2) NOT NULL,
        parts jsonb NOT NULL DEFAULT '[]'::jsonb,
        standardization_veto boolean NOT NULL DEFAULT false,
        weights jsonb NOT NULL DEFAULT '{}'::jsonb,
        computed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (enterprise_id, day)
      )`);
    await q.query(`CREATE INDEX enterprise_risk_grades_day_idx ON enterprise_risk_grades (day, level)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE enterprise_risk_grades`);
  }
}
