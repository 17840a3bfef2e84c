import type { LedgerRecord } from '@sw/persistence';
import { diffLedger, type SnapshotRecord } from './ledger-diff.rule';

const record = (id: string, over: Partial<LedgerRecord> = {}): SnapshotRecord =>
  ({
    id,
    name: `企业${id}`,
    uscc: `USCC${id}`,
    regionCode: '320505',
    riskCategories: ['metal_dust'],
    status: 'operating',
    statusSince: '2025-01-01',
    statusReason: null,
    dustWorkers: 12,
    employees: 80,
    processes: [],
    keyEquipment: [],
    dustKinds: [],
    threeSimultaneity: [],
    processFlags: undefined,
    ...over,
  }) as unknown as SnapshotRecord;

describe(diffLedger.name, () => {
  const previous = { snapshotId: 's1', asOf: '2026-06-01', submittedAt: '2026-06-02T00:00:00.000Z', records: [record('a'), record('b'), record('c'), record('d')] };

  // docs/domain.md "The closed loop" (Upward): what changed since the last submission
  it('lists added, closed, removed and changed enterprises with old and new values', () => {
    const sut = diffLedger(previous, [
      record('a'),
      record('b', { status: 'closed', statusSince: '2026-09-01', statusReason: '关停取缔' }),
      record('c', { employees: 95, dustWorkers: 31 }),
      record('e'),
    ]);
    expect(sut.previous).toEqual({ snapshotId: 's1', asOf: '2026-06-01', submittedAt: '2026-06-02T00:00:00.000Z' });
    expect(sut.added.map((e) => e.id)).toEqual(['e']);
    expect(sut.closed).toEqual([{ id: 'b', uscc: 'USCCb', name: '企业b', regionCode: '320505', statusSince: '2026-09-01' }]);
    expect(sut.removed.map((e) => e.id)).toEqual(['d']);
    expect(sut.changed).toEqual([
      {
        id: 'c',
        uscc: 'USCCc',
        name: '企业c',
        regionCode: '320505',
        fields: [
          { field: 'employees', label: '从业人数', old: '80', new: '95' },
          { field: 'dustWorkers', label: '涉粉作业人数', old: '12', new: '31' },
        ],
      },
    ]);
  });

  it('counts every enterprise as added on a first submission', () => {
    const sut = diffLedger(null, [record('a'), record('b')]);
    expect(sut.previous).toBeNull();
    expect(sut.added).toHaveLength(2);
    expect([...sut.closed, ...sut.removed, ...sut.changed]).toHaveLength(0);
  });

  it('reports a suspension as a changed status, not as closed', () => {
    const sut = diffLedger(previous, previous.records.map((r) => (r.id === 'a' ? { ...r, status: 'suspended' as const, statusSince: '2026-08-01' } : r)));
    expect(sut.closed).toHaveLength(0);
    expect(sut.changed[0]?.fields).toEqual([
      { field: 'status', label: '经营状态', old: '在产', new: '停产' },
      { field: 'statusSince', label: '状态生效日期', old: '2025-01-01', new: '2026-08-01' },
    ]);
  });
});
