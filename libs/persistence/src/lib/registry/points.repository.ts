import type { PointType } from '@sw/sensors';
import type { DataSource } from 'typeorm';
import { Point } from '../entities/point.entity';
import { scopeWhere, type RecordScope } from '../users/record-scope';
import { offsetOf, type PageRequest, type Paged } from './paging.types';
import { parseInput } from './parse-input';
import { RegistryError } from './registry.errors';
import { updatePointSchema, type UpdatePointInput } from './registry-update.schema';

/** A point with what scoping and alarms need of its gateway and enterprise. */
export type ScopedPoint = Point & { enterpriseId: string; regionCode: string };

const SCOPE_COLS = { enterpriseId: 'e.id', regionCode: 'e.region_code' };

/** Scoped reads, updates, deletes and maintenance windows of points; creation stays in `RegistryService`. */
export class PointsRepository {
  constructor(private readonly ds: DataSource) {}

  /** The point, or null when missing or out of scope (404 either way). */
  async get(id: string, scope: RecordScope): Promise<ScopedPoint | null> {
    const found = await this.getMany([id], scope);
    return found[0] ?? null;
  }

  /** Those of `ids` that exist and are in scope. */
  async getMany(ids: string[], scope: RecordScope): Promise<ScopedPoint[]> {
    if (ids.length === 0) return [];
    const s = scopeWhere(scope, SCOPE_COLS);
    const { entities, raw } = await this.ds
      .getRepository(Point)
      .createQueryBuilder('p')
      .innerJoin('p.gateway', 'g')
      .innerJoin('g.enterprise', 'e')
      .addSelect('e.id', 'enterprise_id')
      .addSelect('e.region_code', 'region_code')
      .where('p.id IN (:...ids)', { ids })
      .andWhere(s.sql, s.params)
      .getRawAndEntities<{ p_id: string; enterprise_id: string; region_code: string }>();
    const byId = new Map(raw.map((r) => [r.p_id, r]));
    return entities.map((p) => {
      const r = byId.get(p.id) as { enterprise_id: string; region_code: string };
      return Object.assign(p, { enterpriseId: r.enterprise_id, regionCode: r.region_code });
    });
  }

  /** The types of a gateway's points (for the context signals its points depend on). */
  async typesOfGateway(gatewayId: string): Promise<PointType[]> {
    const rows: { type: PointType }[] = await this.ds.query(`SELECT DISTINCT type FROM points WHERE gateway_id = $1`, [gatewayId]);
    return rows.map((r) => r.type);
  }

  async listByGateway(gatewayId: string, page: PageRequest): Promise<Paged<Point>> {
    const [items, total] = await this.ds.getRepository(Point).findAndCount({
      where: { gatewayId },
      order: { code: 'ASC' },
      skip: offsetOf(page),
      take: page.pageSize,
    });
    return { items, total, ...page };
  }

  async update(id: string, input: UpdatePointInput): Promise<Point> {
    const data = parseInput(updatePointSchema, input, 'point');
    if (Object.keys(data).length > 0) await this.ds.getRepository(Point).update({ id }, data);
    const point = await this.ds.getRepository(Point).findOneBy({ id });
    if (!point) throw new RegistryError('not_found', `point ${id} not found`);
    return point;
  }

  async delete(id: string): Promise<void> {
    const result = await this.ds.getRepository(Point).delete({ id });
    if (!result.affected) throw new RegistryError('not_found', `point ${id} not found`);
  }

  /** Starts (or replaces) a maintenance window; ingest and alerting hear of it through NOTIFY. */
  async startMaintenance(id: string, until: Date, reason: string): Promise<void> {
    await this.ds.getRepository(Point).update({ id }, { maintenanceUntil: until, maintenanceReason: reason });
  }

  /** Ends a maintenance window that is still running; true when there was one. */
  async endMaintenance(id: string): Promise<boolean> {
    const result = await this.ds
      .createQueryBuilder()
      .update(Point)
      .set({ maintenanceUntil: null, maintenanceReason: null })
      .where('id = :id', { id })
      .andWhere('maintenance_until > now()')
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** Ids of the point's alarms that are not closed (maintenance suppresses and releases them). */
  async alarmsNotClosed(pointId: string): Promise<string[]> {
    const rows: { id: string }[] = await this.ds.query(`SELECT id FROM alarms WHERE point_id = $1 AND stage <> 'closed' ORDER BY raised_at`, [pointId]);
    return rows.map((r) => r.id);
  }
}
