import { Injectable } from '@nestjs/common';
import { conflict, forbidden, notFound } from '@sw/errors';
import {
  type CreateEnterpriseInput,
  type Enterprise,
  EnterprisesRepository,
  type EnterpriseFilter,
  type PageRequest,
  PersonnelRepository,
  type PersonnelRequest,
  type PersonnelRole,
  personnelFields,
  type Principal,
  currentPersonnel,
  RegistryError,
  RegistryService,
  requireRegion,
  scopeOf,
  shanghaiToday,
  type UpdateEnterpriseInput,
} from '@sw/persistence';
import { DataSource } from 'typeorm';

// What an enterprise user may change about its own enterprise: nothing that decides its
// policy scope or identity (status, region, categories, dust workers, uscc), and its people only
// through a change request a regulator accepts.
const SELF_EDITABLE = new Set(['name', 'employees']);

@Injectable()
export class EnterprisesService {
  constructor(
    private readonly registry: RegistryService,
    private readonly enterprises: EnterprisesRepository,
    private readonly personnel: PersonnelRepository,
    private readonly ds: DataSource,
  ) {}

  /** A regulator registers enterprises inside its own region only. */
  create(p: Principal, input: CreateEnterpriseInput): Promise<Enterprise> {
    requireRegion(p, String(input.regionCode));
    return this.neutralConflict(p, String(input.uscc ?? ''), () => this.registry.createEnterprise(input, undefined, p.id));
  }

  /** Each with `mandatoryConnected` (必选 n/m 已接入). */
  async list(p: Principal, filter: EnterpriseFilter, page: PageRequest) {
    const result = await this.enterprises.list(scopeOf(p), filter, page);
    const coverage = await this.enterprises.mandatoryConnected(result.items);
    return { ...result, items: result.items.map((e) => ({ ...e, mandatoryConnected: coverage.get(e.id) })) };
  }

  /** In scope or 404 (docs/contracts.md §4: out-of-scope ids answer as if they did not exist). */
  async get(p: Principal, id: string): Promise<Enterprise> {
    // the repository reads in scope already: null is missing or outside it
    const enterprise = await this.enterprises.get(id, scopeOf(p));
    if (!enterprise) throw notFound(`enterprise ${id} not found`);
    return enterprise;
  }

  /** The enterprise with every ledger field, its three people, status and personnel history, and its personnel change requests. */
  async getWithHistory(p: Principal, id: string) {
    const enterprise = await this.get(p, id);
    const [history, people, personnelHistory, personnelChanges] = await Promise.all([
      this.enterprises.statusHistory(id),
      currentPersonnel(this.ds, id),
      this.personnel.history(id),
      this.personnel.requests(id),
    ]);
    const coverage = await this.enterprises.mandatoryConnected([enterprise]);
    return {
      ...enterprise,
      mandatoryConnected: coverage.get(id),
      ...personnelFields(people),
      statusHistory: history.map((h) => ({ status: h.status, effectiveDate: h.effectiveDate, reason: h.reason, recordedAt: h.recordedAt })),
      personnelHistory,
      personnelChanges,
    };
  }

  /** An enterprise user reports a change of one of its people; it applies when a regulator accepts it. */
  async submitPersonnelChange(p: Principal, id: string, input: { role: PersonnelRole; name: string; phone?: string | null; effectiveDate?: string; note?: string | null }): Promise<PersonnelRequest> {
    await this.get(p, id);
    return this.personnel.submit(id, { ...input, effectiveDate: input.effectiveDate ?? shanghaiToday() }, p.id);
  }

  async personnelChanges(p: Principal, id: string): Promise<PersonnelRequest[]> {
    await this.get(p, id);
    return this.personnel.requests(id);
  }

  /** A regulator of the enterprise's region (or an admin) accepts or rejects a pending request. */
  async decidePersonnelChange(p: Principal, requestId: string, accept: boolean, reason: string | null): Promise<PersonnelRequest> {
    const request = await this.personnel.request(requestId);
    if (!request) throw notFound(`personnel change ${requestId} not found`);
    await this.get(p, request.enterpriseId).catch(() => {
      throw notFound(`personnel change ${requestId} not found`);
    });
    return this.personnel.decide(requestId, accept, p.id, reason);
  }

  async update(p: Principal, id: string, input: UpdateEnterpriseInput): Promise<Enterprise> {
    await this.get(p, id);
    if (p.role === 'enterprise') {
      const locked = Object.keys(input).filter((k) => !SELF_EDITABLE.has(k));
      if (locked.length > 0) throw forbidden(`an enterprise user may change only ${[...SELF_EDITABLE].join(', ')}; not ${locked.join(', ')}`);
    }
    if (input.regionCode !== undefined) requireRegion(p, input.regionCode);
    return this.neutralConflict(p, String(input.uscc ?? ''), () => this.enterprises.update(id, input, undefined, p.id));
  }

  /**
   * A taken credit code answers 409 either way, but only a caller who may see the enterprise that
   * holds it learns which one it is; others get a neutral message that does not say where it is in
   * use (issue 18: conflicts revealed registrations in other regions).
   */
  private async neutralConflict<T>(p: Principal, uscc: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (err) {
      if (!(err instanceof RegistryError && err.kind === 'conflict') || p.role === 'admin') throw err;
      const holder = await this.registry.findEnterpriseByUscc(uscc);
      if (holder && (await this.enterprises.get(holder.id, scopeOf(p)))) throw err;
      throw conflict('this credit code (uscc) cannot be used', 'uscc_unavailable');
    }
  }
}
