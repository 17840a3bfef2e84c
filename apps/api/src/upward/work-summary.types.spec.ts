import { previousHalfYear } from './work-summary.service';
import { type SummaryFigures, summarySections } from './work-summary.types';

const figures = (over: Partial<SummaryFigures> = {}): SummaryFigures => ({
  regionCode: '320505',
  from: '2026-07-01',
  to: '2026-12-31',
  kpiReport: { version: 2, generatedAt: '2026-12-01T02:00:00.000Z' },
  ledger: { enterprises: 10, byStatus: { operating: 9, closed: 1 }, riskDay: '2026-11-30', riskLevels: { red: 1, orange: 2, yellow: 3, blue: 2 }, ungraded: 1 },
  connection: { asOf: '2026-12-01', inScope: 8, connected: 6, rate: 0.75, previousRate: 0.5, previousVersion: 1, change: 0.25, pointConnectionRate: 0.8, onlineRate: 0.9, notConnected: 2 },
  alarms: { raised: 4, byTier: { red: 1, orange: 1, yellow: 2, blue: 0 }, disposed: 3, disposalRate: 0.75, tiered: 4, timelyAckRate: 0.5, timelyDisposalRate: 0.25 },
  hazards: { reported: 3, bySource: { inspection: 2, report: 1 }, confirmed: 2, signedOff: 1, clearanceRate: 0.5, open: 1, overdue: 0 },
  inspections: { available: true, total: 3, byMode: { double_random: 2, special: 1 } },
  reports: { received: 2, substantiated: 1, unfounded: 1, open: 0, unattributed: 0 },
  ...over,
});

describe(summarySections.name, () => {
  // docs/domain.md "The closed loop" (Upward): the plan's tasks with the period's figures
  it('writes six sections with the figures and the narratives', () => {
    const sut = summarySections(figures(), { hazards: '已开展专项排查' });
    expect(sut.map((s) => s.key)).toEqual(['ledger', 'monitoring', 'alarms', 'hazards', 'enforcement', 'reports']);
    const rows = (key: string) => sut.find((s) => s.key === key)?.rows;
    expect(rows('monitoring')).toContainEqual(['接入率（期末）', '75.00%（6 / 8 家，截至 2026-12-01）']);
    expect(rows('monitoring')).toContainEqual(['较上半年', '+25.00 个百分点（上期 50.00%）']);
    expect(rows('alarms')).toContainEqual(['红色（一级）报警', '1 条']);
    expect(rows('hazards')).toContainEqual(['动态清零率', '50.00%']);
    expect(rows('enforcement')).toContainEqual(['双随机', '2 次']);
    expect(rows('ledger')).toContainEqual(['风险等级 红（重大风险）', '1 家']);
    expect(sut.find((s) => s.key === 'hazards')?.narrative).toBe('已开展专项排查');
  });

  it('says so when inspections or the alarms by tier are not available', () => {
    const sut = summarySections(figures({ inspections: { available: false, total: 0, byMode: {} }, alarms: { ...figures().alarms, byTier: null } }), {});
    expect(sut.find((s) => s.key === 'enforcement')).toMatchObject({ rows: [], note: '执法检查数据暂不可用（平台尚未启用执法检查模块）。' });
    expect(sut.find((s) => s.key === 'alarms')?.rows).toContainEqual(['红色（一级）报警', '—']);
  });
});

describe(previousHalfYear.name, () => {
  it('names the half year before', () => {
    expect(previousHalfYear('2026-01-01')).toEqual({ from: '2025-07-01', to: '2025-12-31' });
    expect(previousHalfYear('2026-07-01')).toEqual({ from: '2026-01-01', to: '2026-06-30' });
  });
});
