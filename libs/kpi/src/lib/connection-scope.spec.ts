import { inConnectionScope, isPaused, mustBeConnected, scopeVerdict, statusOn, type StatusChange } from './connection-scope';

const factory = {
  enterprise: (over: Partial<Parameters<typeof mustBeConnected>[0]> = {}) => ({
    riskCategories: ['metal_dust'],
    dustWorkers: 20,
    status: 'operating' as const,
    statusHistory: [] as StatusChange[],
    ...over,
  }),
};

describe(inConnectionScope.name, () => {
  // issue 14: docs/domain.md policy table "in scope as of (end of day)": a figure as of 2024-12-31 counts
  // the group due by the end of 2024, one as of 2025-12-31 the group due by the end of 2025.
  it('metal dust with 20 dust workers (due 2025年底前): out as of 2025-12-30, in as of 2025-12-31', () => {
    expect(mustBeConnected(factory.enterprise(), '2025-12-30')).toBe(false);
    expect(mustBeConnected(factory.enterprise(), '2025-12-31')).toBe(true);
  });

  it('metal dust with 30 dust workers (due 2024年底前): out as of 2024-12-30, in as of 2024-12-31', () => {
    const sut = factory.enterprise({ dustWorkers: 30 });
    expect(mustBeConnected(sut, '2024-12-30')).toBe(false);
    expect(mustBeConnected(sut, '2024-12-31')).toBe(true);
  });

  it('steel and deep-well casting: out as of 2025-12-30, in as of 2025-12-31, whatever the dust workers', () => {
    for (const c of ['steel', 'aluminum_casting']) {
      expect(scopeVerdict({ riskCategories: [c], dustWorkers: null, status: 'operating' }, '2025-12-30')).toBe('out');
      expect(scopeVerdict({ riskCategories: [c], dustWorkers: null, status: 'operating' }, '2025-12-31')).toBe('in');
    }
  });

  // docs/domain.md: an unknown dust-worker count is a data gap, never silently 0
  it('dust with an unknown worker count: a data gap from the day it could be in scope, never "out" as if 0', () => {
    const metal = { riskCategories: ['metal_dust'], dustWorkers: null, status: 'operating' as const };
    expect(scopeVerdict(metal, '2024-12-30')).toBe('out'); // no group due yet
    expect(scopeVerdict(metal, '2024-12-31')).toBe('unknown_dust_workers');
    expect(scopeVerdict(metal, '2025-12-31')).toBe('unknown_dust_workers');
    expect(inConnectionScope(metal, '2025-12-31')).toBe(false);
    expect(scopeVerdict({ ...metal, riskCategories: ['metal_dust', 'steel'] }, '2025-12-31')).toBe('in'); // steel decides
    expect(scopeVerdict({ ...metal, riskCategories: ['wood_dust'] }, '2025-12-31')).toBe('unknown_dust_workers');
    expect(scopeVerdict({ ...metal, riskCategories: ['other_dust'] }, '2025-12-31')).toBe('out');
  });

  it('a closed enterprise drops out on its closing date (and a correction recorded later wins)', () => {
    const sut = factory.enterprise({
      dustWorkers: 30,
      statusHistory: [
        { status: 'operating', effectiveDate: '2024-06-01', recordedAt: 1 },
        { status: 'closed', effectiveDate: '2025-07-01', recordedAt: 2 },
      ],
    });
    expect(mustBeConnected(sut, '2025-06-30')).toBe(true);
    expect(mustBeConnected(sut, '2025-07-01')).toBe(false);
  });
});

describe(isPaused.name, () => {
  // docs/domain.md: 停产 and 停业 stay in the scope but are left out of the online rate; 开业 and 在产 count
  it('停产 and 停业 are paused; 开业, 在产 and 关停 are not (关停 leaves the scope instead)', () => {
    expect((['opened', 'operating', 'suspended', 'out_of_business', 'closed'] as const).map(isPaused)).toEqual([false, false, true, true, false]);
    const sut = factory.enterprise({ dustWorkers: 30, statusHistory: [{ status: 'out_of_business', effectiveDate: '2025-02-01', recordedAt: 1 }] });
    expect(mustBeConnected(sut, '2025-06-30')).toBe(true);
    expect(mustBeConnected({ ...sut, statusHistory: [{ status: 'opened', effectiveDate: '2025-02-01', recordedAt: 1 }] }, '2025-06-30')).toBe(true);
  });
});

describe(statusOn.name, () => {
  it('before every change: the status recorded first; later: the latest recorded change effective on the day', () => {
    const history: StatusChange[] = [
      { status: 'operating', effectiveDate: '2025-11-28', recordedAt: 1 },
      { status: 'suspended', effectiveDate: '2025-03-01', recordedAt: 2 },
    ];
    expect(statusOn(history, '2025-01-01', 'closed')).toBe('operating');
    expect(statusOn(history, '2025-03-01', 'closed')).toBe('suspended');
    expect(statusOn(history, '2025-12-01', 'closed')).toBe('suspended'); // recorded later, earlier date: overrides
    expect(statusOn([], '2025-12-01', 'closed')).toBe('closed');
  });
});
