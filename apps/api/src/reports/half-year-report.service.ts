import { Injectable } from '@nestjs/common';
import { notFound } from '@sw/errors';
import { analyseHazards, type HazardAnalysis } from '@sw/hazards';
import { computeAlarmKpi, DISPOSAL_LIMIT_MS, type KpiTier, shanghaiDayOf, startOfShanghaiDay } from '@sw/kpi';
import { HazardAnalysisRepository, MaintenanceRequestsRepository, type PeriodAlarmRow, type Principal, ReportSnapshotRepository, type ReportVersion, scopeOf, shanghaiToday } from '@sw/persistence';
import { DataSource } from 'typeorm';
import { KpiPeriodService } from '../kpi/kpi-period.service';
import { KpiService } from '../kpi/kpi.service';
import { CAUSE_LABELS, type HalfYearReport, type ReportAlarm, type TrendPoint } from './report.types';

const TOP = 10;
const MAX_PROBLEM_ALARMS = 200;

/**
 * The figures of the half-year report (work summary due by 4 June and 4 December) for any period.
 * Issue 14: the figures are stored when first generated and every later download shows that
 * snapshot unchanged; regenerating is an explicit new version, the old ones kept.
 */
@Injectable()
export class HalfYearReportService {
  private readonly hazardHistories: HazardAnalysisRepository;

  constructor(
    private readonly connection: KpiService,
    private readonly period: KpiPeriodService,
    private readonly snapshots: ReportSnapshotRepository<HalfYearReport>,
    private readonly maintenance: MaintenanceRequestsRepository,
    ds: DataSource,
  ) {
    this.hazardHistories = new HazardAnalysisRepository(ds);
  }

  /** The stored report (the newest version, or `version`); generated and stored as version 1 when none is. 404 for a version not stored. */
  async get(p: Principal, q: { regionCode?: string; from: string; to: string; version?: number }, now = new Date()): Promise<HalfYearReport> {
    const region = this.connection.regionFor(p, q.regionCode);
    const stored = await this.snapshots.find(region, q.from, q.to, q.version);
    if (stored) return stored;
    if (q.version !== undefined) throw notFound(`version ${q.version} of this report is not stored`);
    return this.snapshots.store(await this.build(p, { ...q, regionCode: region ?? undefined }, now), p, true);
  }

  /** An explicit new version from the data as it is now. */
  async regenerate(p: Principal, q: { regionCode?: string; from: string; to: string }, now = new Date()): Promise<HalfYearReport> {
    const region = this.connection.regionFor(p, q.regionCode);
    return this.snapshots.store(await this.build(p, { ...q, regionCode: region ?? undefined }, now), p, false);
  }

  async versions(p: Principal, q: { regionCode?: string; from: string; to: string }): Promise<ReportVersion[]> {
    return this.snapshots.versions(this.connection.regionFor(p, q.regionCode), q.from, q.to);
  }

  /** The figures from the data as it is now (not stored). */
  async build(p: Principal, q: { regionCode?: string; from: string; to: string }, now = new Date()): Promise<Omit<HalfYearReport, 'version'>> {
    const today = shanghaiToday(now);
    const asOf = q.to < today ? q.to : today;
    const [connection, online, completeness, alarmData, load, trend] = await Promise.all([
      this.connection.connection(p, { regionCode: q.regionCode, asOf }, now),
      this.period.online(p, q, now.getTime()),
      this.period.completeness(p, q, now.getTime()),
      this.period.alarmRows(p, q, now.getTime()),
      this.period.alarmLoad(p, q, now.getTime()),
      this.trend(p, q, now),
    ]);
    const { alarms, enterprises } = alarmData;
    const names = new Map(enterprises.map((e) => [e.id, e]));
    const windows = await this.maintenance.windowsOverlapping(connection.regionCode, new Date(startOfShanghaiDay(q.from)), new Date(Math.min(startOfShanghaiDay(q.to) + 86_400_000, now.getTime())));
    const hazards = await this.hazards(p, connection.regionCode, q, now);
    return {
      regionCode: connection.regionCode,
      from: q.from,
      to: q.to,
      generatedAt: now.toISOString(),
      generatedBy: p.username,
      maintenance: windows.map((w) => ({
        enterprise: w.enterpriseName,
        regionCode: w.regionCode,
        pointCode: w.pointCode,
        pointName: w.pointName,
        mandatory: w.mandatory,
        kind: w.kind,
        reason: w.reason,
        requestedBy: w.requestedByName,
        approvedBy: w.kind === 'request' ? w.decidedByName : null,
        start: w.windowStart as string,
        end: w.endedEarlyAt ?? (w.windowEnd as string),
        endedEarly: w.endedEarlyAt !== null,
      })),
      connection,
      online: figures(online),
      completeness: figures(completeness),
      alarms: computeAlarmKpi(alarms),
      tiers: countTiers(alarms),
      load: figures(load),
      trend,
      topEnterprises: topEnterprises(alarms, names),
      problemAlarms: problemAlarms(alarms, names, now.getTime()),
      causes: causes(alarms),
      hazards,
    };
  }

