import { randomUUID } from 'node:crypto';
import { usccCheckChar } from '@sw/sensors';
import type { DataSource } from 'typeorm';

/** A district like the demo's: 8 enterprises, 49 points (test support for the uplink specs). */
export interface District {
  enterprises: { id: string; points: { id: string; code: string; type: string }[] }[];
}

const uscc = (n: number): string => {
  const first17 = `91320505${String(n).padStart(9, '0')}`;
  return first17 + (usccCheckChar(first17) ?? '0');
};

/** Enterprises, one gateway each and 49 points between them, written straight to PostgreSQL. */
export async function provisionDistrict(ds: DataSource, enterprises = 8, points = 49): Promise<District> {
  const district: District = { enterprises: [] };
  for (let e = 0; e < enterprises; e++) {
    const [ent] = (await ds.query(`INSERT INTO enterprises (name, uscc, region_code, risk_categories) VALUES ($1, $2, '320505', '{steel}') RETURNING id`, [
      `测试企业${e + 1}`,
      uscc(e + 1),
    ])) as { id: string }[];
    const [gw] = (await ds.query(`INSERT INTO gateways (enterprise_id, code, protocol) VALUES ($1, $2, 'mqtt') RETURNING id`, [ent?.id, `GW-U${e + 1}`])) as { id: string }[];
    const list: District['enterprises'][number]['points'] = [];
    for (let p = e; p < points; p += enterprises) {
      const code = `CO-${p + 1}`;
      const [pt] = (await ds.query(`INSERT INTO points (gateway_id, code, type, unit, name, expected_interval_s) VALUES ($1, $2, 'co', 'ppm', $3, 1) RETURNING id`, [gw?.id, code, `CO ${p + 1}`])) as {
        id: string;
      }[];
      list.push({ id: pt?.id as string, code, type: 'co' });
    }
    district.enterprises.push({ id: ent?.id as string, points: list });
  }
  return district;
}

/**
 * Load at the demo district's rate, written where the platform writes it: every point a reading
 * every `readingMs` into InfluxDB (measurement `reading`, tags as ingest writes them), an alarm
 * event about every second and a hazard transition every few seconds in PostgreSQL, and now and
 * then a ledger change. `stop()` ends it and resolves when the last write is done.
 */
export class DistrictLoad {
  private running = true;
  private done: Promise<void> | null = null;
  readings = 0;
  alarmEvents = 0;
  hazardEvents = 0;
  lastReadingAt = 0;

  constructor(
    private readonly ds: DataSource,
    private readonly influx: { write(db: string, lineProtocol: string): Promise<void> },
    private readonly db: string,
    private readonly district: District,
    private readonly readingMs = 500,
  ) {}

  start(): this {
    this.done = this.run();
    return this;
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.done;
  }

  private async run(): Promise<void> {
    let tick = 0;
    const hazards = new Map<string, string>();
    while (this.running) {
      const started = Date.now();
      const lines: string[] = [];
      for (const e of this.district.enterprises) {
        for (const p of e.points) lines.push(`reading,enterprise=${e.id},gateway=GW,point=${p.id},type=${p.type},region=320505 value=${(10 + Math.random() * 20).toFixed(3)} ${started}`);
      }
      await this.influx.write(this.db, lines.join('\n'));
      this.readings += lines.length;
      this.lastReadingAt = started;
      const e = this.district.enterprises[tick % this.district.enterprises.length];
      if (e && tick % 2 === 0) await this.alarmEvent(e.id, e.points[0]?.id ?? null);
      if (e && tick % 8 === 0) await this.hazardEvent(e.id, hazards);
      if (e && tick % 20 === 0) await this.ds.query(`UPDATE enterprises SET employees = coalesce(employees, 0) + 1 WHERE id = $1`, [e.id]);
      tick++;
      await new Promise((r) => setTimeout(r, Math.max(0, this.readingMs - (Date.now() - started))));
    }
  }

  /** A raise of a new alarm (its event under the platform's one sequence). */
  private async alarmEvent(enterpriseId: string, pointId: string | null): Promise<void> {
    await this.ds.transaction(async (em) => {
      // an UPDATE answers [rows, affected]
      const [[{ last }]] = (await em.query(`UPDATE event_sequence SET last = last + 1 RETURNING last`)) as [[{ last: string }], number];
      const id = randomUUID();
      const [gw] = (await em.query(`SELECT id FROM gateways WHERE enterprise_id = $1 LIMIT 1`, [enterpriseId])) as { id: string }[];
      const snapshot = { id, tier: 'orange', stage: 'active', pointId };
      await em.query(
        `INSERT INTO alarms (id, seq, enterprise_id, region_code, gateway_id, point_id, rule_id, subject, kind, tier, condition, stage, acknowledged, raised_at, snapshot)
         VALUES ($1::uuid, $2, $3, '320505', $4, $5, 'co-threshold', $1::text, 'threshold', 'orange', 'active', 'active', false, now(), $6)`,
        [id, last, enterpriseId, gw?.id, pointId, JSON.stringify(snapshot)],
      );
      await em.query(`INSERT INTO alarm_events (seq, alarm_id, event, at, data, enterprise_id, region_code, snapshot) VALUES ($1, $2, 'raised', now(), '{}', $3, '320505', $4)`, [
        last,
        id,
        enterpriseId,
        JSON.stringify(snapshot),
      ]);
    });
    this.alarmEvents++;
  }

  /** Reports a hazard, then confirms it at the enterprise's next turn. */
  private async hazardEvent(enterpriseId: string, open: Map<string, string>): Promise<void> {
    await this.ds.transaction(async (em) => {
      const existing = open.get(enterpriseId);
      if (existing) {
        await em.query(`UPDATE hazards SET status = 'confirmed', updated_at = now() WHERE id = $1`, [existing]);
        await em.query(`INSERT INTO hazard_events (hazard_id, event, at, actor, from_status, to_status) VALUES ($1, 'confirmed', now(), '{"role":"regulator"}', 'reported', 'confirmed')`, [existing]);
        open.delete(enterpriseId);
        return;
      }
      const id = randomUUID();
      await em.query(
        `INSERT INTO hazards (id, enterprise_id, region_code, source, status, article, reported_at, updated_at, snapshot) VALUES ($1, $2, '320505', 'self_check', 'reported', 4, now(), now(), $3)`,
        [id, enterpriseId, JSON.stringify({ id, article: 4 })],
      );
      await em.query(`INSERT INTO hazard_events (hazard_id, event, at, actor, to_status) VALUES ($1, 'reported', now(), '{"role":"enterprise"}', 'reported')`, [id]);
      open.set(enterpriseId, id);
    });
    this.hazardEvents++;
  }
}
