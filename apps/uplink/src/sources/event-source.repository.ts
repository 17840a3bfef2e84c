import type { EntityManager } from 'typeorm';
import type { NewMessage } from '../outbox/outbox.types';

/** One event table the uplink forwards: how to read it by id and turn a row into a message. */
export interface EventTable {
  source: 'alarm_events' | 'hazard_events';
  maxId(em: EntityManager): Promise<number>;
  /** Rows with low < id ≤ high not yet in the outbox (late commits), then rows with id > high; oldest first. */
  read(em: EntityManager, low: number, high: number, limit: number): Promise<{ late: NewMessage[]; fresh: (NewMessage & { sourceId: number })[] }>;
}

type AlarmEventRow = { seq: string; alarm_id: string; event: string; at: Date; actor: unknown; data: Record<string, unknown>; enterprise_id: string; region_code: string; snapshot: Record<string, unknown> };
type HazardEventRow = {
  id: string;
  hazard_id: string;
  event: string;
  at: Date;
  actor: unknown;
  from_status: string | null;
  to_status: string;
  reason: string | null;
  data: Record<string, unknown>;
  enterprise_id: string;
  snapshot: Record<string, unknown>;
};

const alarmMessage = (r: AlarmEventRow): NewMessage & { sourceId: number } => ({
  sourceId: Number(r.seq),
  enterpriseId: r.enterprise_id,
  type: 'alarm_event',
  messageId: `alarm_event:${r.seq}`,
  sourceAt: r.at,
  data: { eventSeq: Number(r.seq), alarmId: r.alarm_id, event: r.event, at: r.at.toISOString(), actor: r.actor, data: r.data, regionCode: r.region_code, alarm: r.snapshot },
});

const hazardMessage = (r: HazardEventRow): NewMessage & { sourceId: number } => ({
  sourceId: Number(r.id),
  enterpriseId: r.enterprise_id,
  type: 'hazard_event',
  messageId: `hazard_event:${r.id}`,
  sourceAt: r.at,
  data: { eventId: Number(r.id), hazardId: r.hazard_id, event: r.event, at: r.at.toISOString(), actor: r.actor, fromStatus: r.from_status, toStatus: r.to_status, reason: r.reason, data: r.data, hazard: r.snapshot },
});

/** Alarm events (docs/contracts.md §3): `seq` is gap-free and commits in order. */
export const alarmEvents: EventTable = {
  source: 'alarm_events',
  async maxId(em) {
    const [row] = (await em.query(`SELECT coalesce(max(seq), 0) AS m FROM alarm_events`)) as { m: string }[];
    return Number(row?.m ?? 0);
  },
  async read(em, low, high, limit) {
    const late: AlarmEventRow[] = await em.query(
      `SELECT e.* FROM alarm_events e WHERE e.seq > $1 AND e.seq <= $2
          AND NOT EXISTS (SELECT 1 FROM uplink_outbox o WHERE o.message_id = 'alarm_event:' || e.seq) ORDER BY e.seq`,
      [low, high],
    );
    const fresh: AlarmEventRow[] = await em.query(`SELECT e.* FROM alarm_events e WHERE e.seq > $1 ORDER BY e.seq LIMIT $2`, [high, limit]);
    return { late: late.map(alarmMessage), fresh: fresh.map(alarmMessage) };
  },
};

/** Hazard transitions: a bigserial id, taken before commit, so late rows are looked for. */
export const hazardEvents: EventTable = {
  source: 'hazard_events',
  async maxId(em) {
    const [row] = (await em.query(`SELECT coalesce(max(id), 0) AS m FROM hazard_events`)) as { m: string }[];
    return Number(row?.m ?? 0);
  },
  async read(em, low, high, limit) {
    const select = `SELECT e.id, e.hazard_id, e.event, e.at, e.actor, e.from_status, e.to_status, e.reason, e.data, h.enterprise_id, h.snapshot
                      FROM hazard_events e JOIN hazards h ON h.id = e.hazard_id`;
    const late: HazardEventRow[] = await em.query(
      `${select} WHERE e.id > $1 AND e.id <= $2 AND NOT EXISTS (SELECT 1 FROM uplink_outbox o WHERE o.message_id = 'hazard_event:' || e.id) ORDER BY e.id`,
      [low, high],
    );
    const fresh: HazardEventRow[] = await em.query(`${select} WHERE e.id > $1 ORDER BY e.id LIMIT $2`, [high, limit]);
    return { late: late.map(hazardMessage), fresh: fresh.map(hazardMessage) };
  },
};
