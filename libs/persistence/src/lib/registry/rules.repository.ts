import type { DataSource, SelectQueryBuilder } from 'typeorm';
import { ruleScopeWhere, type RecordScope, type ScopedTarget } from '../users/record-scope';
import { offsetOf, type PageRequest, type Paged } from './paging.types';
import { RegistryError } from './registry.errors';
import type { RuleScope, StoredRuleBody, ValidRule } from './rules.schema';

/** A stored rule as the API shows it. */
export interface StoredRule {
  id: string;
  name: string;
  scope: RuleScope;
  definition: StoredRuleBody;
  enabled: boolean;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  /** The enterprise a point or enterprise rule belongs to (null for region rules). */
  target: ScopedTarget | null;
}

interface RuleRow {
  id: string;
  name: string;
  scope_type: RuleScope['type'];
  point_id: string | null;
  enterprise_id: string | null;
  region_code: string | null;
  point_type: string | null;
  definition: StoredRuleBody;
  enabled: boolean;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  target_enterprise: string | null;
  target_region: string | null;
}

function scopeOfRow(r: RuleRow): RuleScope {
  switch (r.scope_type) {
    case 'point':
      return { type: 'point', pointId: r.point_id as string };
    case 'enterprise':
      return { type: 'enterprise', enterpriseId: r.enterprise_id as string, pointType: r.point_type as never };
    case 'region':
      return { type: 'region', regionCode: r.region_code as string, pointType: r.point_type as never };
  }
}

function toRule(r: RuleRow): StoredRule {
  return {
    id: r.id,
    name: r.name,
    scope: scopeOfRow(r),
    definition: r.definition,
    enabled: r.enabled,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    target: r.target_enterprise ? { enterpriseId: r.target_enterprise, regionCode: r.target_region as string } : null,
  };
}

function columnsOf(rule: ValidRule) {
  const s = rule.scope;
  return {
    name: rule.name,
    scope_type: s.type,
    point_id: s.type === 'point' ? s.pointId : null,
    enterprise_id: s.type === 'enterprise' ? s.enterpriseId : null,
    region_code: s.type === 'region' ? s.regionCode : null,
    point_type: s.type === 'point' ? null : s.pointType,
    definition: JSON.stringify(rule.definition),
    enabled: rule.enabled,
  };
}

/** The `rules` table: rules beyond a point's thresholds (rate, sustained, combined, gated). */
export class RulesRepository {
  constructor(private readonly ds: DataSource) {}

  async list(scope: RecordScope, page: PageRequest): Promise<Paged<StoredRule>> {
    const rows = await this.select(scope).orderBy('r.created_at', 'DESC').addOrderBy('r.id').limit(page.pageSize).offset(offsetOf(page)).getRawMany<RuleRow>();
    const count = await this.from(scope).select('count(*)', 'n').getRawOne<{ n: string }>();
    return { items: rows.map(toRule), total: Number(count?.n ?? 0), ...page };
  }

  async get(id: string, scope: RecordScope): Promise<StoredRule | null> {
    const row = await this.select(scope).andWhere('r.id = :id', { id }).getRawOne<RuleRow>();
    return row ? toRule(row) : null;
  }

  /** Every enabled rule (what an evaluator loads; `instantiateRule` turns one into a definition per point). */
  async listEnabled(): Promise<StoredRule[]> {
    const rows = await this.select({ kind: 'all' }).andWhere('r.enabled').orderBy('r.created_at').getRawMany<RuleRow>();
    return rows.map(toRule);
  }

  /** Stores a rule validated by `ruleInputSchema`. */
  async create(rule: ValidRule, createdBy: string | null): Promise<StoredRule> {
    const c = columnsOf(rule);
    const [row] = (await this.ds.query(
      `INSERT INTO rules (name, scope_type, point_id, enterprise_id, region_code, point_type, definition, enabled, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [c.name, c.scope_type, c.point_id, c.enterprise_id, c.region_code, c.point_type, c.definition, c.enabled, createdBy],
    )) as [{ id: string }];
    return this.getOrFail(row.id);
  }

  async replace(id: string, rule: ValidRule): Promise<StoredRule> {
    const c = columnsOf(rule);
    // through a CTE: TypeORM answers a bare UPDATE/DELETE … RETURNING with [rows, rowCount]
    const rows: unknown[] = await this.ds.query(
      `WITH u AS (UPDATE rules SET name = $2, scope_type = $3, point_id = $4, enterprise_id = $5, region_code = $6, point_type = $7,
              definition = $8, enabled = $9, updated_at = now() WHERE id = $1 RETURNING id) SELECT id FROM u`,
      [id, c.name, c.scope_type, c.point_id, c.enterprise_id, c.region_code, c.point_type, c.definition, c.enabled],
    );
    if (rows.length === 0) throw new RegistryError('not_found', `rule ${id} not found`);
    return this.getOrFail(id);
  }

  async delete(id: string): Promise<void> {
    const rows: unknown[] = await this.ds.query(`WITH d AS (DELETE FROM rules WHERE id = $1 RETURNING id) SELECT id FROM d`, [id]);
    if (rows.length === 0) throw new RegistryError('not_found', `rule ${id} not found`);
  }

  private async getOrFail(id: string): Promise<StoredRule> {
    const rule = await this.get(id, { kind: 'all' });
    if (!rule) throw new RegistryError('not_found', `rule ${id} not found`);
    return rule;
  }

  private from(scope: RecordScope): SelectQueryBuilder<RuleRow> {
    const s = ruleScopeWhere(scope, 'r', 'e');
    return this.ds
      .createQueryBuilder()
      .from('rules', 'r')
      .leftJoin('points', 'p', 'p.id = r.point_id')
      .leftJoin('gateways', 'g', 'g.id = p.gateway_id')
      .leftJoin('enterprises', 'e', 'e.id = COALESCE(r.enterprise_id, g.enterprise_id)')
      .where(s.sql, s.params) as unknown as SelectQueryBuilder<RuleRow>;
  }

  private select(scope: RecordScope): SelectQueryBuilder<RuleRow> {
    return this.from(scope)
      .select(['r.id AS id', 'r.name AS name', 'r.scope_type AS scope_type', 'r.point_id AS point_id', 'r.enterprise_id AS enterprise_id'])
      .addSelect(['r.region_code AS region_code', 'r.point_type AS point_type', 'r.definition AS definition', 'r.enabled AS enabled'])
      .addSelect(['r.created_by AS created_by', 'r.created_at AS created_at', 'r.updated_at AS updated_at'])
      .addSelect(['e.id AS target_enterprise', 'e.region_code AS target_region']);
  }
}
