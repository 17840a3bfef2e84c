import { Injectable } from '@nestjs/common';
import {
  type AlarmKpi,
  type AlarmLoad,
  type ByGroups,
  type Completeness,
  computeAlarmKpi,
  computeAlarmLoad,
  computeCompleteness,
  computeOnlineRate,
  eligibleIntervals,
  intersect,
  type KpiPeriod,
  onlineShares,
  type OnlineRate,
  periodWindow,
  type DataPoint,
  type ReadingRun,
} from '@sw/kpi';
import {
  InfluxReadingsRepository,
  KpiPeriodRepository,
  offlineWindowMs,
  type PeriodAlarmRow,
  type PeriodEnterpriseRow,
  type PeriodPointRow,
  type Principal,
  regionAsked,
  scopeOf,
} from '@sw/persistence';

export interface PeriodQuery {
  regionCode?: string;
  from: string;
  to: string;
}

export type PeriodAnswer<R> = { regionCode: string | null; from: string; to: string } & ByGroups<R>;

/**
 * The period KPIs of docs/domain.md (online rate, completeness, disposal, timely acknowledgement and
 * disposal, ISA-18.2 alarm load) for a region prefix: data from PostgreSQL and InfluxDB here, the
 * formulas in @sw/kpi. A period not over yet ends now.
 */
@Injectable()
export class KpiPeriodService {
  constructor(
    private readonly repo: KpiPeriodRepository,
    private readonly readings: InfluxReadingsRepository,
  ) {}

  /** The region asked for (a regulator's own by default), refused beyond the caller's scope. */
  async enterprises(p: Principal, q: PeriodQuery): Promise<{ region: string | null; enterprises: PeriodEnterpriseRow[] }> {
    const region = regionAsked(p, q.regionCode);
    return { region, enterprises: await this.repo.enterprises(scopeOf(p), region) };
  }

  /**
   * 在线率 by data (issue 14): a point is online from each reading until its offline window
   * (3 × expectedIntervalS) runs out, an enterprise while every mandatory point is (with none, while
   * one point is) — a gateway session that delivers nothing is not online.
   */
  async online(p: Principal, q: PeriodQuery, now = Date.now()): Promise<PeriodAnswer<OnlineRate>> {
    const { region, enterprises } = await this.enterprises(p, q);
    const period: KpiPeriod = { from: q.from, to: q.to, until: now };
    const window = periodWindow(period);
    const counted = enterprises.filter((e) => eligibleIntervals(e, period).length > 0);
    const points = await this.repo.pointsOf(counted.map((e) => e.id));
    const runs = await this.readingRuns(points, window.start, window.end, region);
    const byEnterprise = new Map<string, DataPoint[]>();
    for (const pt of points) {
      const list = byEnterprise.get(pt.enterpriseId) ?? [];
      list.push({ mandatory: pt.mandatory, offlineWindowMs: offlineWindowMs(pt.expectedIntervalS), createdAt: pt.createdAt, runs: runs.get(pt.id) ?? [] });
      byEnterprise.set(pt.enterpriseId, list);
    }
    const shares = onlineShares(enterprises.map((e) => ({ ...e, points: byEnterprise.get(e.id) ?? [] })), period);
    return { regionCode: region, from: q.from, to: q.to, ...computeOnlineRate(shares) };
  }

  /** Each point's readings as runs (docs/domain.md 在线率 by data), computed as the risk grading computes them. */
  private readingRuns(points: readonly PeriodPointRow[], from: number, to: number, region: string | null): Promise<Map<string, ReadingRun[]>> {
    return this.readings.readingRuns(points, from, to, region);
  }

  async completeness(p: Principal, q: PeriodQuery, now = Date.now()): Promise<PeriodAnswer<Completeness>> {
    const { region, enterprises } = await this.enterprises(p, q);
    const period: KpiPeriod = { from: q.from, to: q.to, until: now };
    const window = periodWindow(period);
    const eligible = new Map(enterprises.map((e) => [e.id, eligibleIntervals(e, period)]));
    const byId = new Map(enterprises.map((e) => [e.id, e]));
    const points = (await this.repo.mandatoryPoints(enterprises.filter((e) => (eligible.get(e.id) ?? []).length > 0).map((e) => e.id))).map((pt) => {
      const e = byId.get(pt.enterpriseId) as PeriodEnterpriseRow;
      return { ...pt, regionCode: e.regionCode, riskCategories: e.riskCategories, expectedDuring: intersect(eligible.get(e.id) ?? [], [{ start: pt.createdAt, end: window.end }]) };
    });
    const valid = await this.readings.validCounts(window.start, window.end, region);
    return { regionCode: region, from: q.from, to: q.to, ...computeCompleteness(points.map((pt) => ({ ...pt, valid: valid.get(pt.id) ?? 0 }))) };
  }

  async alarms(p: Principal, q: PeriodQuery, now = Date.now()): Promise<PeriodAnswer<AlarmKpi>> {
    const { region, alarms } = await this.alarmRows(p, q, now);
    return { regionCode: region, from: q.from, to: q.to, ...computeAlarmKpi(alarms) };
  }

  async alarmRows(p: Principal, q: PeriodQuery, now = Date.now()): Promise<{ region: string | null; enterprises: PeriodEnterpriseRow[]; alarms: PeriodAlarmRow[] }> {
    const { region, enterprises } = await this.enterprises(p, q);
    const window = periodWindow({ from: q.from, to: q.to, until: now });
    return { region, enterprises, alarms: await this.repo.alarmsRaised(enterprises, window.start, window.end) };
  }

  async alarmLoad(p: Principal, q: PeriodQuery & { dutyOfficers?: number }, now = Date.now()): Promise<PeriodAnswer<AlarmLoad> & { dutyOfficers: number }> {
    const { region, enterprises } = await this.enterprises(p, q);
    const window = periodWindow({ from: q.from, to: q.to, until: now });
    const alarms = await this.repo.loadAlarms(enterprises, window.start, window.end);
    const dutyOfficers = q.dutyOfficers ?? 1;
    return { regionCode: region, from: q.from, to: q.to, dutyOfficers, ...computeAlarmLoad(alarms, window, dutyOfficers) };
  }

}
