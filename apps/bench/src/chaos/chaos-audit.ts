import pg from 'pg';

/**
 * A point's committed up/clear transitions, in commit (seq) order, against the incidents it was sent.
 * Each expected one is on time (committed within {@link ON_TIME_MS} of its incident), late (later,
 * but within the audit's final settle window) or missing (never). Only missing, duplicated and out of
 * order fail a run; late is reported with its figures.
 */
export interface TransitionAudit {
  expected: number;
  committed: number;
  missing: number;
  duplicated: number;
  outOfOrder: number;
  onTime: number;
  late: number;
  /** how late the late ones were (commit time − incident time), ms */
  lateMaxMs: number;
  lateP50Ms: number;
  /** from the fault's end (an app back, a process resumed) until the last transition of an incident sent before it committed, ms: how long the replay took */
  replayMs: number;
}

export type Edge = 'up' | 'clear';

/** One committed edge: its event time and when its transaction committed (PostgreSQL's commit timestamp). */
export interface CommittedEdge {
  edge: Edge;
  at: number;
  committedAt: number | null;
}

/** The incidents of a window: when each up and each clear was sent (wall clock), one of each per complete cycle. */
export interface Incidents {
  ups: number[];
  clears: number[];
}

/** README: "see an alarm within a second". */
export const ON_TIME_MS = 1_000;

/**
 * Compares, per point, the edges committed (raised/reactivated = up, cleared = clear, in seq order)
 * with the window's complete incidents (one up then one clear each): missing and duplicated per kind,
 * out-of-order where two edges of the same kind follow each other or the first is a clear, and how
 * late each committed edge was against the incident it answers (the i-th up of a point: the i-th up sent).
 */
export function auditEdges(perPoint: Map<string, CommittedEdge[]>, points: string[], incidents: Incidents, faultEndedAt = Infinity): TransitionAudit {
  const cycles = incidents.ups.length;
  const out: TransitionAudit = { expected: points.length * cycles * 2, committed: 0, missing: 0, duplicated: 0, outOfOrder: 0, onTime: 0, late: 0, lateMaxMs: 0, lateP50Ms: 0, replayMs: 0 };
  const lateness: number[] = [];
  for (const point of points) {
    const edges = perPoint.get(point) ?? [];
    out.committed += edges.length;
    const ups = edges.filter((e) => e.edge === 'up');
    const clears = edges.filter((e) => e.edge === 'clear');
    out.missing += Math.max(0, cycles - ups.length) + Math.max(0, cycles - clears.length);
    out.duplicated += Math.max(0, ups.length - cycles) + Math.max(0, clears.length - cycles);
    edges.forEach((e, i) => {
      if (i === 0 ? e.edge === 'clear' : e.edge === edges[i - 1]?.edge) out.outOfOrder++;
    });
    for (const [mine, sent] of [[ups, incidents.ups], [clears, incidents.clears]] as const) {
      mine.slice(0, cycles).forEach((e, i) => {
        const by = e.committedAt === null ? 0 : Math.max(0, e.committedAt - (sent[i] as number));
        if (e.committedAt !== null && (sent[i] as number) < faultEndedAt) out.replayMs = Math.max(out.replayMs, e.committedAt - faultEndedAt);
        if (by <= ON_TIME_MS) out.onTime++;
        else lateness.push(by);
      });
    }
  }
  lateness.sort((a, b) => a - b);
  out.late = lateness.length;
  out.lateMaxMs = lateness.at(-1) ?? 0;
  out.lateP50Ms = lateness[Math.floor((lateness.length - 1) / 2)] ?? 0;
  return out;
}

/** One short-lived connection per question, so cutting the platform's sessions never cuts the auditor's. */
export async function sql<T>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Up/clear edges per point id of `pointIds`, committed after `afterSeq` for incidents in `[from, to]`
 * (event time, ms), each with its commit time (`track_commit_timestamp`; null when the server keeps none).
 */
export async function committedEdges(url: string, pointIds: string[], afterSeq: number, range: { from: number; to: number }, log?: Map<string, string[]>): Promise<Map<string, CommittedEdge[]>> {
  const rows = await sql<{ point_id: string; event: string; at: Date; seq: string; committed_at: Date | null }>(
    url,
    `SELECT a.point_id, e.event, e.at, e.seq::text AS seq, pg_xact_commit_timestamp(e.xmin) AS committed_at
       FROM alarm_events e JOIN alarms a ON a.id = e.alarm_id
      WHERE a.point_id = ANY($1::uuid[]) AND e.seq > $2 AND e.event IN ('raised', 'reactivated', 'cleared') AND e.at BETWEEN $3 AND $4
      ORDER BY e.seq`,
    [pointIds, afterSeq, new Date(range.from), new Date(range.to)],
  );
  const out = new Map<string, CommittedEdge[]>();
  for (const r of rows) {
    const list = out.get(r.point_id) ?? [];
    list.push({ edge: r.event === 'cleared' ? 'clear' : 'up', at: new Date(r.at).getTime(), committedAt: r.committed_at ? new Date(r.committed_at).getTime() : null });
    out.set(r.point_id, list);
    if (log) log.set(r.point_id, [...(log.get(r.point_id) ?? []), `${r.seq} ${r.event} ${new Date(r.at).toISOString()} committed ${r.committed_at ? new Date(r.committed_at).toISOString() : '?'}`]);
  }
  return out;
}

export async function headSeq(url: string): Promise<number> {
  const [row] = await sql<{ last: string | null }>(url, `SELECT max(seq)::text AS last FROM alarm_events`);
  return Number(row?.last ?? 0);
}
