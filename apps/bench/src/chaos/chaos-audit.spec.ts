import { auditEdges, incidentOf, incidentValue, MAX_INCIDENTS, ON_TIME_MS, type CommittedEdge, type Edge, type Incidents } from './chaos-audit';

// an edge answering the pass's n-th incident (its value names it), committed at `committedAt`
const edge = (kind: Edge, n: number, committedAt: number): CommittedEdge => ({ edge: kind, at: committedAt, committedAt, value: incidentValue(kind, n) });

describe('auditEdges', () => {
  // two windows of two incidents each on one point: ups sent at 0, 3 s (window 0: incidents 0, 1) and 100, 103 s (window 1: incidents 2, 3)
  const windows: Incidents[] = [
    { ups: [0, 3_000], clears: [1_500, 4_500] },
    { ups: [100_000, 103_000], clears: [101_500, 104_500] },
  ];

  it('tells on time from late, with how late, and counts a late transition for its own incident’s window', () => {
    // window 0's second incident is replayed after window 1 began (fault end at 5 s); window 1 is on time
    const edges = new Map([
      ['p', [edge('up', 0, 200), edge('clear', 0, 1_700), edge('up', 1, 100_050), edge('clear', 1, 100_060), edge('up', 2, 100_100), edge('clear', 2, 101_600), edge('up', 3, 103_100), edge('clear', 3, 104_600)]],
    ]);
    const first = auditEdges(edges, ['p'], windows, 0, 5_000);
    expect(first).toMatchObject({ expected: 4, committed: 4, missing: 0, duplicated: 0, outOfOrder: 0, onTime: 2, late: 2, lateMaxMs: 100_050 - 3_000, lateP50Ms: 100_060 - 4_500 });
    expect(first.replayMs).toBe(100_060 - 5_000);
    expect(auditEdges(edges, ['p'], windows, 1)).toMatchObject({ expected: 4, committed: 4, missing: 0, duplicated: 0, onTime: 4, late: 0 });
    expect(ON_TIME_MS).toBe(1_000);
  });

  it('reports never-committed transitions as missing, and extra or repeated edges as duplicated and out of order', () => {
    const lost = new Map([['p', [edge('up', 0, 200), edge('clear', 0, 1_700)]]]);
    expect(auditEdges(lost, ['p'], windows.slice(0, 1), 0)).toMatchObject({ missing: 2, committed: 2, late: 0 });
    const twice = new Map([['p', [edge('up', 0, 200), edge('up', 0, 300), edge('clear', 0, 1_700), edge('up', 1, 3_100), edge('clear', 1, 4_600)]]]);
    expect(auditEdges(twice, ['p'], windows.slice(0, 1), 0)).toMatchObject({ duplicated: 1, outOfOrder: 1, missing: 0 });
    const beyond = new Map([['p', [edge('up', 0, 200), edge('clear', 0, 1_700), edge('up', 1, 3_100), edge('clear', 1, 4_600), edge('up', 2, 6_100)]]]);
    expect(auditEdges(beyond, ['p'], windows.slice(0, 1), 0)).toMatchObject({ committed: 5, duplicated: 1, missing: 0 });
  });

  it('keeps an incident lost in one window missing there, not in the next window (chaos: restart-broker, then kill-alerting-2of2)', () => {
    // window 0 lost its second incident (sent while the broker restarted); window 1 lost nothing
    const edges = new Map([['p', [edge('up', 0, 200), edge('clear', 0, 1_700), edge('up', 2, 100_100), edge('clear', 2, 101_600), edge('up', 3, 103_100), edge('clear', 3, 104_600)]]]);
    expect(auditEdges(edges, ['p'], windows, 0)).toMatchObject({ expected: 4, committed: 2, missing: 2, late: 0 });
    expect(auditEdges(edges, ['p'], windows, 1)).toMatchObject({ expected: 4, committed: 4, missing: 0, duplicated: 0, outOfOrder: 0, onTime: 4, late: 0 });
  });
});

describe('incident values', () => {
  it('names each incident of a pass with a value of its own, in the red tier (up) and far below it (clear)', () => {
    expect(incidentValue('up', 0)).toBe(200);
    expect(incidentValue('clear', 0)).toBe(5);
    expect(incidentValue('up', 37)).toBe(200.0037);
    expect(incidentValue('clear', MAX_INCIDENTS - 1)).toBe(5.9999);
    for (const n of [0, 1, 37, 500, 4_321, MAX_INCIDENTS - 1]) for (const kind of ['up', 'clear'] as const) expect(incidentOf(kind, incidentValue(kind, n))).toBe(n);
    expect(() => incidentValue('up', MAX_INCIDENTS)).toThrow();
  });

  it('names no incident for a value the crossing never sends', () => {
    expect(incidentOf('up', null)).toBeNull();
    expect(incidentOf('up', 5)).toBeNull();
    expect(incidentOf('clear', 200.0004)).toBeNull();
    expect(incidentOf('up', 200.00005)).toBeNull();
    expect(incidentOf('up', 150)).toBeNull();
  });
});
