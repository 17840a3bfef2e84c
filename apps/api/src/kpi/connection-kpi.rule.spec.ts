import { computeConnectionKpi, endOfShanghaiDay, inConnectionScope, isOnline, type KpiEnterprise, rate } from './connection-kpi.rule';

const factory = {
  enterprise: (over: Partial<KpiEnterprise> = {}): KpiEnterprise => ({
    id: over.id ?? 'e',
    name: over.id ?? 'e',
    uscc: '91110108551385082Q',
    regionCode: '320505',
    riskCategories: ['steel'],
    dustWorkers: null,
    status: 'operating',
    connected: true,
    registered: true,
    mandatoryPoints: 2,
    reportingPoints: over.connected === false ? 1 : 2,
    online: true,
    ...over,
  }),
};

describe('inConnectionScope (docs/domain.md policy table)', () => {
  const dust = (riskCategories: KpiEnterprise['riskCategories'], dustWorkers: number | null) => factory.enterprise({ riskCategories, dustWorkers });

  // issue 14: "in scope as of (end of day)" — as of 2024-12-31 includes the group due by the end of 2024
  it('metal or wood dust with ≥ 30 dust workers: from 2024-12-31', () => {
    for (const c of ['metal_dust', 'wood_dust'] as const) {
      expect(inConnectionScope(dust([c], 30), '2024-12-30')).toBe(false);
      expect(inConnectionScope(dust([c], 30), '2024-12-31')).toBe(true);
      expect(inConnectionScope(dust([c], 29), '2025-12-30')).toBe(false);
    }
  });

  it('steel, aluminium casting, metal dust with ≥ 10 dust workers: from 2025-12-31', () => {
    for (const e of [dust(['steel'], null), dust(['aluminum_casting'], null), dust(['metal_dust'], 10)]) {
      expect(inConnectionScope(e, '2025-12-30')).toBe(false);
      expect(inConnectionScope(e, '2025-12-31')).toBe(true);
    }
    expect(inConnectionScope(dust(['metal_dust'], 9), '2025-12-31')).toBe(false);
    expect(inConnectionScope(dust(['metal_dust'], null), '2025-12-31')).toBe(false); // unknown workers: a data gap, not in (see computeConnectionKpi)
  });

  it('wood dust under 30, other dust, ammonia refrigeration, confined space: never in the connection scope', () => {
    for (const e of [dust(['wood_dust'], 29), dust(['other_dust'], 500), dust(['ammonia_refrigeration'], null), dust(['confined_space'], null)]) {
      expect(inConnectionScope(e, '2027-01-01')).toBe(false);
    }
  });

  it('a closed enterprise is out; a suspended one stays in', () => {
    expect(inConnectionScope(factory.enterprise({ status: 'closed' }), '2026-06-01')).toBe(false);
    expect(inConnectionScope(factory.enterprise({ status: 'suspended' }), '2026-06-01')).toBe(true);
  });
});

describe('endOfShanghaiDay', () => {
  it('is the next day 00:00 +08:00', () => {
    expect(endOfShanghaiDay('2026-01-01').toISOString()).toBe('2026-01-01T16:00:00.000Z');
    expect(endOfShanghaiDay('2024-12-31').toISOString()).toBe('2024-12-31T16:00:00.000Z');
    expect(endOfShanghaiDay('2024-02-29').toISOString()).toBe('2024-02-29T16:00:00.000Z');
  });
});

describe('isOnline', () => {
  const at = new Date('2026-01-01T16:00:00Z');
  const ago = (s: number) => new Date(at.getTime() - s * 1000);

  it('every mandatory point reported within 3 × expectedIntervalS', () => {
    const points = [
      { mandatory: true, expectedIntervalS: 60, lastReadingAt: ago(180) }, // exactly at the edge: still in
      { mandatory: true, expectedIntervalS: 10, lastReadingAt: ago(29) },
      { mandatory: false, expectedIntervalS: 60, lastReadingAt: null },
    ];
    expect(isOnline(points, at)).toBe(true);
    expect(isOnline([...points, { mandatory: true, expectedIntervalS: 60, lastReadingAt: ago(181) }], at)).toBe(false);
  });

  it('with no mandatory point, at least one point; with no point, not online; readings after the instant do not count', () => {
    expect(isOnline([{ mandatory: false, expectedIntervalS: 60, lastReadingAt: null }, { mandatory: false, expectedIntervalS: 60, lastReadingAt: ago(5) }], at)).toBe(true);
    expect(isOnline([{ mandatory: false, expectedIntervalS: 60, lastReadingAt: ago(500) }], at)).toBe(false);
    expect(isOnline([], at)).toBe(false);
    expect(isOnline([{ mandatory: true, expectedIntervalS: 60, lastReadingAt: ago(-10) }], at)).toBe(false);
  });
});

describe('rate', () => {
  it('rounds to 4 decimals; null for a zero denominator', () => {
    expect(rate(97, 120)).toBe(0.8083);
    expect(rate(90, 97)).toBe(0.9278);
    expect(rate(2, 3)).toBe(0.6667);
    expect(rate(0, 5)).toBe(0);
    expect(rate(0, 0)).toBeNull();
  });
});

