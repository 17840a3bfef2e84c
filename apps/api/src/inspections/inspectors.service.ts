import { Injectable, NotFoundException } from '@nestjs/common';
import { RISK_LEVELS, type RiskLevel } from '@sw/inspections';
import { InspectorPoolRepository, type Principal, scopeCoversRegion, scopeOf } from '@sw/persistence';
import type { ClientInfo } from '../auth/auth.decorator';
import { toHttp } from '../http/coded-http';
import { actorOf } from './inspection-http';

/** The inspector pool and the yearly plans of a region; a region outside the caller's scope answers 404. */
@Injectable()
export class InspectorsService {
  constructor(private readonly pool: InspectorPoolRepository) {}

  /** The region a call is about: the one asked for (within scope), else the regulator's own, else all (admin). */
  static regionOf(p: Principal, asked: string | undefined): string | null {
    const scope = scopeOf(p);
    if (asked) {
      if (!scopeCoversRegion(scope, asked)) throw new NotFoundException(`region ${asked} not found`);
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
    const found = await this.pool.get(id);
    if (!found || !scopeCoversRegion(scopeOf(p), found.regionCode)) throw new NotFoundException(`inspector ${id} not found`);
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
    if (!scopeCoversRegion(scopeOf(p), body.regionCode)) throw toHttp(404, 'not_found', `region ${body.regionCode} not found`);
    await this.pool.putPlan({ ...body, note: body.note ?? null }, actorOf(p), client);
    return (await this.plans(p, body.regionCode, body.year))[0];
  }
}
