import { auditEdges, ON_TIME_MS, type CommittedEdge, type Incidents } from './chaos-audit';

const edge = (kind: 'up' | 'clear', committedAt: number): CommittedEdge => ({ edge: kind, at: committedAt, committedAt });

describe('auditEdges', () => {
  // two windows of two incidents each on one point: ups sent at 0, 3 s (window 0) and 100, 103 s (window 1)
  const windows: Incidents[] = [
    { ups: [0, 3_000], clears: [1_500, 4_500] },
    { ups: [100_000, 103_000], clears: [101_500, 104_500] },
  ];

  it('tells on time from late, with how late, and counts a late transition for its own incident’s window', () => {
    // window 0's second incident is replayed after window 1 began (fault end at 5 s); window 1 is on time
    const edges = new Map([
      ['p', [edge('up', 200), edge('clear', 1_700), edge('up', 100_050), edge('clear', 100_060), edge('up', 100_100), edge('clear', 101_600), edge('up', 103_100), edge('clear', 104_600)]],
    ]);
    const first = auditEdges(edges, ['p'], windows, 0, 5_000);
    expect(first).toMatchObject({ expected: 4, committed: 4, missing: 0, duplicated: 0, outOfOrder: 0, onTime: 2, late: 2, lateMaxMs: 100_050 - 3_000, lateP50Ms: 100_060 - 4_500 });
    expect(first.replayMs).toBe(100_060 - 5_000);
    expect(auditEdges(edges, ['p'], windows, 1)).toMatchObject({ expected: 4, committed: 4, missing: 0, duplicated: 0, onTime: 4, late: 0 });
    expect(ON_TIME_MS).toBe(1_000);
  });

  it('reports never-committed transitions as missing, and extra or repeated edges as duplicated and out of order', () => {
    const lost = new Map([['p', [edge('up', 200), edge('clear', 1_700)]]]);
    expect(auditEdges(lost, ['p'], windows.slice(0, 1), 0)).toMatchObject({ missing: 2, committed: 2, late: 0 });
    const twice = new Map([['p', [edge('up', 200), edge('up', 300), edge('clear', 1_700), edge('up', 3_100), edge('clear', 4_600)]]]);
    expect(auditEdges(twice, ['p'], windows.slice(0, 1), 0)).toMatchObject({ duplicated: 1, outOfOrder: 1, missing: 0 });
  });
});