describe(computeConnectionKpi.name, () => {
  // Hand-computed fixture (region 3205):
  //   a  steel, 320505, connected, online
  //   b  steel, 320505, connected, not online
  //   c  metal_dust 40 + wood_dust, 320505, connected, online          (in scope from 2025-01-01)
  //   d  aluminum_casting, 320506, not connected
  //   e  metal_dust 12, 320506, connected, suspended                   (in scope from 2026-01-01; out of the online rate)
  //   f  steel, 320506, closed (status on the day)                     (out of scope)
  //   g  wood_dust 20 + ammonia, 320505, connected                     (never in scope)
  const enterprises = [
    factory.enterprise({ id: 'a' }),
    factory.enterprise({ id: 'b', online: false }),
    factory.enterprise({ id: 'c', riskCategories: ['metal_dust', 'wood_dust'], dustWorkers: 40 }),
    factory.enterprise({ id: 'd', regionCode: '320506', riskCategories: ['aluminum_casting'], connected: false, online: false }),
    factory.enterprise({ id: 'e', regionCode: '320506', riskCategories: ['metal_dust'], dustWorkers: 12, status: 'suspended', online: false }),
    factory.enterprise({ id: 'f', regionCode: '320506', status: 'closed' }),
    factory.enterprise({ id: 'g', riskCategories: ['wood_dust', 'ammonia_refrigeration'], dustWorkers: 20 }),
  ];

  it('2024-12-30: nobody is in scope yet; rates are null', () => {
    const sut = computeConnectionKpi('3205', '2024-12-30', enterprises);
    expect(sut).toEqual({
      regionCode: '3205', asOf: '2024-12-30', windowDays: 7, inScope: 0, connected: 0, connectionRate: null, mandatoryPoints: 0, reportingPoints: 0, pointConnectionRate: null,
      online: 0, onlineRate: null, unknownDustWorkers: 0, byDistrict: [], byCategory: [], notConnected: [], dataGaps: [],
    });
  });

  it('2024-12-31 (boundary) through 2025-12-30: only the dust enterprise with ≥ 30 workers', () => {
    for (const day of ['2024-12-31', '2025-01-01', '2025-12-30']) {
      const sut = computeConnectionKpi('3205', day, enterprises);
      expect(sut).toMatchObject({ inScope: 1, connected: 1, connectionRate: 1, mandatoryPoints: 2, reportingPoints: 2, pointConnectionRate: 1, online: 1, onlineRate: 1 });
      expect(sut.byCategory.map((c) => c.category)).toEqual(['metal_dust', 'wood_dust']); // once in each of its categories
    }
  });

  it('2025-12-31 (boundary): steel, casting and dust ≥ 10 join; the closed one is out; the suspended one is out of the online rate', () => {
    const sut = computeConnectionKpi('3205', '2025-12-31', enterprises);
    // in scope a b c d e = 5; connected a b c e = 4 → 0.8; online base a b c = 3; online a c = 2 → 0.6667
    // mandatory points 5 × 2 = 10, reporting 2+2+2+1+2 = 9 → 0.9
    expect(sut).toMatchObject({ inScope: 5, connected: 4, connectionRate: 0.8, mandatoryPoints: 10, reportingPoints: 9, pointConnectionRate: 0.9, online: 2, onlineRate: 0.6667 });
    expect(sut.byDistrict).toEqual([
      { regionCode: '320505', inScope: 3, connected: 3, connectionRate: 1, mandatoryPoints: 6, reportingPoints: 6, pointConnectionRate: 1, online: 2, onlineRate: 0.6667, unknownDustWorkers: 0 },
      { regionCode: '320506', inScope: 2, connected: 1, connectionRate: 0.5, mandatoryPoints: 4, reportingPoints: 3, pointConnectionRate: 0.75, online: 0, onlineRate: null, unknownDustWorkers: 0 },
    ]);
    expect(sut.byCategory.map((c) => [c.category, c.inScope, c.connected, c.connectionRate, c.onlineRate])).toEqual([
      ['aluminum_casting', 1, 0, 0, null],
      ['metal_dust', 2, 2, 1, 1],
      ['steel', 2, 2, 1, 0.5],
      ['wood_dust', 1, 1, 1, 1],
    ]);
    expect(sut.notConnected).toEqual([{ id: 'd', name: 'd', uscc: '91110108551385082Q', regionCode: '320506', riskCategories: ['aluminum_casting'], registered: true, mandatoryPoints: 2, reportingPoints: 1 }]);
  });

  it('an unknown dust-worker count is a data gap, shown apart, never counted as 0 workers', () => {
    const unknown = factory.enterprise({ id: 'u', regionCode: '320506', riskCategories: ['metal_dust'], dustWorkers: null });
    const sut = computeConnectionKpi('3205', '2025-12-31', [...enterprises, unknown]);
    expect(sut).toMatchObject({ inScope: 5, unknownDustWorkers: 1 });
    expect(sut.dataGaps).toEqual([{ id: 'u', name: 'u', uscc: '91110108551385082Q', regionCode: '320506', riskCategories: ['metal_dust'], gap: 'dust_workers_unknown' }]);
    expect(sut.byDistrict.find((d) => d.regionCode === '320506')).toMatchObject({ inScope: 2, unknownDustWorkers: 1 });
    expect(computeConnectionKpi('3205', '2024-12-30', [unknown])).toMatchObject({ unknownDustWorkers: 0, dataGaps: [] }); // no group due yet
  });
});
