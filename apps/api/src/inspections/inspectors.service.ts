import { Injectable } from '@nestjs/common';
import { RISK_LEVELS, type RiskLevel } from '@sw/inspections';
import { InspectorPoolRepository, type Principal, requireRegion, scopeOf, visibleTo } from '@sw/persistence';
import type { ClientInfo } from '../auth/auth.decorator';
import { actorOf } from './inspection-http';

/** The inspector pool and the yearly plans of a region; a region outside the caller's scope answers 403 (docs/contracts.md §4 "Scope"). */
@Injectable()
export class InspectorsService {
  constructor(private readonly pool: InspectorPoolRepository) {}

  /** The region a call is about: the one asked for (within scope), else the regulator's own, else all (admin). */
  static regionOf(p: Principal, asked: string | undefined): string | null {
    const scope = scopeOf(p);
    if (asked) {
      requireRegion(scope, asked);
      return asked;
    }
    return scope.kind === 'region' ? scope.prefix : null;
  }

  list(p: Principal, regionCode?: string) {
    return this.pool.list(InspectorsService.regionOf(p, regionCode));
  }

  async create(p: Principal, body: { regionCode: string; name: string; certificateNo: string; active: boolean; relatedEnterpriseIds: string[] }, client: ClientInfo) {
    InspectorsService.regionOf(p, body.regionCode);
    const id = await this.pool.create(body, actorOf(p), client);
    return this.pool.get(id);
  }

  async update(p: Principal, id: string, patch: { name?: string; active?: boolean; relatedEnterpriseIds?: string[] }, client: ClientInfo) {
    visibleTo(p, await this.pool.get(id), (f) => ({ region: f.regionCode }), `inspector ${id}`);
    await this.pool.update(id, patch, actorOf(p), client);
    return this.pool.get(id);
  }

  async plans(p: Principal, regionCode?: string, year?: number) {
    const plans = await this.pool.listPlans(InspectorsService.regionOf(p, regionCode), year);
    return Promise.all(
      plans.map(async (plan) => {
        const progress = await this.pool.progress(plan.regionCode, plan.year);
        const done = Object.fromEntries(RISK_LEVELS.map((l) => [l, progress.find((x) => x.level === l)?.done ?? 0])) as Record<RiskLevel, number>;
        return { ...plan, done, ungradedDone: progress.find((x) => x.level === null)?.done ?? 0 };
      }),
    );
  }

  async putPlan(p: Principal, body: { regionCode: string; year: number; targets: Record<RiskLevel, number>; note?: string | null }, client: ClientInfo) {
    requireRegion(p, body.regionCode);
    await this.pool.putPlan({ ...body, note: body.note ?? null }, actorOf(p), client);
    return (await this.plans(p, body.regionCode, body.year))[0];
  }
}
