import { Injectable } from '@nestjs/common';
import { conflict, invalid } from '@sw/errors';
import { analyseHazards } from '@sw/hazards';
import { endOfShanghaiDay, startOfShanghaiDay } from '@sw/kpi';
import { HazardAnalysisRepository, type Principal, ReportSnapshotRepository, scopeOf, shanghaiToday, WorkSummaryRepository, type WorkSummaryRow as StoredWorkSummary } from '@sw/persistence';
import { DataSource } from 'typeorm';
import { HalfYearReportService } from '../reports/half-year-report.service';
import type { HalfYearReport } from '../reports/report.types';
import { ensureVisible, upwardRegion } from './upward-region';
import { type SectionKey, type SummaryFigures, type SummarySection, summarySections } from './work-summary.types';

type WorkSummaryRow = StoredWorkSummary<SummaryFigures, SectionKey>;

export interface WorkSummary extends Omit<WorkSummaryRow, 'narratives'> {
  sections: SummarySection[];
}

/**
 * The half-year work summary of a region: created as a draft with the period's figures — the KPI
 * figures from the stored half-year report snapshot (generated as version 1 if none is stored) —
 * the bureau writes a narrative per section and saves drafts, then finalizes it: figures and text
 * are frozen, and every later change answers 409 (a database trigger refuses it as well).
 */
@Injectable()
export class WorkSummaryService {
  private readonly hazards: HazardAnalysisRepository;

  constructor(
    ds: DataSource,
    private readonly repo: WorkSummaryRepository<SummaryFigures, SectionKey>,
    private readonly reports: HalfYearReportService,
    private readonly reportSnapshots: ReportSnapshotRepository<HalfYearReport>,
  ) {
    this.hazards = new HazardAnalysisRepository(ds);
  }

  /** The summary of a region and half year: the stored one, or a new draft. */
  async open(p: Principal, q: { regionCode?: string; from: string; to: string }, now = new Date()): Promise<WorkSummary> {
    const region = upwardRegion(p, q.regionCode);
    const stored = await this.repo.find(region, q.from, q.to);
    if (stored) return withSections(stored);
    return withSections(await this.repo.create(await this.figures(p, region, q.from, q.to, now), p.username));
  }

  async list(p: Principal, regionCode: string | undefined): Promise<WorkSummary[]> {
    const scope = scopeOf(p);
    const region = regionCode ? upwardRegion(p, regionCode) : scope.kind === 'region' ? scope.prefix : null;
    return (await this.repo.list(region)).map(withSections);
  }

  async get(p: Principal, id: string): Promise<WorkSummary> {
    return withSections(await this.row(p, id));
  }

  /** Saves the draft's narratives (sections left out keep their text); 409 once final or when `revision` is stale. */
  async saveDraft(p: Principal, id: string, body: { narratives: Partial<Record<SectionKey, string>>; revision?: number }): Promise<WorkSummary> {
    const current = await this.row(p, id);
    this.ensureDraft(current);
    const updated = await this.repo.updateDraft(id, { narratives: { ...current.narratives, ...body.narratives } }, p.username, body.revision ?? current.revision);
    return withSections(updated ?? this.refused(await this.row(p, id)));
  }

  /** The draft's figures again from the data as it is now (the newest KPI report version). */
  async refreshFigures(p: Principal, id: string, now = new Date()): Promise<WorkSummary> {
    const current = await this.row(p, id);
    this.ensureDraft(current);
    const figures = await this.figures(p, current.regionCode, current.from, current.to, now);
    const updated = await this.repo.updateDraft(id, { figures }, p.username);
    return withSections(updated ?? this.refused(await this.row(p, id)));
  }

  /** Freezes the summary with its figures and narratives. */
  async finalize(p: Principal, id: string, revision?: number): Promise<WorkSummary> {
    const current = await this.row(p, id);
    this.ensureDraft(current);
    const updated = await this.repo.updateDraft(id, { finalizeBy: p }, p.username, revision ?? current.revision);
    return withSections(updated ?? this.refused(await this.row(p, id)));
  }

  private async row(p: Principal, id: string): Promise<WorkSummaryRow> {
    return ensureVisible(p, await this.repo.get(id), `work summary ${id}`);
  }

