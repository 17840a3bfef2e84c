import { Injectable } from '@nestjs/common';
import { forbidden, invalid, notFound } from '@sw/errors';
import {
  EnterprisesRepository,
  type PageRequest,
  PointsRepository,
  pointsNamedBy,
  type Principal,
  type RecordScope,
  requireRegion,
  RulesRepository,
  scopeOf,
  scopeReaches,
  type StoredRule,
  type ValidRule,
} from '@sw/persistence';
import { isUuid } from '../http/id.pipe';

/** Stored rules: read in scope; written by admins and regulators for what lies inside their region. */
@Injectable()
export class RulesService {
  constructor(
    private readonly rules: RulesRepository,
    private readonly points: PointsRepository,
    private readonly enterprises: EnterprisesRepository,
  ) {}

  list(p: Principal, page: PageRequest) {
    return this.rules.list(scopeOf(p), page);
  }

  async get(p: Principal, id: string): Promise<StoredRule> {
    const rule = await this.rules.get(id, scopeOf(p));
    if (!rule) throw notFound(`rule ${id} not found`);
    return rule;
  }

  async create(p: Principal, rule: ValidRule): Promise<StoredRule> {
    await this.checkWritable(scopeOf(p), rule);
    return this.rules.create(rule, p.id);
  }

  async replace(p: Principal, id: string, rule: ValidRule): Promise<StoredRule> {
    await this.checkMayChange(p, id);
    await this.checkWritable(scopeOf(p), rule);
    return this.rules.replace(id, rule);
  }

  async delete(p: Principal, id: string): Promise<void> {
    await this.checkMayChange(p, id);
    await this.rules.delete(id);
  }

  // A regulator sees region rules that cover its region, but changes only those inside it.
  private async checkMayChange(p: Principal, id: string): Promise<void> {
    const existing = await this.get(p, id);
    const scope = scopeOf(p);
    const inside = existing.target ? scopeReaches(scope, existing.target) : existing.scope.type === 'region' && scopeReaches(scope, { region: existing.scope.regionCode });
    if (!inside) throw forbidden('the rule reaches beyond your region');
  }

  /** What the rule applies to, and every point it names, must exist and lie in the caller's scope. */
  private async checkWritable(scope: RecordScope, rule: ValidRule): Promise<void> {
    const s = rule.scope;
    let enterpriseId: string | null = null;
    if (s.type === 'region') {
      requireRegion(scope, s.regionCode);
    } else if (s.type === 'enterprise') {
      if (!(await this.enterprises.get(s.enterpriseId, scope))) throw invalid(['scope.enterpriseId: no such enterprise']);
      enterpriseId = s.enterpriseId;
    } else {
      const point = await this.points.get(s.pointId, scope);
      if (!point) throw invalid(['scope.pointId: no such point']);
      enterpriseId = point.enterpriseId;
    }
    const named = pointsNamedBy(rule.definition);
    const found = await this.points.getMany(named.filter(isUuid), scope);
    const foreign = named.filter((id) => !found.some((f) => f.id === id && (enterpriseId === null || f.enterpriseId === enterpriseId)));
    if (foreign.length > 0) throw invalid(foreign.map((id) => `definition: no such point ${id} in this rule's enterprise`));
  }
}
