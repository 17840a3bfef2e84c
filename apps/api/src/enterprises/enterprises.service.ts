import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import {
  type CreateEnterpriseInput,
  type Enterprise,
  EnterprisesRepository,
  type EnterpriseFilter,
  type PageRequest,
  type Principal,
  RegistryService,
  scopeCoversRegion,
  scopeOf,
  type UpdateEnterpriseInput,
} from '@sw/persistence';

// What an enterprise user may change about its own enterprise: nothing that decides its
// policy scope or identity (status, region, categories, dust workers, uscc).
const SELF_EDITABLE = new Set(['name', 'employees']);

@Injectable()
export class EnterprisesService {
  constructor(
    private readonly registry: RegistryService,
    private readonly enterprises: EnterprisesRepository,
  ) {}

  /** A regulator registers enterprises inside its own region only. */
  create(p: Principal, input: CreateEnterpriseInput): Promise<Enterprise> {
    if (!scopeCoversRegion(scopeOf(p), String(input.regionCode))) throw new ForbiddenException('regionCode is outside your region');
    return this.registry.createEnterprise(input);
  }

  /** Each with `mandatoryConnected` (必选 n/m 已接入). */
  async list(p: Principal, filter: EnterpriseFilter, page: PageRequest) {
    const result = await this.enterprises.list(scopeOf(p), filter, page);
    const coverage = await this.enterprises.mandatoryConnected(result.items);
    return { ...result, items: result.items.map((e) => ({ ...e, mandatoryConnected: coverage.get(e.id) })) };
  }

  /** In scope or 404 (CONTRACTS.md §4: out-of-scope ids answer as if they did not exist). */
  async get(p: Principal, id: string): Promise<Enterprise> {
    const enterprise = await this.enterprises.get(id, scopeOf(p));
    if (!enterprise) throw new NotFoundException(`enterprise ${id} not found`);
    return enterprise;
  }

  async getWithHistory(p: Principal, id: string) {
    const enterprise = await this.get(p, id);
    const history = await this.enterprises.statusHistory(id);
    const coverage = await this.enterprises.mandatoryConnected([enterprise]);
    return { ...enterprise, mandatoryConnected: coverage.get(id), statusHistory: history.map((h) => ({ status: h.status, effectiveDate: h.effectiveDate, recordedAt: h.recordedAt })) };
  }

  async update(p: Principal, id: string, input: UpdateEnterpriseInput): Promise<Enterprise> {
    await this.get(p, id);
    if (p.role === 'enterprise') {
      const locked = Object.keys(input).filter((k) => !SELF_EDITABLE.has(k));
      if (locked.length > 0) throw new ForbiddenException(`an enterprise user may change only ${[...SELF_EDITABLE].join(', ')}; not ${locked.join(', ')}`);
    }
    if (input.regionCode !== undefined && !scopeCoversRegion(scopeOf(p), input.regionCode)) {
      throw new ForbiddenException('regionCode is outside your region');
    }
    return this.enterprises.update(id, input);
  }
}
