// Hand-computed fixtures for the period KPIs (docs/domain.md "KPIs"); every figure below is worked out
// in the comments, and the assertions are exact.
import { acknowledgedInTime, computeAlarmKpi, type KpiAlarm } from './alarm-kpi';
import { computeAlarmLoad, type LoadAlarm } from './alarm-load';
import { computeCompleteness } from './completeness';
import { startOfShanghaiDay } from './days';
import { onlineIntervals } from './intervals';
import { type DataPoint, enterpriseOnlineByData, pointOnlineIntervals, type ReadingRun } from './online-rate';
import { computeOnlineRate, eligibleIntervals, onlineShares, type PeriodEnterprise } from './online-rate';

const H = 3_600_000;
const MIN = 60_000;
const T0 = startOfShanghaiDay('2026-03-01'); // 2026-02-28T16:00:00Z
const period = { from: '2026-03-01', to: '2026-03-02' }; // 48 h

/** Readings every minute that keep a 3-minute offline window online exactly over each [start, end): the last one at end − 3 min. */
function reporting(...spans: [number, number][]): ReadingRun[] {
  return spans.flatMap(([start, end]) => {
    const out: ReadingRun[] = [];
    for (let t = start; t <= end - 3 * MIN; t += MIN) out.push({ first: t, last: t });
    return out;
  });
}

const factory = {
  enterprise: (over: Partial<PeriodEnterprise> & { id: string }): PeriodEnterprise => ({
    regionCode: '320505',
    riskCategories: ['steel'],
    dustWorkers: null,
    status: 'operating',
    statusHistory: [],
    connectedAt: Date.parse('2026-01-10T00:00:00Z'),
    ...over,
  }),
};

describe(onlineIntervals.name, () => {
  it('starts from the last change before the window, offline with none', () => {
    const window = { start: 0, end: 100 };
    expect(onlineIntervals([{ at: -5, online: true }, { at: 30, online: false }, { at: 60, online: true }], window)).toEqual([{ start: 0, end: 30 }, { start: 60, end: 100 }]);
    expect(onlineIntervals([{ at: 40, online: true }, { at: 50, online: true }], window)).toEqual([{ start: 40, end: 100 }]);
    expect(onlineIntervals([], window)).toEqual([]);
  });
});

describe(computeOnlineRate.name, () => {
  // issue 14: online by data — a mandatory point is online from each reading for 3 × expectedIntervalS (60 s → 3 min).
  //  A steel 320505, one mandatory point reporting every minute, silent T0+12h … T0+18h → 42 h of 48 = 0.875
  //  B steel 320505, two mandatory points: p1 always reporting, p2 silent T0+6h … T0+12h; suspended from 2026-03-02
  //    → counts on day 1 only: online 18 h of 24 = 0.75
  //  C metal dust 40 workers 320506, connected at T0+24h, reporting T0+24h … T0+30h → 6 h of 24 = 0.25
  //  D wood dust 20 workers: never in scope → not counted
  //  overall (0.875 + 0.75 + 0.25) / 3 = 0.625; 320505 and steel (0.875 + 0.75) / 2 = 0.8125
  const W = 3 * MIN;
  /** a mandatory 60 s point whose readings keep it online exactly over the given spans */
  const point = (...spans: [number, number][]): DataPoint => ({ mandatory: true, offlineWindowMs: W, createdAt: T0 - 100 * H, runs: reporting(...spans) });
  const enterprises = [
    { ...factory.enterprise({ id: 'A' }), points: [point([T0 - 10 * H, T0 + 12 * H], [T0 + 18 * H, T0 + 60 * H])] },
    {
      ...factory.enterprise({ id: 'B', statusHistory: [{ status: 'operating', effectiveDate: '2026-01-01', recordedAt: 1 }, { status: 'suspended', effectiveDate: '2026-03-02', recordedAt: 2 }] }),
      points: [point([T0 - H, T0 + 60 * H]), point([T0 - H, T0 + 6 * H], [T0 + 12 * H, T0 + 60 * H])],
    },
    { ...factory.enterprise({ id: 'C', regionCode: '320506', riskCategories: ['metal_dust'], dustWorkers: 40, connectedAt: T0 + 24 * H }), points: [point([T0 + 24 * H, T0 + 30 * H])] },
    { ...factory.enterprise({ id: 'D', riskCategories: ['wood_dust'], dustWorkers: 20 }), points: [point([T0 - H, T0 + 60 * H])] },
  ];

  it('time-weighted per enterprise, averaged; suspended days and out-of-scope enterprises excluded', () => {
    const shares = onlineShares(enterprises, period);
    expect(shares.map((s) => [s.id, s.onlineMs / H, s.eligibleMs / H])).toEqual([
      ['A', 42, 48],
      ['B', 18, 24],
      ['C', 6, 24],
      ['D', 0, 0],
    ]);
    expect(computeOnlineRate(shares)).toEqual({
      enterprises: 3,
      onlineRate: 0.625,
      byDistrict: [
        { regionCode: '320505', enterprises: 2, onlineRate: 0.8125 },
        { regionCode: '320506', enterprises: 1, onlineRate: 0.25 },
      ],
      byCategory: [
        { category: 'metal_dust', enterprises: 1, onlineRate: 0.25 },
        { category: 'steel', enterprises: 2, onlineRate: 0.8125 },
      ],
    });
  });

  it('a period not over yet ends now', () => {
    const sut = eligibleIntervals(factory.enterprise({ id: 'A' }), { ...period, until: T0 + 5 * H });
    expect(sut).toEqual([{ start: T0, end: T0 + 5 * H }]);
  });
});