  private ensureDraft(s: WorkSummaryRow): void {
    if (s.status === 'final') throw conflict(`the work summary was finalized on ${s.finalizedAt ?? ''} and never changes`, 'summary_final');
  }

  private refused(s: WorkSummaryRow): never {
    this.ensureDraft(s);
    throw conflict(`the work summary changed meanwhile (now revision ${s.revision}); reload it`, 'summary_stale');
  }

  /** Every figure of the period for the region. */
  async figures(p: Principal, region: string, from: string, to: string, now = new Date()): Promise<SummaryFigures> {
    if (from > to) throw invalid('from must not be after to');
    const today = shanghaiToday(now);
    const asOf = to < today ? to : today;
    const report = await this.reports.get(p, { regionCode: region, from, to }, now);
    const prev = previousHalfYear(from);
    const previous = await this.reportSnapshots.find(region, prev.from, prev.to);
    const start = new Date(startOfShanghaiDay(from));
    const end = endOfShanghaiDay(to);
    const hazardEnd = end.getTime() < now.getTime() ? end : now;
    const [byStatus, risk, inspections, reports, histories] = await Promise.all([
      this.repo.enterprisesByStatus(region, asOf),
      this.repo.riskLevels(region, asOf),
      this.repo.inspectionsByMode(region, from, to),
      this.repo.publicReports(region, start, end),
      this.hazards.histories(scopeOf(p), hazardEnd, region),
    ]);
    const h = analyseHazards(histories, { from: start.toISOString(), to: hazardEnd.toISOString() });
    const enterprises = Object.values(byStatus).reduce((s, k) => s + k, 0);
    const c = report.connection;
    const change = previous && c.connectionRate !== null && previous.connection.connectionRate !== null ? Math.round((c.connectionRate - previous.connection.connectionRate) * 10_000) / 10_000 : null;
    const OPEN_REPORTS = ['received', 'assigned', 'verifying'];
    return {
      regionCode: region,
      from,
      to,
      kpiReport: { version: report.version, generatedAt: report.generatedAt },
      ledger: { enterprises, byStatus, riskDay: risk.day, riskLevels: risk.levels, ungraded: Math.max(0, enterprises - (byStatus['closed'] ?? 0) - risk.graded) },
      connection: {
        asOf: c.asOf,
        inScope: c.inScope,
        connected: c.connected,
        rate: c.connectionRate,
        previousRate: previous?.connection.connectionRate ?? null,
        previousVersion: previous?.version ?? null,
        change,
        pointConnectionRate: c.pointConnectionRate,
        onlineRate: c.onlineRate,
        notConnected: c.notConnected.length,
      },
      alarms: {
        raised: report.alarms.raised,
        byTier: report.tiers ?? null,
        disposed: report.alarms.disposed,
        disposalRate: report.alarms.disposalRate,
        tiered: report.alarms.tiered,
        timelyAckRate: report.alarms.timelyAckRate,
        timelyDisposalRate: report.alarms.timelyDisposalRate,
      },
      hazards: { reported: h.reported, bySource: h.bySource, confirmed: h.confirmed, signedOff: h.confirmedSignedOff, clearanceRate: h.clearanceRate, open: h.open, overdue: h.overdue },
      // `available: false` stays only in summaries frozen before the platform kept inspections
      inspections: { available: true, total: Object.values(inspections).reduce((s, k) => s + k, 0), byMode: inspections },
      reports: {
        received: Object.values(reports.byStatus).reduce((s, k) => s + k, 0),
        substantiated: reports.byStatus['confirmed'] ?? 0,
        unfounded: reports.byStatus['unfounded'] ?? 0,
        open: OPEN_REPORTS.reduce((s, k) => s + (reports.byStatus[k] ?? 0), 0),
        unattributed: reports.unattributed,
      },
    };
  }
}

function withSections(s: WorkSummaryRow): WorkSummary {
  const { narratives, ...rest } = s;
  return { ...rest, sections: summarySections(s.figures, narratives) };
}

/** The half year before the one starting on `from` (January → the previous July–December). */
export function previousHalfYear(from: string): { from: string; to: string } {
  const year = Number(from.slice(0, 4));
  return from.slice(5) < '07-01' ? { from: `${year - 1}-07-01`, to: `${year - 1}-12-31` } : { from: `${year}-01-01`, to: `${year}-06-30` };
}
