import { Injectable } from '@nestjs/common';
import { analyseHazards, type HazardAnalysis } from '@sw/hazards';
import { HazardAnalysisRepository, type Principal, scopeOf } from '@sw/persistence';
import { DataSource } from 'typeorm';

/** The register's figures for a period, in the caller's scope (loading here, computing in `@sw/hazards`). */
@Injectable()
export class HazardsAnalysisService {
  private readonly repo: HazardAnalysisRepository;

  constructor(ds: DataSource) {
    this.repo = new HazardAnalysisRepository(ds);
  }

  async analyse(p: Principal, from: string, to: string, regionCode: string | null): Promise<HazardAnalysis & { regionCode: string | null }> {
    const histories = await this.repo.histories(scopeOf(p), new Date(to), regionCode);
    return { ...analyseHazards(histories, { from, to }), regionCode };
  }
}