describe(enterpriseOnlineByData.name, () => {
  const window = { start: T0, end: T0 + H };
  const W = 3 * MIN;

  it('a point is online from each reading until its offline window runs out; a run is online from its first reading to its last + window', () => {
    const sut = pointOnlineIntervals({ mandatory: true, offlineWindowMs: W, createdAt: 0, runs: [{ first: T0 - MIN, last: T0 - MIN }, { first: T0 + 10 * MIN, last: T0 + 20 * MIN }] }, window);
    expect(sut).toEqual([{ start: T0, end: T0 + 2 * MIN }, { start: T0 + 10 * MIN, end: T0 + 23 * MIN }]);
  });

  it('a gateway session with no readings is not online (issue 14): no readings, no online time', () => {
    expect(enterpriseOnlineByData([{ mandatory: true, offlineWindowMs: W, createdAt: 0, runs: [] }], window)).toEqual([]);
    expect(enterpriseOnlineByData([], window)).toEqual([]);
  });

  it('every mandatory point must be online; an optional point does not make up for a silent mandatory one', () => {
    const sut = enterpriseOnlineByData(
      [
        { mandatory: true, offlineWindowMs: W, createdAt: 0, runs: [{ first: T0 - MIN, last: T0 + 60 * MIN }] },
        { mandatory: true, offlineWindowMs: W, createdAt: 0, runs: [{ first: T0 + 30 * MIN, last: T0 + 60 * MIN }] },
        { mandatory: false, offlineWindowMs: W, createdAt: 0, runs: [{ first: T0 - MIN, last: T0 + 60 * MIN }] },
      ],
      window,
    );
    expect(sut).toEqual([{ start: T0 + 30 * MIN, end: T0 + H }]);
  });

  it('with no mandatory point, one reporting point is enough; a mandatory point counts only from its creation', () => {
    const optional = { mandatory: false, offlineWindowMs: W, createdAt: 0, runs: [{ first: T0 - MIN, last: T0 + 60 * MIN }] };
    expect(enterpriseOnlineByData([optional], window)).toEqual([{ start: T0, end: T0 + H }]);
    const late = { mandatory: true, offlineWindowMs: W, createdAt: T0 + 20 * MIN, runs: [{ first: T0 + 40 * MIN, last: T0 + 60 * MIN }] };
    // before T0+20 the optional point carries it; from the mandatory point's creation it must report itself
    expect(enterpriseOnlineByData([optional, late], window)).toEqual([{ start: T0, end: T0 + 20 * MIN }, { start: T0 + 40 * MIN, end: T0 + H }]);
  });
});

