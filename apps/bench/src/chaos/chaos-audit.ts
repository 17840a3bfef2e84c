import pg from 'pg';

/** A point's committed up/clear transitions, in commit (seq) order, against the incidents it was sent. */
export interface TransitionAudit {
  expected: number;
  committed: number;
  missing: number;
  duplicated: number;
  outOfOrder: number;
}

export type Edge = 'up' | 'clear';

/**
 * Compares, per point, the edges committed (raised/reactivated = up, cleared = clear, in seq order)
 * with `cycles` complete incidents (one up then one clear each): missing and duplicated per kind,
 * and out-of-order where two edges of the same kind follow each other or the first is a clear.
 */
export function auditEdges(perPoint: Map<string, Edge[]>, points: string[], cycles: number): TransitionAudit {
  const out: TransitionAudit = { expected: points.length * cycles * 2, committed: 0, missing: 0, duplicated: 0, outOfOrder: 0 };
  for (const point of points) {
    const edges = perPoint.get(point) ?? [];
    out.committed += edges.length;
    const ups = edges.filter((e) => e === 'up').length;
    const clears = edges.length - ups;
    out.missing += Math.max(0, cycles - ups) + Math.max(0, cycles - clears);
    out.duplicated += Math.max(0, ups - cycles) + Math.max(0, clears - cycles);
    edges.forEach((e, i) => {
      if (i === 0 ? e === 'clear' : e === edges[i - 1]) out.outOfOrder++;
    });
  }
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

/** Up/clear edges per point id of `pointIds`, committed after `afterSeq`. */
export async function committedEdges(url: string, pointIds: string[], afterSeq: number, log?: Map<string, string[]>): Promise<Map<string, Edge[]>> {
  const rows = await sql<{ point_id: string; event: string; at: Date; seq: string }>(
    url,
    `SELECT a.point_id, e.event, e.at, e.seq::text AS seq FROM alarm_events e JOIN alarms a ON a.id = e.alarm_id
      WHERE a.point_id = ANY($1::uuid[]) AND e.seq > $2 AND e.event IN ('raised', 'reactivated', 'cleared')
      ORDER BY e.seq`,
    [pointIds, afterSeq],
  );
  const out = new Map<string, Edge[]>();
  for (const r of rows) {
    const list = out.get(r.point_id) ?? [];
    list.push(r.event === 'cleared' ? 'clear' : 'up');
    out.set(r.point_id, list);
    if (log) log.set(r.point_id, [...(log.get(r.point_id) ?? []), `${r.seq} ${r.event} ${new Date(r.at).toISOString()}`]);
  }
  return out;
}

export async function headSeq(url: string): Promise<number> {
  const [row] = await sql<{ last: string | null }>(url, `SELECT max(seq)::text AS last FROM alarm_events`);
  return Number(row?.last ?? 0);
}
