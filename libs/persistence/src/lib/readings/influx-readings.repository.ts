import type { ReadingRun } from '@sw/kpi';
import { OFFLINE_MISSED_INTERVALS } from '@sw/rules';
import type { InfluxQuery, InfluxSeries } from './influx.client';
import { influxDuration, influxOneOf, influxPrefix, influxString, influxTime } from './influxql';

/** A point as the reading runs need it. */
export interface RunPoint {
  id: string;
  expectedIntervalS: number;
}

/** A raw reading: epoch ms, value, and the quality tag (`good` unless the gateway said otherwise). */
export interface RawReadingRow {
  t: number;
  value: number;
  quality: string | null;
}

/** One `GROUP BY time(every)` bucket. */
export interface ReadingBucketRow {
  t: number;
  mean: number;
  min: number;
  max: number;
  count: number;
}

/** A point's offline window (docs/domain.md: no reading for 3 × expectedIntervalS), in ms. */
export const offlineWindowMs = (expectedIntervalS: number) => OFFLINE_MISSED_INTERVALS * expectedIntervalS * 1000;

/** `[from, to)` (or `(from, to]`) and the region prefix: the region tag is the gateway's when the reading was written. */
function span(from: number, to: number, region: string | null, closedEnd = false): string {
  const time = closedEnd ? `time > ${influxTime(from)} AND time <= ${influxTime(to)}` : `time >= ${influxTime(from)} AND time < ${influxTime(to)}`;
  return region ? `${time} AND "region" =~ ${influxPrefix(region)}` : time;
}

/** The first value of each series by its `point` tag. */
function byPoint(series: readonly InfluxSeries[], column: number): Map<string, number> {
  return new Map(series.flatMap((s) => (s.tags?.['point'] && typeof s.values[0]?.[column] === 'number' ? [[s.tags['point'], s.values[0][column] as number] as const] : [])));
}

/**
 * Every InfluxQL statement the platform reads readings with (docs/architecture.md "Stores":
 * measurement `reading`, tags `point`, `region`, `quality`, field `value`), built here and only
 * here, with every value escaped as a literal of its kind (`influxql.ts`). Used by the api's
 * history, KPI and report endpoints and by the risk grading; `query` runs one statement.
 */
export class InfluxReadingsRepository {
  constructor(private readonly query: InfluxQuery) {}

  /** A point's raw readings in [from, to), oldest first, at most `limit`. */
  async raw(pointId: string, from: number, to: number, limit: number): Promise<RawReadingRow[]> {
    const [series] = await this.query(`SELECT "value", "quality" FROM "reading" WHERE "point" = ${influxString(pointId)} AND ${span(from, to, null)} ORDER BY time ASC LIMIT ${Math.max(0, Math.floor(limit))}`);
    return (series?.values ?? []).map(([t, value, quality]) => ({ t: t as number, value: value as number, quality: typeof quality === 'string' ? quality : null }));
  }

  /** A point's readings in [from, to) as mean, min, max and count per `every` (an InfluxQL duration); empty buckets left out. */
  async buckets(pointId: string, from: number, to: number, every: string): Promise<ReadingBucketRow[]> {
    const [series] = await this.query(
      `SELECT mean("value"), min("value"), max("value"), count("value") FROM "reading" WHERE "point" = ${influxString(pointId)} AND ${span(from, to, null)} GROUP BY time(${influxDuration(every)}) fill(none)`,
    );
    return (series?.values ?? []).map(([t, mean, min, max, n]) => ({ t: t as number, mean: mean as number, min: min as number, max: max as number, count: n as number }));
  }

  /** Each point's last reading time in (from, to] under the region prefix (epoch ms by point id). */
  async lastReadings(from: number, to: number, region: string | null): Promise<Map<string, number>> {
    return byPoint(await this.query(`SELECT last("value") FROM "reading" WHERE ${span(from, to, region, true)} GROUP BY "point"`), 0);
  }

  /** Valid readings (quality not bad) per point in [from, to): all readings with a value minus the bad ones. */
  async validCounts(from: number, to: number, region: string | null): Promise<Map<string, number>> {
    const where = span(from, to, region);
    const [all, bad] = await Promise.all([
      this.query(`SELECT count("value") FROM "reading" WHERE ${where} GROUP BY "point"`),
      this.query(`SELECT count("value") FROM "reading" WHERE ${where} AND "quality" = 'bad' GROUP BY "point"`),
    ]);
    const counts = byPoint(all, 1);
    for (const [point, n] of byPoint(bad, 1)) counts.set(point, (counts.get(point) ?? 0) - n);
    return counts;
  }

  /**
   * Each point's readings in [from − its offline window, to) as runs without a gap longer than the
   * window (docs/domain.md "KPIs", 在线率 by data), from three queries whose answers grow with the
   * outages, not with the readings: the first and the last reading per point, and (a subquery over
   * `elapsed`) every gap longer than the shortest window, filtered per point here. Shared by the KPI
   * endpoints and the risk grading, so the online rate is computed one way.
   */
  async readingRuns(points: readonly RunPoint[], from: number, to: number, region: string | null): Promise<Map<string, ReadingRun[]>> {
    const out = new Map<string, ReadingRun[]>();
    if (points.length === 0) return out;
    const windows = points.map((pt) => offlineWindowMs(pt.expectedIntervalS));
    const longest = Math.max(...windows);
    const shortest = Math.min(...windows);
    const where = `${span(from - longest, to, null)} AND "point" =~ ${influxOneOf(points.map((pt) => pt.id))}${region ? ` AND "region" =~ ${influxPrefix(region)}` : ''}`;
    const [firsts, lasts, gaps] = await Promise.all([
      this.query(`SELECT first("value") FROM "reading" WHERE ${where} GROUP BY "point"`),
      this.query(`SELECT last("value") FROM "reading" WHERE ${where} GROUP BY "point"`),
      this.query(`SELECT "gap" FROM (SELECT elapsed("value", 1ms) AS "gap" FROM "reading" WHERE ${where} GROUP BY "point") WHERE "gap" > ${shortest} GROUP BY "point"`),
    ]);
    const first = byPoint(firsts, 0);
    const last = byPoint(lasts, 0);
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
}
