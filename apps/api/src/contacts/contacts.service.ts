import { Inject, Injectable } from '@nestjs/common';
import { invalid } from '@sw/errors';
import { contactPhoneProblem, ContactsRepository, EnterprisesRepository, requireRegion, scopeOf, visibleTo, type Principal } from '@sw/persistence';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import type { ContactInput, IndustryDepartmentInput } from './contacts.dto';

export type Contact = ContactInput;

/**
 * Whom notifications reach (alerting reads these tables inside the transaction of each alarm
 * event): an enterprise's safety officer and principal, the duty officers of a district (6-digit
 * region code) or city (4 digits), and per region and risk category the 行业管理部门 told of a
 * confirmed major hazard. Scoped like the records they belong to.
 */
@Injectable()
export class ContactsService {
  constructor(
    private readonly contacts: ContactsRepository,
    private readonly enterprises: EnterprisesRepository,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async enterpriseContacts(p: Principal, enterpriseId: string): Promise<{ enterpriseId: string; safetyOfficer: Contact | null; principal: Contact | null }> {
    await this.inScope(p, enterpriseId);
    const people = await this.contacts.enterpriseContacts(enterpriseId);
    return { enterpriseId, safetyOfficer: people.get('safety_officer') ?? null, principal: people.get('principal') ?? null };
  }

  async replaceEnterpriseContacts(p: Principal, enterpriseId: string, input: { safetyOfficer: Contact | null; principal: Contact | null }) {
    await this.inScope(p, enterpriseId);
    this.checkPhones({ safetyOfficer: input.safetyOfficer, principal: input.principal });
    await this.contacts.replaceEnterpriseContacts(enterpriseId, { safety_officer: input.safetyOfficer, principal: input.principal }, p.id);
    return this.enterpriseContacts(p, enterpriseId);
  }

  async dutyOfficers(p: Principal, regionCode: string): Promise<{ regionCode: string; level: 'district' | 'city'; officers: Contact[] }> {
    this.regionInScope(p, regionCode);
    const officers = await this.contacts.dutyOfficers(regionCode);
    return { regionCode, level: regionCode.length === 6 ? 'district' : 'city', officers };
  }

  async replaceDutyOfficers(p: Principal, regionCode: string, officers: Contact[]) {
    this.regionInScope(p, regionCode);
    this.checkPhones(Object.fromEntries(officers.map((c, i) => [`officers.${i}`, c])));
    await this.contacts.replaceDutyOfficers(regionCode, officers);
    return this.dutyOfficers(p, regionCode);
  }

  /** 行业管理部门 of a district or city, one per risk category (told of confirmed major hazards). */
  async industryDepartments(p: Principal, regionCode: string): Promise<{ regionCode: string; level: 'district' | 'city'; departments: IndustryDepartmentInput[] }> {
    this.regionInScope(p, regionCode);
    const departments = await this.contacts.industryDepartments(regionCode);
    return { regionCode, level: regionCode.length === 6 ? 'district' : 'city', departments };
  }

  async replaceIndustryDepartments(p: Principal, regionCode: string, departments: IndustryDepartmentInput[]) {
    this.regionInScope(p, regionCode);
    this.checkPhones(Object.fromEntries(departments.map((c, i) => [`departments.${i}`, c])));
    await this.contacts.replaceIndustryDepartments(regionCode, departments);
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
