import { Inject, Injectable } from '@nestjs/common';
import { invalid } from '@sw/errors';
import { contactPhoneProblem, currentPersonnel, EnterprisesRepository, recordPersonnelChange, requireRegion, scopeOf, shanghaiToday, visibleTo, type Principal } from '@sw/persistence';
import { DataSource } from 'typeorm';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import type { ContactInput, IndustryDepartmentInput } from './contacts.dto';

type ContactRow = { role: string; name: string; phone: string | null; wecom_key: string | null; wechat_openid: string | null };
export type Contact = ContactInput;

const toContact = (r: ContactRow): Contact => ({ name: r.name, phone: r.phone, wecomRobotToken: r.wecom_key, wechatOpenid: r.wechat_openid });

/**
 * Whom notifications reach (alerting reads these tables inside the transaction of each alarm
 * event): an enterprise's safety officer and principal, the duty officers of a district (6-digit
 * region code) or city (4 digits), and per region and risk category the 行业管理部门 told of a
 * confirmed major hazard. Scoped like the records they belong to.
 */
@Injectable()
export class ContactsService {
  constructor(
    private readonly ds: DataSource,
    private readonly enterprises: EnterprisesRepository,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async enterpriseContacts(p: Principal, enterpriseId: string): Promise<{ enterpriseId: string; safetyOfficer: Contact | null; principal: Contact | null }> {
    await this.inScope(p, enterpriseId);
    const rows: ContactRow[] = await this.ds.query(`SELECT role, name, phone, wecom_key, wechat_openid FROM enterprise_contacts WHERE enterprise_id = $1`, [enterpriseId]);
    const of = (role: string) => {
      const row = rows.find((r) => r.role === role);
      return row ? toContact(row) : null;
    };
    return { enterpriseId, safetyOfficer: of('safety_officer'), principal: of('principal') };
  }

  async replaceEnterpriseContacts(p: Principal, enterpriseId: string, input: { safetyOfficer: Contact | null; principal: Contact | null }) {
    await this.inScope(p, enterpriseId);
    this.checkPhones({ safetyOfficer: input.safetyOfficer, principal: input.principal });
    await this.ds.transaction(async (em) => {
      const before = await currentPersonnel(em, enterpriseId);
      await em.query(`DELETE FROM enterprise_contacts WHERE enterprise_id = $1 AND role IN ('safety_officer', 'principal')`, [enterpriseId]);
      for (const [role, c] of [['safety_officer', input.safetyOfficer], ['principal', input.principal]] as const) {
        if (!c) continue;
        await em.query(`INSERT INTO enterprise_contacts (enterprise_id, role, name, phone, wecom_key, wechat_openid) VALUES ($1, $2, $3, $4, $5, $6)`, [
          enterpriseId,
          role,
          c.name,
          c.phone,
          c.wecomRobotToken,
          c.wechatOpenid,
        ]);
        // the same people are the ledger's 主要负责人 and 安全管理人员: keep the change in their history
        await recordPersonnelChange(em, enterpriseId, role, { name: c.name, phone: c.phone ?? null }, before.get(role) ?? null, shanghaiToday(), { source: 'contacts', changedBy: p.id });
      }
    });
    return this.enterpriseContacts(p, enterpriseId);
  }

  async dutyOfficers(p: Principal, regionCode: string): Promise<{ regionCode: string; level: 'district' | 'city'; officers: Contact[] }> {
    this.regionInScope(p, regionCode);
    const rows: ContactRow[] = await this.ds.query(
      `SELECT 'duty' AS role, name, phone, wecom_key, wechat_openid FROM duty_officers WHERE region_code = $1 ORDER BY position`,
      [regionCode],
    );
    return { regionCode, level: regionCode.length === 6 ? 'district' : 'city', officers: rows.map(toContact) };
  }

  async replaceDutyOfficers(p: Principal, regionCode: string, officers: Contact[]) {
    this.regionInScope(p, regionCode);
    this.checkPhones(Object.fromEntries(officers.map((c, i) => [`officers.${i}`, c])));
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
    return this.dutyOfficers(p, regionCode);
  }

  /** 行业管理部门 of a district or city, one per risk category (told of confirmed major hazards). */
  async industryDepartments(p: Principal, regionCode: string): Promise<{ regionCode: string; level: 'district' | 'city'; departments: IndustryDepartmentInput[] }> {
    this.regionInScope(p, regionCode);
    const rows: (ContactRow & { category: string; department: string })[] = await this.ds.query(
      `SELECT category, department, name, phone, wecom_key, wechat_openid FROM industry_departments WHERE region_code = $1 ORDER BY category`,
      [regionCode],
    );
    const departments = rows.map((r) => ({ category: r.category as IndustryDepartmentInput['category'], department: r.department, ...toContact(r) }));
    return { regionCode, level: regionCode.length === 6 ? 'district' : 'city', departments };
  }

  async replaceIndustryDepartments(p: Principal, regionCode: string, departments: IndustryDepartmentInput[]) {
    this.regionInScope(p, regionCode);
    this.checkPhones(Object.fromEntries(departments.map((c, i) => [`departments.${i}`, c])));
    await this.ds.transaction(async (em) => {
      await em.query(`DELETE FROM industry_departments WHERE region_code = $1`, [regionCode]);
      for (const d of departments) {
        await em.query(
          `INSERT INTO industry_departments (region_code, category, department, name, phone, wecom_key, wechat_openid) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [regionCode, d.category, d.department, d.name, d.phone, d.wecomRobotToken, d.wechatOpenid],
        );
      }
    });
    return this.industryDepartments(p, regionCode);
  }

  /** SMS goes to these numbers: mainland mobiles, or the configured countries (400 with every reason). */
  private checkPhones(contacts: Record<string, Contact | null>): void {
    const reasons = Object.entries(contacts).flatMap(([path, c]) => {
      const problem = c?.phone ? contactPhoneProblem(c.phone, this.config.CONTACT_ALLOWED_COUNTRY_CODES) : null;
      return problem ? [`${path}.phone: ${problem}`] : [];
    });
    if (reasons.length > 0) throw invalid(reasons);
  }

  /** In scope or 404 (docs/contracts.md §4). */
  private async inScope(p: Principal, enterpriseId: string): Promise<void> {
    visibleTo(p, await this.enterprises.get(enterpriseId, scopeOf(p)), (e) => ({ enterpriseId: e.id, regionCode: e.regionCode }), `enterprise ${enterpriseId}`);
  }

  /** A regulator manages the duty officers of its own region and below. */
  private regionInScope(p: Principal, regionCode: string): void {
    requireRegion(p, regionCode);
  }
}
