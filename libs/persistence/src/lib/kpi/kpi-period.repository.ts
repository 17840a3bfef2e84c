import type { KpiAlarm, KpiTier, LoadAlarm, PeriodEnterprise, StatusChange, TierStep } from '@sw/kpi';
import type { EnterpriseStatus, RiskCategory } from '../entities/enterprise.entity';
import { type RecordScope, scopeWhere } from '../users/record-scope';
import type { DataSource } from 'typeorm';

export interface PeriodEnterpriseRow extends PeriodEnterprise {
  name: string;
  uscc: string;
  riskCategories: RiskCategory[];
  gatewayIds: string[];
}

export interface MandatoryPointRow {
  id: string;
  enterpriseId: string;
  expectedIntervalS: number;
  createdAt: number;
}

export interface PeriodPointRow {
  id: string;
  enterpriseId: string;
  mandatory: boolean;
  expectedIntervalS: number;
  createdAt: number;
}

export interface PeriodAlarmRow extends KpiAlarm {
  id: string;
  enterpriseId: string;
  kind: string;
  pointCode: string | null;
  cause: string | null;
}

interface HistoryEvent {
  event: 'raised' | 'reactivated' | 'tier_changed' | 'acknowledged';
  at: string;
  tier: string | null;
  from: string | null;
  to: string | null;
}

const RANK: Record<string, number> = { blue: 1, yellow: 2, orange: 3, red: 4 };
const isTier = (t: string | null): t is KpiTier => t !== null && t in RANK;

/** 及时响应率's view of an alarm: each raise, reactivation and rise with its tier, and every acknowledgement. */
export function tierHistory(events: readonly HistoryEvent[]): { steps: TierStep[]; acks: number[] } {
  const steps: TierStep[] = [];
  const acks: number[] = [];
  for (const e of events) {
    const at = Date.parse(e.at);
    if (e.event === 'acknowledged') acks.push(at);
    else if ((e.event === 'raised' || e.event === 'reactivated') && isTier(e.tier)) steps.push({ tier: e.tier, at });
    else if (e.event === 'tier_changed' && isTier(e.to) && (RANK[e.to] ?? 0) > (RANK[e.from ?? ''] ?? 0)) steps.push({ tier: e.to, at });
  }
  return { steps, acks };
}

const ms = (d: Date | string | null): number | null => (d === null ? null : new Date(d).getTime());

/** The PostgreSQL side of the period KPIs: enterprises with status history, points, alarms with their tier history. */
export class KpiPeriodRepository {
  constructor(private readonly ds: DataSource) {}

