import { Injectable } from '@nestjs/common';
import { notFound } from '@sw/errors';
import type { RiskLevel } from '@sw/grading';
import { shanghaiDayOf } from '@sw/kpi';
import { type Principal, RiskGradesRepository, scopeOf } from '@sw/persistence';
import { DataSource } from 'typeorm';

const DAY_MS = 86_400_000;

/**
 * Risk grades (风险等级, docs/domain.md "The closed loop") as the daily job wrote them, scoped like
 * alarms: a regulator sees its region, an enterprise user only its own enterprise (404 otherwise).
 */
@Injectable()
export class GradesService {
  private readonly grades: RiskGradesRepository;

  constructor(ds: DataSource) {
    this.grades = new RiskGradesRepository(ds);
  }

  async current(p: Principal, q: { regionCode?: string; level?: RiskLevel }) {
    const items = await this.grades.current(scopeOf(p), q.regionCode ?? null, q.level ?? null);
    const counts: Record<RiskLevel, number> = { red: 0, orange: 0, yellow: 0, blue: 0 };
    for (const g of items) counts[g.level]++;
    return { regionCode: q.regionCode ?? null, counts, items };
  }

  async history(p: Principal, enterpriseId: string, q: { from?: string; to?: string }, now = Date.now()) {
    const to = q.to ?? shanghaiDayOf(now);
    const from = q.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 89 * DAY_MS).toISOString().slice(0, 10);
    const items = await this.grades.history(scopeOf(p), enterpriseId, from, to);
    if (items === null) throw notFound(`enterprise ${enterpriseId} not found`);
    return { enterpriseId, from, to, items };
  }
}
