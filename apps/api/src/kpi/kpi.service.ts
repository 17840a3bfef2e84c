import { Inject, Injectable } from '@nestjs/common';
import { enterpriseConnection } from '@sw/kpi';
import { InfluxReadingsRepository, KpiRepository, type KpiPointRow, type Principal, regionAsked, scopeOf, shanghaiToday } from '@sw/persistence';
import { OFFLINE_MISSED_INTERVALS } from '@sw/rules';
import { isPaused } from '@sw/kpi';
import { computeConnectionKpi, type ConnectionKpi, endOfShanghaiDay, inConnectionScope, isOnline, type KpiEnterprise } from './connection-kpi.rule';
import { MANDATORY_SET, type MandatorySetSource } from './mandatory-set.provider';
import { API_CONFIG, type ApiConfig } from '../config/api.config';

/**
 * `GET /kpi/connection` (docs/contracts.md §4, docs/domain.md KPIs, issue 14). "Connected" as of the end of
 * the day: the mandatory set is registered and every mandatory point delivered a reading within the
 * last `KPI_CONNECTION_WINDOW_DAYS` days. "Online" at the end of the day: every mandatory point (or,
 * with none, one point) reported within its offline window. For today (the day has not ended) both
 * are judged now from `points.last_seen_at`; for a past day from InfluxDB — each point's last
 * reading at or before the end of that day — because `last_seen_at` only knows the newest reading.
 */
@Injectable()
export class KpiService {
  constructor(
    private readonly repo: KpiRepository,
    private readonly readings: InfluxReadingsRepository,
    @Inject(MANDATORY_SET) private readonly mandatorySet: MandatorySetSource,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  /** The region asked for (a regulator's own by default), refused beyond the caller's scope. */
  regionFor(p: Principal, regionCode: string | undefined): string | null {
    return regionAsked(p, regionCode);
  }

  async connection(p: Principal, q: { regionCode?: string; asOf?: string }, now = new Date()): Promise<ConnectionKpi> {
    const scope = scopeOf(p);
    const region = this.regionFor(p, q.regionCode);
    const asOf = q.asOf ?? shanghaiToday(now);
    const end = endOfShanghaiDay(asOf);
    const past = end.getTime() <= now.getTime();
    const at = past ? end : now;
    const windowDays = this.config.KPI_CONNECTION_WINDOW_DAYS;

    const rows = await this.repo.enterprisesOn(scope, region, asOf);
    const enterprises: KpiEnterprise[] = rows.map((r) => ({ ...r, connected: false, registered: false, mandatoryPoints: 0, reportingPoints: 0, online: false }));
    const asked = enterprises.filter((e) => inConnectionScope(e, asOf));
    const points = await this.repo.pointsOf(asked.map((e) => e.id), at);
    const last = past ? await this.lastReadingsFromInflux(points, at, region, windowDays) : lastSeen(points, at);
    const byEnterprise = new Map<string, KpiPointRow[]>();
    for (const point of points) {
      const own = byEnterprise.get(point.enterpriseId);
      if (own) own.push(point);
      else byEnterprise.set(point.enterpriseId, [point]);
    }
    for (const e of asked) {
      const own = byEnterprise.get(e.id) ?? [];
      const c = enterpriseConnection(
        own.map((pt) => ({ mandatory: pt.mandatory, type: pt.type, lastReadingAt: last.get(pt.id)?.getTime() ?? null })),
        at.getTime(),
        this.mandatorySet.requiredTypes(e),
        windowDays,
      );
      Object.assign(e, { connected: c.connected, registered: c.registered, mandatoryPoints: c.mandatoryPoints, reportingPoints: c.reportingPoints });
      if (e.connected && !isPaused(e.status)) {
        e.online = isOnline(own.map((pt) => ({ mandatory: pt.mandatory, expectedIntervalS: pt.expectedIntervalS, lastReadingAt: last.get(pt.id) ?? null })), at);
      }
    }
    return computeConnectionKpi(region, asOf, enterprises, windowDays);
  }

  /** Each point's last reading in (at − the connection window or the longest offline window, at]. */
  private async lastReadingsFromInflux(points: KpiPointRow[], at: Date, region: string | null, windowDays: number): Promise<Map<string, Date>> {
    if (points.length === 0) return new Map();
    const windowMs = Math.max(windowDays * 86_400_000, OFFLINE_MISSED_INTERVALS * Math.max(...points.map((p) => p.expectedIntervalS)) * 1000);
    const from = new Date(at.getTime() - windowMs);
    // the region tag narrows the scan; it is the region the gateway had when the reading was written
    const last = await this.readings.lastReadings(from.getTime(), at.getTime(), region);
    return new Map(points.flatMap((p) => { const t = last.get(p.id); return t === undefined ? [] : [[p.id, new Date(t)] as const]; }));
  }
}

// A gateway clock a little ahead of ours must not make its reading "after now".
function lastSeen(points: KpiPointRow[], at: Date): Map<string, Date> {
  return new Map(points.filter((p) => p.lastSeenAt).map((p) => [p.id, new Date(Math.min((p.lastSeenAt as Date).getTime(), at.getTime()))]));
}
