import { fairShare, planLeases, type LeaseView } from './lease-plan.factory';

const view = (members: number[], holders: [number, number][] = []): LeaseView => ({ members, holders: new Map(holders) });
const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

describe('fairShare', () => {
  it('gives a lone instance every partition', () => {
    expect(fairShare(view([0]), 16, 0)).toBe(16);
  });

  it('splits P among n instances so that the shares add up to P, the first P mod n by slot taking one more', () => {
    const members = [2, 5, 9];
    const shares = members.map((s) => fairShare(view(members), 16, s));
    expect(shares).toEqual([6, 5, 5]);
    expect(shares.reduce((a, b) => a + b)).toBe(16);
  });

  it('counts an instance not yet seen as a member as the first (it has just joined)', () => {
    expect(fairShare(view([]), 16, 3)).toBe(16);
  });
});

describe('planLeases', () => {
  it('takes the lowest free partitions up to the fair share when alone', () => {
    expect(planLeases(view([0]), 4, 100, 0, new Set())).toEqual({ gone: [], handOver: [], take: [0, 1, 2, 3] });
  });

  it('hands the highest extras over when a second instance joins', () => {
    const holders = range(0, 16).map((p): [number, number] => [p, 100]);
    const plan = planLeases(view([0, 1], holders), 16, 100, 0, new Set(range(0, 16)));
    expect(plan).toEqual({ gone: [], handOver: range(8, 16), take: [] });
  });

  it('lets the newcomer take only what is free, never what another instance still holds', () => {
    const holders = range(0, 12).map((p): [number, number] => [p, 100]);
    expect(planLeases(view([0, 1], holders), 16, 200, 1, new Set()).take).toEqual([12, 13, 14, 15]);
  });

  it('takes the partitions of an instance that died (its locks are gone) up to the new share', () => {
    const holders = range(0, 8).map((p): [number, number] => [p, 100]);
    expect(planLeases(view([0], holders), 16, 100, 0, new Set(range(0, 8))).take).toEqual(range(8, 16));
  });

  it('reports partitions it believed were its own but another backend holds (its lease session was replaced)', () => {
    const plan = planLeases(view([0], [[0, 100], [1, 300]]), 2, 100, 0, new Set([0, 1]));
    expect(plan.gone).toEqual([1]);
    expect(plan.take).toEqual([]);
  });

  it('does nothing once balanced', () => {
    const holders: [number, number][] = [...range(0, 8).map((p): [number, number] => [p, 100]), ...range(8, 16).map((p): [number, number] => [p, 200])];
    expect(planLeases(view([0, 1], holders), 16, 200, 1, new Set(range(8, 16)))).toEqual({ gone: [], handOver: [], take: [] });
  });
});
