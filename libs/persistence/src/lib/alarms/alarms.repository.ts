import { type AlarmSnapshot } from '@sw/rules';
import { offsetOf, type PageRequest, type Paged } from '../registry/paging.types';
import { type RecordScope, scopeWhere } from '../users/record-scope';
import type { DataSource } from 'typeorm';

export interface AlarmFilter {
  condition?: string[];
  tier?: string[];
  stage?: string[];
  kind?: string[];
  enterpriseId?: string;
  /** normalized region prefix */
  regionPrefix?: string;
  pointId?: string;
  /** raised at or after */
  from?: Date;
  /** raised before */
  to?: Date;
}

/** Scoped alarm lists (the alarms table's indexed columns); single alarms and events come from `AlarmStore`. */
export class AlarmsRepository {
  constructor(private readonly ds: DataSource) {}

  /** Newest first (docs/contracts.md §4). */
  async list(scope: RecordScope, f: AlarmFilter, page: PageRequest): Promise<Paged<AlarmSnapshot>> {
    const s = scopeWhere(scope, { enterpriseId: 'a.enterprise_id', regionCode: 'a.region_code' });
    const qb = this.ds.createQueryBuilder().from('alarms', 'a').where(s.sql, s.params);
    if (f.condition) qb.andWhere('a.condition IN (:...condition)', { condition: f.condition });
    if (f.tier) qb.andWhere('a.tier IN (:...tier)', { tier: f.tier });
    if (f.stage) qb.andWhere('a.stage IN (:...stage)', { stage: f.stage });
    if (f.kind) qb.andWhere('a.kind IN (:...kind)', { kind: f.kind });
    if (f.enterpriseId) qb.andWhere('a.enterprise_id = :enterpriseId', { enterpriseId: f.enterpriseId });
    if (f.regionPrefix) qb.andWhere('a.region_code LIKE :regionPrefix', { regionPrefix: `${f.regionPrefix}%` });
    if (f.pointId) qb.andWhere('a.point_id = :pointId', { pointId: f.pointId });
    if (f.from) qb.andWhere('a.raised_at >= :from', { from: f.from });
    if (f.to) qb.andWhere('a.raised_at < :to', { to: f.to });
    const count = await qb.clone().select('count(*)', 'n').getRawOne<{ n: string }>();
    const rows = await qb
      .select('a.snapshot', 'snapshot')
      .orderBy('a.raised_at', 'DESC')
      .addOrderBy('a.seq', 'DESC')
      .limit(page.pageSize)
      .offset(offsetOf(page))
      .getRawMany<{ snapshot: AlarmSnapshot }>();
    return { items: rows.map((r) => r.snapshot), total: Number(count?.n ?? 0), ...page };
  }
}
