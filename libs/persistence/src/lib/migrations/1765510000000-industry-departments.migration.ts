import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 行业管理部门: the industry department contact told of a confirmed major hazard, per region (district
 * or city) and risk category — the department's name and the person it reaches (phone, WeCom robot,
 * WeChat openid, at least one). A hazard's categories choose the rows; a district row wins over the
 * city's for the same category.
 */
export class IndustryDepartments1765510000000 implements MigrationInterface {
  name = 'IndustryDepartments1765510000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE industry_departments (
        region_code text NOT NULL CHECK (region_code ~ '^([0-9]{2}){2,3}$'),
        category text NOT NULL CHECK (category IN ('steel','aluminum_casting','metal_dust','wood_dust','other_dust','ammonia_refrigeration','confined_space')),
        department text NOT NULL,
        name text NOT NULL,
        phone text,
        wecom_key text,
        wechat_openid text,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (region_code, category),
        CHECK (num_nonnulls(phone, wecom_key, wechat_openid) > 0)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE industry_departments`);
  }
}
