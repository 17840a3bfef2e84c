import type { HazardHistory } from '@sw/hazards';
import type { DataSource } from 'typeorm';
import { type RecordScope, scopeWhere } from '../users/record-scope';

/** Loads what `analyseHazards` reads: the hazards in scope reported before `to`, with their events before `to`. */
export class HazardAnalysisRepository {
  constructor(private readonly ds: DataSource) {}

  async histories(scope: RecordScope, to: Date, regionPrefix: string | null): Promise<HazardHistory[]> {
    const s = scopeWhere(scope, { enterpriseId: 'h.enterprise_id', regionCode: 'h.region_code' });
    const qb = this.ds
      .createQueryBuilder()
      .from('hazards', 'h')
      .where(s.sql, s.params)
      .andWhere('h.reported_at < :to', { to })
      .select(['h.id AS id', 'h.region_code AS region_code', 'h.source AS source', 'h.article AS article', 'h.item AS item', 'h.categories AS categories'])
      .addSelect(
        `(SELECT coalesce(jsonb_agg(jsonb_build_object('event', e.event, 'at', e.at, 'to', e.to_status, 'data', e.data) ORDER BY e.id), '[]'::jsonb)
            FROM hazard_events e WHERE e.hazard_id = h.id AND e.at < :to)`,
        'events',
      )
      .orderBy('h.reported_at')
      .addOrderBy('h.id');
    if (regionPrefix) qb.andWhere('h.region_code LIKE :regionPrefix', { regionPrefix: `${regionPrefix}%` });
    type Row = { id: string; region_code: string; source: HazardHistory['source']; article: number; item: number | null; categories: string[]; events: { event: HazardHistory['events'][number]['event']; at: string; to: HazardHistory['events'][number]['to']; data: Record<string, unknown> }[] };
    const rows = await qb.getRawMany<Row>();
    return rows.map((r) => ({
      id: r.id,
      regionCode: r.region_code,
      source: r.source,
      article: r.article,
      item: r.item,
      categories: r.categories,
      // jsonb renders timestamptz with the session's offset: normalise to ISO 8601 UTC
      events: r.events.map((e) => ({ ...e, at: new Date(e.at).toISOString() })),
    }));
  }
}
