import type { DataSource } from 'typeorm';
import type { RiskCategory } from '../entities/enterprise.entity';
import { currentPersonnel, recordPersonnelChange } from '../ledger/personnel.repository';
import { shanghaiToday } from '../registry/registry.service';

/** One person notifications reach, as the contacts REST names the fields (`wecomRobotToken` is `wecom_key`). */
export interface ContactPerson {
  name: string;
  phone: string | null;
  wecomRobotToken: string | null;
  wechatOpenid: string | null;
}

/** The enterprise contacts kept by this repository: 安全管理人员 and 主要负责人. */
export type EnterpriseContactRole = 'safety_officer' | 'principal';

/** 行业管理部门 of one risk category in a region. */
export interface IndustryDepartment extends ContactPerson {
  category: RiskCategory;
  department: string;
}

type Row = { name: string; phone: string | null; wecom_key: string | null; wechat_openid: string | null };
const toPerson = (r: Row): ContactPerson => ({ name: r.name, phone: r.phone, wecomRobotToken: r.wecom_key, wechatOpenid: r.wechat_openid });

/**
 * Whom notifications reach (alerting reads these tables inside the transaction of each alarm event):
 * `enterprise_contacts`, `duty_officers` of a district (6-digit region code) or city (4 digits),
 * and `industry_departments` per region and risk category. Each replace is one transaction;
 * scoping is the caller's.
 */
export class ContactsRepository {
  constructor(private readonly ds: DataSource) {}

  async enterpriseContacts(enterpriseId: string): Promise<Map<string, ContactPerson>> {
    const rows: (Row & { role: string })[] = await this.ds.query(`SELECT role, name, phone, wecom_key, wechat_openid FROM enterprise_contacts WHERE enterprise_id = $1`, [enterpriseId]);
    return new Map(rows.map((r) => [r.role, toPerson(r)]));
  }

  /**
   * Replaces the safety officer and the principal (null: nobody). The same people are the ledger's
   * 主要负责人 and 安全管理人员: a change is kept in their personnel history, by `changedBy`.
   */
  async replaceEnterpriseContacts(enterpriseId: string, people: Record<EnterpriseContactRole, ContactPerson | null>, changedBy: string): Promise<void> {
    await this.ds.transaction(async (em) => {
      const before = await currentPersonnel(em, enterpriseId);
      await em.query(`DELETE FROM enterprise_contacts WHERE enterprise_id = $1 AND role IN ('safety_officer', 'principal')`, [enterpriseId]);
      for (const role of ['safety_officer', 'principal'] as const) {
        const c = people[role];
        if (!c) continue;
        await em.query(`INSERT INTO enterprise_contacts (enterprise_id, role, name, phone, wecom_key, wechat_openid) VALUES ($1, $2, $3, $4, $5, $6)`, [
          enterpriseId,
          role,
          c.name,
          c.phone,
          c.wecomRobotToken,
          c.wechatOpenid,
        ]);
        await recordPersonnelChange(em, enterpriseId, role, { name: c.name, phone: c.phone ?? null }, before.get(role) ?? null, shanghaiToday(), { source: 'contacts', changedBy });
      }
    });
  }

  /** A region's duty officers in their order (the order is their slot in notification dedup keys). */
  async dutyOfficers(regionCode: string): Promise<ContactPerson[]> {
    const rows: Row[] = await this.ds.query(`SELECT name, phone, wecom_key, wechat_openid FROM duty_officers WHERE region_code = $1 ORDER BY position`, [regionCode]);
    return rows.map(toPerson);
  }

  async replaceDutyOfficers(regionCode: string, officers: readonly ContactPerson[]): Promise<void> {
    await this.ds.transaction(async (em) => {
      await em.query(`DELETE FROM duty_officers WHERE region_code = $1`, [regionCode]);
      for (const [i, c] of officers.entries()) {
        await em.query(`INSERT INTO duty_officers (region_code, position, name, phone, wecom_key, wechat_openid) VALUES ($1, $2, $3, $4, $5, $6)`, [
          regionCode,
          i,
          c.name,
          c.phone,
          c.wecomRobotToken,
          c.wechatOpenid,
        ]);
      }
    });
  }

  async industryDepartments(regionCode: string): Promise<IndustryDepartment[]> {
    const rows: (Row & { category: RiskCategory; department: string })[] = await this.ds.query(
      `SELECT category, department, name, phone, wecom_key, wechat_openid FROM industry_departments WHERE region_code = $1 ORDER BY category`,
      [regionCode],
    );
    return rows.map((r) => ({ category: r.category, department: r.department, ...toPerson(r) }));
  }

  async replaceIndustryDepartments(regionCode: string, departments: readonly IndustryDepartment[]): Promise<void> {
    await this.ds.transaction(async (em) => {
      await em.query(`DELETE FROM industry_departments WHERE region_code = $1`, [regionCode]);
      for (const d of departments) {
        await em.query(
          `INSERT INTO industry_departments (region_code, category, department, name, phone, wecom_key, wechat_openid) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [regionCode, d.category, d.department, d.name, d.phone, d.wecomRobotToken, d.wechatOpenid],
        );
      }
    });
  }
}
