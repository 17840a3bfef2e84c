import type { ReadingRun } from '@sw/kpi';
import { OFFLINE_MISSED_INTERVALS } from '@sw/rules';
import { InfluxDB } from 'influx';

/** One InfluxQL series, as `/query?epoch=ms` answers it. */
export interface InfluxSeries {
  name: string;
  tags?: Record<string, string>;
  columns: string[];
  values: unknown[][];
}

/** Runs one InfluxQL statement with epoch=ms and answers its series (the api's InfluxService, or `influxQuery` below). */
export type InfluxQuery = (influxQL: string) => Promise<InfluxSeries[]>;

/** A point as the reading runs need it. */
export interface RunPoint {
  id: string;
  expectedIntervalS: number;
}

/** An InfluxQL string literal. */
export function influxString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** A point's offline window (docs/domain.md: no reading for 3 × expectedIntervalS), in ms. */
export const offlineWindowMs = (expectedIntervalS: number) => OFFLINE_MISSED_INTERVALS * expectedIntervalS * 1000;

/**
 * Each point's readings in [from − its offline window, to) as runs without a gap longer than the
 * window (docs/domain.md "KPIs", 在线率 by data), from three InfluxDB queries whose answers grow with
 * the outages, not with the readings: the first and the last reading per point, and (a subquery over
 * `elapsed`) every gap longer than the shortest window, filtered per point here. Shared by the KPI
 * endpoints and the risk grading, so the online rate is computed one way.
 */
export async function readingRuns(query: InfluxQuery, points: readonly RunPoint[], from: number, to: number, region: string | null): Promise<Map<string, ReadingRun[]>> {
  const out = new Map<string, ReadingRun[]>();
  if (points.length === 0) return out;
  const windows = points.map((pt) => offlineWindowMs(pt.expectedIntervalS));
  const longest = Math.max(...windows);
  const shortest = Math.min(...windows);
  const ids = points.map((pt) => pt.id).join('|'); // uuids: safe inside the regex
  const where = `time >= ${influxString(new Date(from - longest).toISOString())} AND time < ${influxString(new Date(to).toISOString())} AND "point" =~ /^(${ids})$/${region ? ` AND "region" =~ /^${region}/` : ''}`;
  const [firsts, lasts, gaps] = await Promise.all([
    query(`SELECT first("value") FROM "reading" WHERE ${where} GROUP BY "point"`),
    query(`SELECT last("value") FROM "reading" WHERE ${where} GROUP BY "point"`),
    query(`SELECT "gap" FROM (SELECT elapsed("value", 1ms) AS "gap" FROM "reading" WHERE ${where} GROUP BY "point") WHERE "gap" > ${shortest} GROUP BY "point"`),
  ]);
  const timeOf = (series: InfluxSeries[]) => new Map(series.flatMap((sr) => (sr.tags?.['point'] && typeof sr.values[0]?.[0] === 'number' ? [[sr.tags['point'], sr.values[0][0]] as const] : [])));
  const first = timeOf(firsts);
  const last = timeOf(lasts);
  const gapsOf = new Map<string, { at: number; gap: number }[]>();
  for (const sr of gaps) {
    const point = sr.tags?.['point'];
    if (!point) continue;
    gapsOf.set(point, sr.values.flatMap((v) => (typeof v[0] === 'number' && typeof v[1] === 'number' ? [{ at: v[0], gap: v[1] }] : [])));
  }
  for (const pt of points) {
    const f = first.get(pt.id);
    const l = last.get(pt.id);
    if (f === undefined || l === undefined) continue;
    const windowMs = offlineWindowMs(pt.expectedIntervalS);
    const runs: ReadingRun[] = [];
    let start = f;
    for (const g of (gapsOf.get(pt.id) ?? []).filter((x) => x.gap > windowMs).sort((a, b) => a.at - b.at)) {
      runs.push({ first: start, last: g.at - g.gap });
      start = g.at;
    }
    runs.push({ first: start, last: l });
    out.set(pt.id, runs);
  }
  return out;
}

export interface InfluxSettings {
  url: string;
  database: string;
  username?: string | undefined;
  password?: string | undefined;
}

/**
 * A read-only InfluxQL client over the v1 HTTP API (docs/architecture.md "Stores") for the processes
 * that have no InfluxService of their own (alerting's grading job, the CLI). A database that does not
 * exist yet has no readings; any other error is thrown.
 */
export function influxQuery(s: InfluxSettings): InfluxQuery {
  const url = new URL(s.url);
  const client = new InfluxDB({
    host: url.hostname,
    port: Number(url.port || (url.protocol === 'https:' ? 443 : 8086)),
    protocol: url.protocol === 'https:' ? 'https' : 'http',
    database: s.database,
    ...(s.username && { username: s.username }),
    ...(s.password && { password: s.password }),
  });
  return async (influxQL) => {
    const raw = (await client.queryRaw(influxQL, { precision: 'ms', database: s.database })) as { results?: { series?: InfluxSeries[]; error?: string }[]; error?: string };
    const result = raw.results?.[0];
    const error = raw.error ?? result?.error;
    if (error && !/database not found/.test(error)) throw new Error(`InfluxDB: ${error}`);
    return result?.series ?? [];
  };
}
