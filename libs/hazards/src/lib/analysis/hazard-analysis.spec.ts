import type { HazardEventName, HazardStatus } from '../life/hazard.types';
import { analyseHazards, type HazardHistory, median, nearestRank } from './hazard-analysis';

const D = (day: number, hour = 0) => new Date(Date.UTC(2026, 6, day, hour)).toISOString(); // July 2026
const TO: Record<HazardEventName, HazardStatus> = { reported: 'reported', confirmed: 'confirmed', rejected: 'rejected', planned: 'rectifying', submitted: 'submitted', returned: 'rectifying', signed_off: 'signed_off' };

const factory = {
  /** A hazard with events given as [event, day] (a plan's deadline as third element). */
  history: (id: string, steps: [HazardEventName, string, string?][], over: Partial<HazardHistory> = {}): HazardHistory => ({
    id,
    regionCode: '320505',
    source: 'self_check',
    article: 11,
    item: 3,
    categories: ['metal_dust'],
    events: steps.map(([event, at, deadline]) => ({ event, at, to: TO[event], data: deadline ? { deadline } : {} })),
    ...over,
  }),
};

describe(analyseHazards.name, () => {
  const period = { from: D(1), to: D(31) };
  // hand-built histories; figures below are counted by hand
  const histories: HazardHistory[] = [
    // A: confirmed day 2, signed off day 12 → 10 days
    factory.history('A', [['reported', D(1, 8)], ['confirmed', D(2)], ['planned', D(3), D(20)], ['submitted', D(10)], ['signed_off', D(12)]]),
    // B: confirmed day 5, signed off day 25 after a return → 20 days
    factory.history('B', [['reported', D(4)], ['confirmed', D(5)], ['planned', D(6), D(20)], ['submitted', D(15)], ['returned', D(16)], ['submitted', D(22)], ['signed_off', D(25)]], { source: 'inspection', article: 4, item: 2, categories: ['steel'], regionCode: '320506' }),
    // C: confirmed day 6, deadline day 15, still rectifying on day 31 → open and overdue
    factory.history('C', [['reported', D(6)], ['confirmed', D(6, 12)], ['planned', D(7), D(15)]], { source: 'alarm' }),
    // D: rejected
    factory.history('D', [['reported', D(8)], ['rejected', D(9)]], { source: 'report' }),
    // E: reported in June, confirmed June, signed off July 3 → counts in days (confirmed 2026-06-21 → 12 days), not in reported/confirmed
    factory.history('E', [['reported', '2026-06-20T00:00:00.000Z'], ['confirmed', '2026-06-21T00:00:00.000Z'], ['planned', '2026-06-22T00:00:00.000Z', D(30)], ['submitted', D(2)], ['signed_off', D(3)]]),
    // F: reported in the period, confirmed day 30, signed off after the period (Aug 2) → confirmed not cleared; status as of `to` is confirmed
    factory.history('F', [['reported', D(29)], ['confirmed', D(30)], ['planned', D(30, 6), '2026-08-10T00:00:00.000Z'], ['submitted', '2026-08-01T00:00:00.000Z'], ['signed_off', '2026-08-02T00:00:00.000Z']], { categories: ['metal_dust', 'wood_dust'] }),
    // G: reported after the period: ignored
    factory.history('G', [['reported', '2026-08-05T00:00:00.000Z']]),
  ];

  it('counts the hazards reported in the period by source, category, article, region and status as of its end', () => {
    const sut = analyseHazards(histories, period);
    expect(sut.reported).toBe(5); // A B C D F
    expect(sut.bySource).toEqual({ self_check: 2, inspection: 1, alarm: 1, report: 1 });
    expect(sut.byCategory).toEqual({ metal_dust: 4, steel: 1, wood_dust: 1 });
    expect(sut.byArticle).toEqual({ 第十一条: 4, 第四条: 1 });
    expect(sut.byRegion).toEqual({ '320505': 4, '320506': 1 });
    expect(sut.byStatus).toEqual({ signed_off: 2, rectifying: 2, rejected: 1 }); // F planned on day 30 → rectifying
  });

  it('open and overdue as of the end: C (deadline day 15) is overdue, F (deadline in August) is open only', () => {
    const sut = analyseHazards(histories, period);
    expect([sut.open, sut.overdue]).toEqual([2, 1]);
  });

  // docs/domain.md: 动态清零率 = signed off ÷ confirmed in the period
  it('动态清零率: of the 4 hazards confirmed in the period (A B C F), 2 were signed off by its end → 0.5', () => {
    const sut = analyseHazards(histories, period);
    expect([sut.confirmed, sut.confirmedSignedOff, sut.clearanceRate]).toEqual([4, 2, 0.5]);
  });

  it('days to sign-off over A (10), E (12), B (20): median 12, p90 20', () => {
    expect(analyseHazards(histories, period).daysToSignOff).toEqual({ count: 3, median: 12, p90: 20 });
  });

  it('a period before anything: zeros and nulls, no division by zero', () => {
    const sut = analyseHazards(histories, { from: '2026-01-01T00:00:00.000Z', to: '2026-02-01T00:00:00.000Z' });
    expect(sut).toMatchObject({ reported: 0, open: 0, confirmed: 0, clearanceRate: null, daysToSignOff: { count: 0, median: null, p90: null } });
  });

  it('the same histories cut at June 30: E is open then (signed off in July) and B does not exist yet', () => {
    const sut = analyseHazards(histories, { from: '2026-06-01T00:00:00.000Z', to: D(1) });
    expect([sut.reported, sut.open, sut.overdue, sut.confirmed, sut.confirmedSignedOff, sut.clearanceRate]).toEqual([1, 1, 0, 1, 0, 0]);
  });
});

describe('median and nearest-rank percentile', () => {
  it.each([
    [[], null, null],
    [[5], 5, 5],
    [[1, 3], 2, 3],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5.5, 9],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 6, 10],
  ])('%j: median %s, p90 %s', (xs, m, p) => {
    expect([median(xs), nearestRank(xs, 0.9)]).toEqual([m, p]);
  });
});