describe(computeAlarmKpi.name, () => {
  // 1 red    ack +5:00 (limit, in time)  disposed +24 h (in time)  closed     320505 steel
  // 2 red    ack +5:01 (late)            disposed +25 h (late)     disposed   320505 steel
  // 3 orange ack +15:00 (in time)        not disposed              open       320505 steel
  // 4 yellow ack +61:00 (late)           disposed +72 h (in time)  closed     320506 metal_dust
  // 5 blue   not acked                   disposed +1 h             disposed   320506 metal_dust (not in the timely rates)
  // 6 yellow ack +30:00 (in time)        not disposed              open       320506 metal_dust
  // raised 6, disposed 1 2 4 5 = 4 → 0.6667; tiered 5; acked in time 1 3 6 = 3 → 0.6; disposed in time 1 4 = 2 → 0.4
  const t = T0;
  const a = (tier: KpiAlarm['tier'], ack: number | null, disp: number | null, stage: KpiAlarm['stage'], region = '320505'): KpiAlarm => ({
    regionCode: region,
    riskCategories: region === '320505' ? ['steel'] : ['metal_dust'],
    tier,
    raisedAt: t,
    ackedAt: ack === null ? null : t + ack,
    disposedAt: disp === null ? null : t + disp,
    stage,
  });
  const alarms = [
    a('red', 5 * MIN, 24 * H, 'closed'),
    a('red', 5 * MIN + 1000, 25 * H, 'disposed'),
    a('orange', 15 * MIN, null, 'open'),
    a('yellow', 61 * MIN, 72 * H, 'closed', '320506'),
    a('blue', null, H, 'disposed', '320506'),
    a('yellow', 30 * MIN, null, 'open', '320506'),
  ];

  it('disposal rate, timely acknowledgement (5/15/60 min) and timely disposal (24/24/72 h) equal the hand-computed values', () => {
    const sut = computeAlarmKpi(alarms);
    expect(sut).toMatchObject({ raised: 6, disposed: 4, disposalRate: 0.6667, tiered: 5, ackedInTime: 3, timelyAckRate: 0.6, disposedInTime: 2, timelyDisposalRate: 0.4 });
    expect(sut.byDistrict).toEqual([
      { regionCode: '320505', raised: 3, disposed: 2, disposalRate: 0.6667, tiered: 3, ackedInTime: 2, timelyAckRate: 0.6667, disposedInTime: 1, timelyDisposalRate: 0.3333 },
      { regionCode: '320506', raised: 3, disposed: 2, disposalRate: 0.6667, tiered: 2, ackedInTime: 1, timelyAckRate: 0.5, disposedInTime: 1, timelyDisposalRate: 0.5 },
    ]);
    expect(computeAlarmKpi([])).toMatchObject({ raised: 0, disposalRate: null, timelyAckRate: null, timelyDisposalRate: null });
  });
});

describe(acknowledgedInTime.name, () => {
  // issue 14: each tier is held to its own limit from the moment the alarm reached it
  const alarm = (steps: { tier: KpiAlarm['tier']; at: number }[], acks: number[]): KpiAlarm => ({
    regionCode: '320505',
    riskCategories: ['steel'],
    tier: 'red',
    raisedAt: steps[0]?.at ?? T0,
    ackedAt: acks[0] ?? null,
    disposedAt: null,
    stage: 'open',
    steps,
    acks,
  });
  const yellowThenRed = [{ tier: 'yellow' as const, at: T0 }, { tier: 'red' as const, at: T0 + 40 * MIN }];

  it('a yellow alarm that turned red is held to 5 min from when it became red, not from its yellow start', () => {
    expect(acknowledgedInTime(alarm(yellowThenRed, [T0 + 30 * MIN, T0 + 45 * MIN]))).toBe(true); // yellow at 30 min, red 5 min after turning red
    expect(acknowledgedInTime(alarm(yellowThenRed, [T0 + 30 * MIN, T0 + 45 * MIN + 1]))).toBe(false); // red acknowledged 5 min 1 ms after
    expect(acknowledgedInTime(alarm(yellowThenRed, [T0 + 44 * MIN]))).toBe(true); // yellow not yet due when it rose; red answered in time
  });

  it('a tier whose limit ran out before the next step is late, even if the later tier is answered in time', () => {
    const slowRise = [{ tier: 'yellow' as const, at: T0 }, { tier: 'red' as const, at: T0 + 90 * MIN }];
    expect(acknowledgedInTime(alarm(slowRise, [T0 + 91 * MIN]))).toBe(false); // the yellow hour ran out unanswered
    expect(acknowledgedInTime(alarm(slowRise, [T0 + 59 * MIN, T0 + 91 * MIN]))).toBe(true);
  });

  it('never acknowledged: late; without steps the raise is the only one (the old data shape)', () => {
    expect(acknowledgedInTime(alarm(yellowThenRed, []))).toBe(false);
    const plain: KpiAlarm = { regionCode: '320505', riskCategories: ['steel'], tier: 'orange', raisedAt: T0, ackedAt: T0 + 15 * MIN, disposedAt: null, stage: 'open' };
    expect(acknowledgedInTime(plain)).toBe(true);
  });

  it('counts in 及时响应率 with the step rule', () => {
    expect(computeAlarmKpi([alarm(yellowThenRed, [T0 + 30 * MIN, T0 + 45 * MIN]), alarm(yellowThenRed, [T0 + 50 * MIN])])).toMatchObject({ tiered: 2, ackedInTime: 1, timelyAckRate: 0.5 });
  });
});