  async enterprises(scope: RecordScope, regionPrefix: string | null): Promise<PeriodEnterpriseRow[]> {
    const s = scopeWhere(scope, { enterpriseId: 'e.id', regionCode: 'e.region_code' });
    const qb = this.ds
      .createQueryBuilder()
      .select(['e.id AS id', 'e.name AS name', 'e.uscc AS uscc', 'e.region_code AS region_code', 'e.risk_categories AS risk_categories', 'e.dust_workers AS dust_workers', 'e.status AS status'])
      .addSelect('(SELECT min(g.first_reading_at) FROM gateways g WHERE g.enterprise_id = e.id)', 'connected_at')
      .addSelect('ARRAY(SELECT g.id::text FROM gateways g WHERE g.enterprise_id = e.id ORDER BY g.id)', 'gateway_ids')
      .addSelect(
        `COALESCE((SELECT json_agg(json_build_object('status', s.status, 'effectiveDate', to_char(s.effective_date, 'YYYY-MM-DD'), 'recordedAt', s.recorded_at))
           FROM enterprise_status_changes s WHERE s.enterprise_id = e.id), '[]'::json)`,
        'history',
      )
      .from('enterprises', 'e')
      .where(s.sql, s.params)
      .orderBy('e.region_code')
      .addOrderBy('e.name');
    if (regionPrefix) qb.andWhere('e.region_code LIKE :prefix', { prefix: `${regionPrefix}%` });
    const rows = await qb.getRawMany<{
      id: string;
      name: string;
      uscc: string;
      region_code: string;
      risk_categories: RiskCategory[];
      dust_workers: number | null;
      status: EnterpriseStatus;
      connected_at: Date | null;
      gateway_ids: string[];
      history: { status: EnterpriseStatus; effectiveDate: string; recordedAt: string }[];
    }>();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      uscc: r.uscc,
      regionCode: r.region_code,
      riskCategories: r.risk_categories,
      dustWorkers: r.dust_workers,
      status: r.status,
      statusHistory: r.history.map((h): StatusChange => ({ status: h.status, effectiveDate: h.effectiveDate, recordedAt: Date.parse(h.recordedAt) })),
      connectedAt: ms(r.connected_at),
      gatewayIds: r.gateway_ids,
    }));
  }

  /** Every point of these enterprises (the online rate judges by data). */
  async pointsOf(enterpriseIds: string[]): Promise<PeriodPointRow[]> {
    if (enterpriseIds.length === 0) return [];
    const rows: { id: string; enterprise_id: string; mandatory: boolean; expected_interval_s: number; created_at: Date }[] = await this.ds.query(
      `SELECT p.id, g.enterprise_id, p.mandatory, p.expected_interval_s, p.created_at FROM points p JOIN gateways g ON g.id = p.gateway_id
        WHERE g.enterprise_id = ANY($1::uuid[])`,
      [enterpriseIds],
    );
    return rows.map((r) => ({ id: r.id, enterpriseId: r.enterprise_id, mandatory: r.mandatory, expectedIntervalS: r.expected_interval_s, createdAt: r.created_at.getTime() }));
  }

  async mandatoryPoints(enterpriseIds: string[]): Promise<MandatoryPointRow[]> {
    if (enterpriseIds.length === 0) return [];
    const rows: { id: string; enterprise_id: string; expected_interval_s: number; created_at: Date }[] = await this.ds.query(
      `SELECT p.id, g.enterprise_id, p.expected_interval_s, p.created_at FROM points p JOIN gateways g ON g.id = p.gateway_id
        WHERE g.enterprise_id = ANY($1::uuid[]) AND p.mandatory`,
      [enterpriseIds],
    );
    return rows.map((r) => ({ id: r.id, enterpriseId: r.enterprise_id, expectedIntervalS: r.expected_interval_s, createdAt: r.created_at.getTime() }));
  }

  /** Alarms of these enterprises raised in [from, to), with their first acknowledgement and disposal. */
  async alarmsRaised(enterprises: readonly PeriodEnterpriseRow[], from: number, to: number): Promise<PeriodAlarmRow[]> {
    if (enterprises.length === 0) return [];
    const byId = new Map(enterprises.map((e) => [e.id, e]));
    const rows: { id: string; enterprise_id: string; tier: KpiAlarm['tier']; kind: string; point_code: string | null; stage: KpiAlarm['stage']; raised_at: Date; acked_at: Date | null; disposed_at: Date | null; cause: string | null; history: HistoryEvent[] }[] =
      await this.ds.query(
        `SELECT a.id, a.enterprise_id, COALESCE(a.snapshot->>'peakTier', a.tier) AS tier, a.kind, a.snapshot->>'pointCode' AS point_code, a.stage, a.raised_at,
                (SELECT min(ev.at) FROM alarm_events ev WHERE ev.alarm_id = a.id AND ev.event = 'acknowledged') AS acked_at,
                (SELECT min(ev.at) FROM alarm_events ev WHERE ev.alarm_id = a.id AND ev.event = 'disposed') AS disposed_at,
                (SELECT ev.data->>'cause' FROM alarm_events ev WHERE ev.alarm_id = a.id AND ev.event = 'disposed' ORDER BY ev.seq DESC LIMIT 1) AS cause,
                (SELECT COALESCE(json_agg(json_build_object('event', ev.event, 'at', ev.at, 'tier', ev.data->>'tier', 'from', ev.data->>'from', 'to', ev.data->>'to') ORDER BY ev.seq), '[]'::json)
                   FROM alarm_events ev WHERE ev.alarm_id = a.id AND ev.event IN ('raised', 'reactivated', 'tier_changed', 'acknowledged')) AS history
           FROM alarms a WHERE a.enterprise_id = ANY($1::uuid[]) AND a.raised_at >= $2 AND a.raised_at < $3 ORDER BY a.raised_at`,
        [[...byId.keys()], new Date(from), new Date(to)],
      );
    return rows.map((r) => {
      const e = byId.get(r.enterprise_id) as PeriodEnterpriseRow;
      return {
        id: r.id,
        enterpriseId: r.enterprise_id,
        regionCode: e.regionCode,
        riskCategories: e.riskCategories,
        tier: r.tier,
        kind: r.kind,
        pointCode: r.point_code,
        stage: r.stage,
        raisedAt: r.raised_at.getTime(),
        ackedAt: ms(r.acked_at),
        disposedAt: ms(r.disposed_at),
        cause: r.cause,
        ...tierHistory(r.history),
      };
    });
  }

  /** Alarms with a condition event in [from, to) or still active at `to`, with their condition events before `to`. */
  async loadAlarms(enterprises: readonly PeriodEnterpriseRow[], from: number, to: number): Promise<LoadAlarm[]> {
    if (enterprises.length === 0) return [];
    const byId = new Map(enterprises.map((e) => [e.id, e]));
    const rows: { alarm_id: string; enterprise_id: string; event: string; at: Date }[] = await this.ds.query(
      `SELECT ev.alarm_id, ev.enterprise_id, ev.event, ev.at FROM alarm_events ev
        WHERE ev.event IN ('raised', 'reactivated', 'cleared') AND ev.at < $3 AND ev.alarm_id IN (
          SELECT a.id FROM alarms a WHERE a.enterprise_id = ANY($1::uuid[]) AND a.raised_at < $3
             AND (a.condition = 'active' OR EXISTS (SELECT 1 FROM alarm_events x WHERE x.alarm_id = a.id AND x.at >= $2)))
        ORDER BY ev.seq`,
      [[...byId.keys()], new Date(from), new Date(to)],
    );
    const alarms = new Map<string, LoadAlarm & { events: { event: string; at: number }[] }>();
    for (const r of rows) {
      const e = byId.get(r.enterprise_id) as PeriodEnterpriseRow;
      let a = alarms.get(r.alarm_id);
      if (!a) alarms.set(r.alarm_id, (a = { id: r.alarm_id, regionCode: e.regionCode, riskCategories: e.riskCategories, events: [] }));
      a.events.push({ event: r.event, at: r.at.getTime() });
    }
    return [...alarms.values()];
  }
}
