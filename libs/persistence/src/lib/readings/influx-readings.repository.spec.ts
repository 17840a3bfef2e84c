import type { InfluxSeries } from './influx.client';
import { InfluxReadingsRepository, offlineWindowMs } from './influx-readings.repository';

const T0 = Date.UTC(2026, 11, 1); // 2026-12-01T00:00:00Z
const H = 3_600_000;
const P1 = '00000000-0000-4000-8000-000000000001';
const P2 = '00000000-0000-4000-8000-000000000002';

/** A query port that records each statement and answers the next canned series. */
function fakeInflux(...answers: InfluxSeries[][]) {
  const statements: string[] = [];
  const query = (q: string) => {
    statements.push(q);
    return Promise.resolve(answers.shift() ?? []);
  };
  return { statements, sut: new InfluxReadingsRepository(query) };
}

const series = (point: string | null, values: unknown[][]): InfluxSeries => ({ name: 'reading', ...(point && { tags: { point } }), columns: ['time', 'v'], values });

// docs/architecture.md "Stores": measurement `reading`, tags `point`, `region`, `quality`, field `value`
describe(InfluxReadingsRepository.name, () => {
  it('raw: a point\'s readings in [from, to), oldest first, up to the limit', async () => {
    const { statements, sut } = fakeInflux([series(null, [[T0, 1.5, 'good'], [T0 + 1000, 2, 'bad'], [T0 + 2000, 3, null]])]);
    expect(await sut.raw(P1, T0, T0 + H, 101)).toEqual([
      { t: T0, value: 1.5, quality: 'good' },
      { t: T0 + 1000, value: 2, quality: 'bad' },
      { t: T0 + 2000, value: 3, quality: null },
    ]);
    expect(statements).toEqual([
      `SELECT "value", "quality" FROM "reading" WHERE "point" = '${P1}' AND time >= '2026-12-01T00:00:00.000Z' AND time < '2026-12-01T01:00:00.000Z' ORDER BY time ASC LIMIT 101`,
    ]);
  });

  it('raw: a point id cannot leave its string literal', async () => {
    const { statements, sut } = fakeInflux();
    await sut.raw("x' OR time > 0 --", T0, T0 + H, 10);
    expect(statements[0]).toContain(`"point" = 'x\\' OR time > 0 --' AND`);
  });

  it('buckets: mean, min, max and count per interval, empty ones left out; the interval must be a duration', async () => {
    const { statements, sut } = fakeInflux([series(null, [[T0, 2, 1, 3, 4]])]);
    expect(await sut.buckets(P1, T0, T0 + H, '5m')).toEqual([{ t: T0, mean: 2, min: 1, max: 3, count: 4 }]);
    expect(statements[0]).toBe(
      `SELECT mean("value"), min("value"), max("value"), count("value") FROM "reading" WHERE "point" = '${P1}' AND time >= '2026-12-01T00:00:00.000Z' AND time < '2026-12-01T01:00:00.000Z' GROUP BY time(5m) fill(none)`,
    );
    await expect(sut.buckets(P1, T0, T0 + H, '5m) fill(0')).rejects.toThrow(RangeError);
  });

  it('lastReadings: each point\'s last reading in (from, to], narrowed by the region prefix', async () => {
    const { statements, sut } = fakeInflux([series(P1, [[T0 + 5, 1]]), series(P2, [[T0 + 9, 2]]), series(null, [[T0, 3]])]);
    expect(await sut.lastReadings(T0 - H, T0 + H, '3205')).toEqual(new Map([[P1, T0 + 5], [P2, T0 + 9]]));
    expect(statements[0]).toBe(`SELECT last("value") FROM "reading" WHERE time > '2026-11-30T23:00:00.000Z' AND time <= '2026-12-01T01:00:00.000Z' AND "region" =~ /^3205/ GROUP BY "point"`);
  });

  it('lastReadings: without a region no region filter; a region cannot widen the regex', async () => {
    const { statements, sut } = fakeInflux();
    await sut.lastReadings(T0, T0 + H, null);
    await sut.lastReadings(T0, T0 + H, '.*/ OR "point" =~ /.*');
    expect(statements[0]).not.toContain('region');
    expect(statements[1]).toContain(`"region" =~ /^\\.\\*\\/ OR "point" =~ \\/\\.\\*/ GROUP BY`);
  });

  it('validCounts: readings with a value minus the bad ones, per point', async () => {
    const { statements, sut } = fakeInflux([series(P1, [[0, 10]]), series(P2, [[0, 4]])], [series(P1, [[0, 3]])]);
    expect(await sut.validCounts(T0, T0 + H, null)).toEqual(new Map([[P1, 7], [P2, 4]]));
    expect(statements).toEqual([
      `SELECT count("value") FROM "reading" WHERE time >= '2026-12-01T00:00:00.000Z' AND time < '2026-12-01T01:00:00.000Z' GROUP BY "point"`,
      `SELECT count("value") FROM "reading" WHERE time >= '2026-12-01T00:00:00.000Z' AND time < '2026-12-01T01:00:00.000Z' AND "quality" = 'bad' GROUP BY "point"`,
    ]);
  });

  it('readingRuns: runs split at gaps longer than each point\'s offline window (docs/domain.md "KPIs", 在线率 by data)', async () => {
    const points = [{ id: P1, expectedIntervalS: 60 }, { id: P2, expectedIntervalS: 600 }];
    const w1 = offlineWindowMs(60); // 3 min
    const { statements, sut } = fakeInflux(
      [series(P1, [[T0, 1]]), series(P2, [[T0 + 1000, 1]])],
      [series(P1, [[T0 + H, 1]]), series(P2, [[T0 + H, 1]])],
      // P1: a 10 min gap ending at T0+30min splits it; P2: the same gap is within its 30 min window
      [series(P1, [[T0 + 30 * 60_000, 10 * 60_000]]), series(P2, [[T0 + 30 * 60_000, 10 * 60_000]])],
    );
    const runs = await sut.readingRuns(points, T0, T0 + H, '320505');
    expect(runs.get(P1)).toEqual([
      { first: T0, last: T0 + 20 * 60_000 },
      { first: T0 + 30 * 60_000, last: T0 + H },
    ]);
    expect(runs.get(P2)).toEqual([{ first: T0 + 1000, last: T0 + H }]);
    const where = `time >= '${new Date(T0 - offlineWindowMs(600)).toISOString()}' AND time < '2026-12-01T01:00:00.000Z' AND "point" =~ /^(${P1}|${P2})$/ AND "region" =~ /^320505/`;
    expect(statements).toEqual([
      `SELECT first("value") FROM "reading" WHERE ${where} GROUP BY "point"`,
      `SELECT last("value") FROM "reading" WHERE ${where} GROUP BY "point"`,
      `SELECT "gap" FROM (SELECT elapsed("value", 1ms) AS "gap" FROM "reading" WHERE ${where} GROUP BY "point") WHERE "gap" > ${w1} GROUP BY "point"`,
    ]);
  });

  it('readingRuns: no points, no query', async () => {
    const { statements, sut } = fakeInflux();
    expect(await sut.readingRuns([], T0, T0 + H, null)).toEqual(new Map());
    expect(statements).toEqual([]);
  });
});
