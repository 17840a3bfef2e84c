import { inConnectionScope, isPaused, mustBeConnected, statusOn, type StatusChange } from './connection-scope';

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
  // issue 6 acceptance: scope at the boundary dates (DOMAIN.md policy table)
  it('metal dust with 20 dust workers: out on 2025-12-31, in on 2026-01-01', () => {
    expect(mustBeConnected(factory.enterprise(), '2025-12-31')).toBe(false);
    expect(mustBeConnected(factory.enterprise(), '2026-01-01')).toBe(true);
  });

  it('metal dust with 30 dust workers: in from 2025-01-01', () => {
    const sut = factory.enterprise({ dustWorkers: 30 });
    expect(mustBeConnected(sut, '2024-12-31')).toBe(false);
    expect(mustBeConnected(sut, '2025-01-01')).toBe(true);
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
  // DOMAIN.md: 停产 and 停业 stay in the scope but are left out of the online rate; 开业 and 在产 count
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