  /** The register's figures over the period's days (Asia/Shanghai), cut at `now`, in the caller's scope and the report's region. */
  private async hazards(p: Principal, regionCode: string | null, q: { from: string; to: string }, now: Date): Promise<HazardAnalysis> {
    const from = startOfShanghaiDay(q.from);
    const to = Math.max(from, Math.min(startOfShanghaiDay(q.to) + 86_400_000, now.getTime()));
    const histories = await this.hazardHistories.histories(scopeOf(p), new Date(to), regionCode);
    return analyseHazards(histories, { from: new Date(from).toISOString(), to: new Date(to).toISOString() });
  }

  /** Month by month inside the period: the connection rate at the month's end and the period KPIs over the month. */
  private async trend(p: Principal, q: { regionCode?: string; from: string; to: string }, now: Date): Promise<TrendPoint[]> {
    const today = shanghaiToday(now);
    const out: TrendPoint[] = [];
    for (const m of months(q.from, q.to > today ? today : q.to)) {
      const [connection, online, completeness, alarms] = await Promise.all([
        this.connection.connection(p, { regionCode: q.regionCode, asOf: m.to }, now),
        this.period.online(p, { ...q, ...m }, now.getTime()),
        this.period.completeness(p, { ...q, ...m }, now.getTime()),
        this.period.alarms(p, { ...q, ...m }, now.getTime()),
      ]);
      out.push({
        month: m.from.slice(0, 7),
        connectionRate: connection.connectionRate,
        onlineRate: online.onlineRate,
        completeness: completeness.completeness,
        disposalRate: alarms.disposalRate,
        timelyAckRate: alarms.timelyAckRate,
        timelyDisposalRate: alarms.timelyDisposalRate,
        alarms: alarms.raised,
      });
    }
    return out;
  }
}

/** The calendar months that meet [from, to], each clipped to it. */
export function months(from: string, to: string): { from: string; to: string }[] {
  const out: { from: string; to: string }[] = [];
  let start = from;
  while (start <= to) {
    const [y, mo] = start.split('-').map(Number) as [number, number];
    const next = new Date(Date.UTC(y, mo, 1)).toISOString().slice(0, 10);
    const last = shanghaiDayOf(startOfShanghaiDay(next) - 1);
    out.push({ from: start, to: last < to ? last : to });
    start = next;
  }
  return out;
}

function topEnterprises(alarms: PeriodAlarmRow[], names: Map<string, { name: string; regionCode: string }>): HalfYearReport['topEnterprises'] {
  const counts = new Map<string, Record<KpiTier, number>>();
  for (const a of alarms) {
    const c = counts.get(a.enterpriseId) ?? { red: 0, orange: 0, yellow: 0, blue: 0 };
    c[a.tier] += 1;
    counts.set(a.enterpriseId, c);
  }
  return [...counts]
    .map(([id, c]) => ({ id, name: names.get(id)?.name ?? id, regionCode: names.get(id)?.regionCode ?? '', alarms: c.red + c.orange + c.yellow + c.blue, ...c }))
    .sort((a, b) => b.alarms - a.alarms || a.name.localeCompare(b.name, 'zh'))
    .slice(0, TOP);
}

function problemAlarms(alarms: PeriodAlarmRow[], names: Map<string, { name: string }>, now: number): ReportAlarm[] {
  const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
  return alarms
    .map((a) => {
      const limit = a.tier === 'blue' ? null : DISPOSAL_LIMIT_MS[a.tier];
      const overdue = limit !== null && (a.disposedAt === null ? now - a.raisedAt > limit : a.disposedAt - a.raisedAt > limit);
      const problems: ReportAlarm['problems'] = [...(overdue ? (['overdue'] as const) : []), ...(a.stage !== 'closed' ? (['unclosed'] as const) : [])];
      return { a, problems };
    })
    .filter((x) => x.problems.length > 0)
    .slice(0, MAX_PROBLEM_ALARMS)
    .map(({ a, problems }) => ({
      id: a.id,
      enterprise: names.get(a.enterpriseId)?.name ?? a.enterpriseId,
      pointCode: a.pointCode,
      tier: a.tier,
      kind: a.kind,
      stage: a.stage,
      raisedAt: new Date(a.raisedAt).toISOString(),
      ackedAt: iso(a.ackedAt),
      disposedAt: iso(a.disposedAt),
      problems,
    }));
}

function countTiers(alarms: PeriodAlarmRow[]): Record<KpiTier, number> {
  const out: Record<KpiTier, number> = { red: 0, orange: 0, yellow: 0, blue: 0 };
  for (const a of alarms) out[a.tier] += 1;
  return out;
}

function causes(alarms: PeriodAlarmRow[]): HalfYearReport['causes'] {
  const counts = new Map<string, number>();
  for (const a of alarms) if (a.cause) counts.set(a.cause, (counts.get(a.cause) ?? 0) + 1);
  return Object.keys(CAUSE_LABELS).map((cause) => ({ cause, label: CAUSE_LABELS[cause] as string, count: counts.get(cause) ?? 0 }));
}

/** A period answer without its echo of the query. */
function figures<T extends { regionCode: string | null; from: string; to: string }>(answer: T): Omit<T, 'regionCode' | 'from' | 'to' | 'dutyOfficers'> {
  const out: Record<string, unknown> = { ...answer };
  for (const k of ['regionCode', 'from', 'to', 'dutyOfficers']) delete out[k];
  return out as Omit<T, 'regionCode' | 'from' | 'to' | 'dutyOfficers'>;
}
