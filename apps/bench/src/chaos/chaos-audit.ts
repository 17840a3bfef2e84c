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

/** One committed edge: its event time, when its transaction committed (PostgreSQL's commit timestamp) and the value it was judged on. */
export interface CommittedEdge {
  edge: Edge;
  at: number;
  committedAt: number | null;
  /** the reading value the event carries (`data.value`): it names the incident, see {@link incidentValue} */
  value: number | null;
}

/** The incidents of a window: when each up and each clear was sent (wall clock), one of each per complete cycle. */
export interface Incidents {
  ups: number[];
  clears: number[];
}

/** README: "see an alarm within a second". */
export const ON_TIME_MS = 1_000;

/** The crossing's values: 200 ppm up (red), 5 ppm clear, each plus the incident's number in ten-thousandths. */
const BASE: Record<Edge, number> = { up: 200, clear: 5 };
const STEP = 0.0001;
/** Incidents a pass may number (8 h at one every 3 s); the values stay below 201 and 6 ppm. */
export const MAX_INCIDENTS = 10_000;

/**
 * The value the crossing sends for the `n`-th incident of a pass (0-based, counted across its
 * windows): every up and every clear of the pass carries a value of its own, so a committed edge
 * names the incident it answers (the rules date events when they judge them, so the event time
 * cannot), and a lost incident stays a gap in its own window instead of shifting every later
 * edge onto the incident before it.
 */
export function incidentValue(edge: Edge, n: number): number {
  if (!Number.isInteger(n) || n < 0 || n >= MAX_INCIDENTS) throw new Error(`incident number ${n} out of 0…${MAX_INCIDENTS - 1}`);
  return Math.round((BASE[edge] + n * STEP) * 10_000) / 10_000;
}

/** The incident an edge answers, from the value it carries; null when it names none. */
export function incidentOf(edge: Edge, value: number | null): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  const n = Math.round((value - BASE[edge]) / STEP);
  return n >= 0 && n < MAX_INCIDENTS && Math.abs(value - incidentValue(edge, n)) < STEP / 10 ? n : null;
}

/**
 * Compares, per point, the edges committed since the pass began (raised/reactivated = up, cleared =
 * clear, in seq order) with the incidents sent (one up then one clear each), window by window: an
 * edge answers the incident its value names ({@link incidentValue}), so a transition that commits
 * late — even after a later window began — counts for the window of its incident, and an incident
 * never committed is missing in its own window. For window `index`: missing, duplicated (a second
 * edge for the same incident, or, counted in the last window, an edge naming no incident sent), out
 * of order (an edge for an incident before the previous edge's, or a first edge that is a clear), and
 * how late each committed edge was.
 */
export function auditEdges(perPoint: Map<string, CommittedEdge[]>, points: string[], windows: Incidents[], index: number, faultEndedAt = Infinity): TransitionAudit {
  const own = windows[index] as Incidents;
  const cycles = own.ups.length;
  const offset = windows.slice(0, index).reduce((n, w) => n + w.ups.length, 0);
  const total = windows.reduce((n, w) => n + w.ups.length, 0);
  const last = index === windows.length - 1;
  const out: TransitionAudit = { expected: points.length * cycles * 2, committed: 0, missing: 0, duplicated: 0, outOfOrder: 0, onTime: 0, late: 0, lateMaxMs: 0, lateP50Ms: 0, replayMs: 0 };
  const lateness: number[] = [];
  // position of an edge in the pass's sequence of incidents: up n, clear n, up n + 1, …
  const position = (e: CommittedEdge, n: number): number => 2 * n + (e.edge === 'clear' ? 1 : 0);
  for (const point of points) {
    const edges = perPoint.get(point) ?? [];
    const seen = { up: new Set<number>(), clear: new Set<number>() };
    let previous = -1;
    edges.forEach((e, g) => {
      const n = incidentOf(e.edge, e.value);
      const at = n === null || n >= total ? Infinity : position(e, n);
      const before = previous;
      if (at !== Infinity) previous = Math.max(previous, at);
      const mine = n !== null && n >= offset && n < offset + cycles;
      if (!mine) {
        // an edge that names no incident sent: counted once, in the last window
        if (last && at === Infinity) {
          out.committed++;
          out.duplicated++;
        }
        return;
      }
      out.committed++;
      if (g === 0 ? e.edge === 'clear' : e.edge === edges[g - 1]?.edge || at < before) out.outOfOrder++;
      if (seen[e.edge].has(n)) return void out.duplicated++;
      seen[e.edge].add(n);
      const sent = (e.edge === 'up' ? own.ups : own.clears)[n - offset] as number;
      const by = e.committedAt === null ? 0 : Math.max(0, e.committedAt - sent);
      if (by <= ON_TIME_MS) out.onTime++;
      else lateness.push(by);
      if (e.committedAt !== null && sent < faultEndedAt) out.replayMs = Math.max(out.replayMs, e.committedAt - faultEndedAt);
    });
    out.missing += 2 * cycles - seen.up.size - seen.clear.size;
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

/** Up/clear edges per point id of `pointIds`, committed after `afterSeq`, each with its commit time (`track_commit_timestamp`; null when the server keeps none). */
export async function committedEdges(url: string, pointIds: string[], afterSeq: number, log?: Map<string, string[]>): Promise<Map<string, CommittedEdge[]>> {
  const rows = await sql<{ point_id: string; event: string; at: Date; seq: string; committed_at: Date | null; value: number | null }>(
    url,
    `SELECT a.point_id, e.event, e.at, e.seq::text AS seq, pg_xact_commit_timestamp(e.xmin) AS committed_at, (e.data->>'value')::float8 AS value
       FROM alarm_events e JOIN alarms a ON a.id = e.alarm_id
      WHERE a.point_id = ANY($1::uuid[]) AND e.seq > $2 AND e.event IN ('raised', 'reactivated', 'cleared')
      ORDER BY e.seq`,
    [pointIds, afterSeq],
  );
  const out = new Map<string, CommittedEdge[]>();
  for (const r of rows) {
    const list = out.get(r.point_id) ?? [];
    list.push({ edge: r.event === 'cleared' ? 'clear' : 'up', at: new Date(r.at).getTime(), committedAt: r.committed_at ? new Date(r.committed_at).getTime() : null, value: r.value === null ? null : Number(r.value) });
    out.set(r.point_id, list);
    if (log) log.set(r.point_id, [...(log.get(r.point_id) ?? []), `${r.seq} ${r.event} ${r.value ?? '-'} ${new Date(r.at).toISOString()} committed ${r.committed_at ? new Date(r.committed_at).toISOString() : '?'}`]);
  }
  return out;
}

export async function headSeq(url: string): Promise<number> {
  const [row] = await sql<{ last: string | null }>(url, `SELECT max(seq)::text AS last FROM alarm_events`);
  return Number(row?.last ?? 0);
}
