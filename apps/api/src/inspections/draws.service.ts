import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { invalid } from '@sw/errors';
import { checklistFor, DEFAULT_INSPECTION_POLICY, type DrawInput, drawDoubleRandom, effectiveLevel, newSeed, replayDraw, shanghaiDay } from '@sw/inspections';
import { type DrawRow, InspectionStore, InspectorPoolRepository, type NewInspection, type PageRequest, type Principal, scopeOf, visibleTo } from '@sw/persistence';
import { DataSource } from 'typeorm';
import type { ClientInfo } from '../auth/auth.decorator';
import { actorOf } from './inspection-http';
import { InspectorsService } from './inspectors.service';

/**
 * 双随机 draws (docs/domain.md "The closed loop"): the candidate list is the region's ledger (not
 * closed) with each enterprise's latest risk level and its weight, the pool its inspectors; both
 * are stored with the seed and the result, and each drawn enterprise with a full team becomes a
 * planned `double_random` inspection in the same transaction.
 */
@Injectable()
export class DrawsService {
  constructor(
    private readonly store: InspectionStore,
    private readonly pool: InspectorPoolRepository,
    private readonly ds: DataSource,
  ) {}

  async create(p: Principal, body: { regionCode: string; n: number; m: number; excludeDays?: number; visitDate?: string; planId?: string; seed?: string }, client: ClientInfo) {
    const region = InspectorsService.regionOf(p, body.regionCode) ?? body.regionCode;
    const policy = DEFAULT_INSPECTION_POLICY;
    const ledger = await this.store.ledgerForDraw(region);
    const inspectors = await this.pool.list(region);
    const input: DrawInput = {
      seed: body.seed ?? newSeed(),
      day: shanghaiDay(Date.now()),
      n: body.n,
      m: body.m,
      excludeDays: body.excludeDays ?? policy.excludeDays,
      candidates: ledger.map((e) => {
        const { level, graded } = effectiveLevel(e.level, policy);
        return { enterpriseId: e.id, name: e.name, regionCode: e.regionCode, level, graded, weight: policy.weights[level], lastInspectedOn: e.lastInspectedOn };
      }),
      inspectors: inspectors.map((i) => ({ id: i.id, name: i.name, certificateNo: i.certificateNo, active: i.active, relatedEnterpriseIds: i.relatedEnterpriseIds })),
    };
    const out = drawDoubleRandom(input);
    if (!out.ok) throw invalid(out.reason, out.code);
    const id = randomUUID();
    const byId = new Map(inspectors.map((i) => [i.id, i]));
    const categories = await this.categories(out.result.picks.map((x) => x.enterpriseId));
    const candidates = new Map(input.candidates.map((c) => [c.enterpriseId, c]));
    const tasks: NewInspection[] = out.result.picks
      .filter((pick) => !pick.shortfall)
      .flatMap((pick) => {
        const c = candidates.get(pick.enterpriseId);
        if (!c) return [];
        const task: NewInspection = {
          id: randomUUID(),
          enterpriseId: c.enterpriseId,
          regionCode: c.regionCode,
          mode: 'double_random',
          visitDate: body.visitDate ?? input.day,
          drawId: id,
          alarmId: null,
          subject: null,
          inspectors: pick.team.map((t) => ({ id: t, name: byId.get(t)?.name ?? '', certificateNo: byId.get(t)?.certificateNo ?? '' })),
          checklist: checklistFor(categories.get(c.enterpriseId) ?? []),
        };
        return [task];
      });
    await this.store.saveDraw({ id, regionCode: region, planId: body.planId ?? null, input, result: out.result }, tasks, actorOf(p), client);
    return this.get(p, id);
  }

  async get(p: Principal, id: string) {
    const d = await this.inScope(p, id);
    const tasks = await this.store.list(scopeOf(p), { drawId: id }, { page: 1, pageSize: 500 });
    return view(d, tasks.items.map((t) => ({ id: t.id, enterpriseId: t.enterpriseId, status: t.status })));
  }

  async list(p: Principal, regionCode: string | undefined, page: PageRequest) {
    const paged = await this.store.listDraws(InspectorsService.regionOf(p, regionCode), page);
    return { ...paged, items: paged.items.map((d) => view(d, [])) };
  }

  /** Recomputes the draw from its stored seed and lists and answers whether the picks and teams are the same. */
  async replay(p: Principal, id: string) {
    const d = await this.inScope(p, id);
    const r = replayDraw(d.input, d.result);
    return { drawId: id, seed: d.input.seed, algorithm: d.result.algorithm, matches: r.matches, reason: r.reason, stored: d.result.picks, recomputed: r.recomputed?.picks ?? null };
  }

  private async inScope(p: Principal, id: string): Promise<DrawRow> {
    return visibleTo(p, await this.store.getDraw(id), (d) => ({ region: d.regionCode }), `draw ${id}`);
  }

  private async categories(ids: string[]): Promise<Map<string, string[]>> {
    if (ids.length === 0) return new Map();
    const rows: { id: string; risk_categories: string[] }[] = await this.ds.query(`SELECT id, risk_categories FROM enterprises WHERE id = ANY($1)`, [ids]);
    return new Map(rows.map((r) => [r.id, r.risk_categories]));
  }
}

function view(d: DrawRow, tasks: { id: string; enterpriseId: string; status: string }[]) {
  const names = new Map(d.input.candidates.map((c) => [c.enterpriseId, c]));
  const inspectors = new Map(d.input.inspectors.map((i) => [i.id, i]));
  return {
    id: d.id,
    regionCode: d.regionCode,
    planId: d.planId,
    seed: d.input.seed,
    algorithm: d.result.algorithm,
    day: d.input.day,
    n: d.input.n,
    m: d.input.m,
    excludeDays: d.input.excludeDays,
    drawnBy: d.drawnByName,
    drawnAt: d.drawnAt,
    candidates: d.input.candidates,
    inspectors: d.input.inspectors,
    eligible: d.result.eligible,
    excluded: d.result.excluded,
    picks: d.result.picks.map((pick) => ({
      ...pick,
      name: names.get(pick.enterpriseId)?.name ?? null,
      level: names.get(pick.enterpriseId)?.level ?? null,
      graded: names.get(pick.enterpriseId)?.graded ?? null,
      team: pick.team.map((t) => ({ id: t, name: inspectors.get(t)?.name ?? null, certificateNo: inspectors.get(t)?.certificateNo ?? null })),
      inspectionId: tasks.find((x) => x.enterpriseId === pick.enterpriseId)?.id ?? null,
    })),
  };
}