describe(computeAlarmLoad.name, () => {
  // one hour = six 10-minute windows
  // X: raised at +0 s, then cleared / reactivated every 20 s → 12 activations in the first window: flood, chattering
  // Y: raised 25 h before the period, never cleared → stale at the end
  // Z: raised +15 min, cleared +16, reactivated +45, cleared +46, reactivated +47 → 3 activations, none 3 within a minute
  // annunciations 12 + 0 + 3 = 15 → 15 / 6 = 2.5 per 10 min; flood windows 1 of 6 → 0.1667; stale 1; chattering 1
  const window = { start: T0, end: T0 + H };
  const x: LoadAlarm = {
    id: 'X',
    regionCode: '320505',
    riskCategories: ['steel'],
    events: Array.from({ length: 12 }, (_, i) => [
      { event: i === 0 ? 'raised' : 'reactivated', at: T0 + i * 20_000 },
      { event: 'cleared', at: T0 + i * 20_000 + 10_000 },
    ]).flat(),
  };
  const y: LoadAlarm = { id: 'Y', regionCode: '320505', riskCategories: ['steel'], events: [{ event: 'raised', at: T0 - 25 * H }, { event: 'acknowledged', at: T0 - 24 * H }] };
  const z: LoadAlarm = {
    id: 'Z',
    regionCode: '320506',
    riskCategories: ['metal_dust'],
    events: [
      { event: 'raised', at: T0 + 15 * MIN },
      { event: 'cleared', at: T0 + 16 * MIN },
      { event: 'reactivated', at: T0 + 45 * MIN },
      { event: 'cleared', at: T0 + 46 * MIN },
      { event: 'reactivated', at: T0 + 47 * MIN },
    ],
  };

  it('alarms per 10 min, flood windows, stale and chattering alarms (ISA-18.2) equal the hand-computed values', () => {
    const sut = computeAlarmLoad([x, y, z], window);
    expect(sut).toMatchObject({ annunciations: 15, alarmsPer10Min: 2.5, windows: 6, floodWindows: 1, floodWindowRate: 0.1667, stale: 1, chattering: 1 });
    expect(sut.byDistrict[1]).toEqual({ regionCode: '320506', annunciations: 3, alarmsPer10Min: 0.5, windows: 6, floodWindows: 0, floodWindowRate: 0, stale: 0, chattering: 0 });
    expect(computeAlarmLoad([x, y, z], window, 2).alarmsPer10Min).toBe(1.25); // per duty officer
  });
});

describe(computeCompleteness.name, () => {
  // p1 60 s over 1 h → 60 expected, 45 valid; p2 10 s over 1 h → 360 expected, 400 valid (capped at 360);
  // p3 30 s over 30 min → 60 expected, 30 valid. (45 + 360 + 30) / (60 + 360 + 60) = 435 / 480 = 0.90625 → 0.9063
  const hour = [{ start: T0, end: T0 + H }];
  const points = [
    { regionCode: '320505', riskCategories: ['steel'], expectedIntervalS: 60, expectedDuring: hour, valid: 45 },
    { regionCode: '320505', riskCategories: ['steel'], expectedIntervalS: 10, expectedDuring: hour, valid: 400 },
    { regionCode: '320506', riskCategories: ['metal_dust'], expectedIntervalS: 30, expectedDuring: [{ start: T0, end: T0 + 30 * MIN }], valid: 30 },
  ];

  it('valid readings of mandatory points ÷ period ÷ expectedIntervalS', () => {
    const sut = computeCompleteness(points);
    expect(sut).toMatchObject({ points: 3, expected: 480, received: 435, completeness: 0.9063 });
    expect(sut.byDistrict).toEqual([
      { regionCode: '320505', points: 2, expected: 420, received: 405, completeness: 0.9643 },
      { regionCode: '320506', points: 1, expected: 60, received: 30, completeness: 0.5 },
    ]);
  });
});
