import { fullLedgerRecord } from '../testing/ledger.factory';
import { boundsOf, checkLedger, type CheckedRecord, QUALITY_CHECKS } from './ledger-quality.rule';

const SUZHOU = { regionCode: '3205', minLongitude: 119.9067, maxLongitude: 121.3433, minLatitude: 30.7733, maxLatitude: 32.0433 };
let serial = 0;
const factory = {
  /** a complete, in-scope, problem-free record (steel: in scope from 2026-01-01) */
  record: (over: Record<string, unknown> = {}): CheckedRecord => ({
    ...fullLedgerRecord({
      riskCategories: ['steel'],
      industry: 'metallurgy',
      processFlags: {},
      dustKinds: [],
      dustWorkers: null,
      standardizationRevokedOn: null,
      ...over,
    }),
    id: `e${++serial}`,
  }),
};
const listed = (records: CheckedRecord[], asOf = '2026-06-30') =>
  Object.fromEntries(checkLedger(records, asOf, [SUZHOU]).map((l) => [l.check, l.items.map((i) => `${i.name}: ${i.detail}`)]));

describe('ledger data-quality checks', () => {
  it('a complete record has no problem; every check answers a list and its count', () => {
    const sut = checkLedger([factory.record()], '2026-06-30', [SUZHOU]);
    expect(sut.map((l) => [l.check, l.count])).toEqual(QUALITY_CHECKS.map((c) => [c, 0]));
  });

  it('missing mandatory fields: only enterprises in the connection scope on the day', () => {
    const sut = listed([
      factory.record({ name: 'A', address: null, actualControllerName: null, actualControllerPhone: null }),
      factory.record({ name: 'B', riskCategories: ['confined_space'], address: null }), // never in scope
      factory.record({ name: 'C', riskCategories: ['metal_dust'], dustWorkers: 40, dustKinds: [] }),
    ]);
    expect(sut['missing_fields']).toEqual(['A: 缺少：详细地址、实际控制人', 'C: 缺少：粉尘种类']);
    // docs/domain.md: steel is in scope from 2026-01-01, so on 2025-06-30 A is not checked
    expect(listed([factory.record({ name: 'A', address: null })], '2025-06-30')['missing_fields']).toEqual([]);
  });

  it('unknown dust workers: every dust enterprise without a count, in scope or not (docs/domain.md: a data gap, never 0)', () => {
    const sut = listed([
      factory.record({ name: 'W', riskCategories: ['wood_dust'], dustKinds: ['木粉'], dustWorkers: null }),
      factory.record({ name: 'O', riskCategories: ['other_dust'], dustKinds: ['淀粉'], dustWorkers: 0 }),
      factory.record({ name: 'S', dustWorkers: null }),
    ]);
    expect(sut['unknown_dust_workers']).toEqual(['W: 涉粉企业未填涉粉作业人数，无法判定是否纳入接入范围']);
  });

  it('standardization: expired before the day, or revoked on or before it', () => {
    const sut = listed([
      factory.record({ name: 'E', standardizationValidUntil: '2026-06-29' }),
      factory.record({ name: 'V', standardizationValidUntil: '2026-06-30' }),
      factory.record({ name: 'R', standardizationRevokedOn: '2026-05-01' }),
      factory.record({ name: 'F', standardizationRevokedOn: '2026-07-01' }),
    ]);
    expect(sut['standardization_expired']).toEqual(['E: 标准化有效期至 2026-06-29，已过期', 'R: 标准化等级已于 2026-05-01 撤销']);
  });

  it('deep-well casting with a fixed furnace or a wire-rope caster (判定标准 第五条 items to verify)', () => {
    const sut = listed([
      factory.record({ name: 'F', riskCategories: ['aluminum_casting'], processFlags: { deepWellCasting: true, castingFurnace: 'fixed' } }),
      factory.record({ name: 'W', riskCategories: ['aluminum_casting'], processFlags: { deepWellCasting: true, castingFurnace: 'tilting', wireRopeCaster: true } }),
      factory.record({ name: 'T', riskCategories: ['aluminum_casting'], processFlags: { deepWellCasting: true, castingFurnace: 'tilting' } }),
    ]);
    expect(sut['banned_casting_equipment']).toEqual([expect.stringMatching(/^F: 固定式浇铸炉/), expect.stringMatching(/^W: 钢丝绳卷扬铸造机.*钢芯钢丝绳/)]);
  });

  it('coordinates outside the box of the longest matching region prefix; regions without a box are not checked', () => {
    const sut = listed([
      factory.record({ name: 'In', longitude: 120.6, latitude: 31.3 }),
      factory.record({ name: 'Out', longitude: 118.78, latitude: 32.04, coordSystem: 'wgs84' }), // 南京
      factory.record({ name: 'Elsewhere', regionCode: '110105', longitude: 121.5, latitude: 31.2 }),
      factory.record({ name: 'None', longitude: null, latitude: null, coordSystem: null }),
    ]);
    expect(sut['coordinates_outside']).toEqual(['Out: 坐标 118.78, 32.04（WGS-84）不在 3205 范围内']);
    const county = { ...SUZHOU, regionCode: '320506', minLongitude: 120.2, maxLongitude: 120.9 };
    expect(boundsOf('320506', [SUZHOU, county])).toBe(county);
    expect(boundsOf('320505', [SUZHOU, county])).toBe(SUZHOU);
  });

  it('closed enterprises are left out of every list', () => {
    const sut = checkLedger([factory.record({ status: 'closed', address: null, longitude: 100, latitude: 30 })], '2026-06-30', [SUZHOU]);
    expect(sut.every((l) => l.count === 0)).toBe(true);
  });
});
