import { DueSchedule } from './due-schedule';

const T0 = 1_000_000;

function due(sut: DueSchedule, now: number): number[] {
  const out = new Int32Array(sut.size);
  return Array.from(out.subarray(0, sut.collect(now, out)));
}

describe(DueSchedule.name, () => {
  it('puts points whose intervals divide each other into the same ticks', () => {
    const sut = new DueSchedule([5_000, 10_000, 30_000], T0);
    expect(due(sut, T0)).toEqual([0, 1, 2]);
    expect(sut.nextDueAt()).toBe(T0 + 5_000);
    expect(due(sut, T0 + 5_000)).toEqual([0]);
    expect(due(sut, T0 + 10_000)).toEqual([0, 1]);
    expect(due(sut, T0 + 15_000)).toEqual([0]);
    expect(due(sut, T0 + 20_000)).toEqual([0, 1]);
    expect(due(sut, T0 + 25_000)).toEqual([0]);
    expect(due(sut, T0 + 30_000)).toEqual([0, 1, 2]);
  });

  it('reports nothing before the next due time', () => {
    const sut = new DueSchedule([5_000], T0);
    due(sut, T0);
    expect(due(sut, T0 + 4_999)).toEqual([]);
    expect(sut.nextDueAt()).toBe(T0 + 5_000);
  });

  it('skips missed slots after a stall instead of bursting, keeping the phase', () => {
    const sut = new DueSchedule([5_000], T0);
    due(sut, T0);
    expect(due(sut, T0 + 23_000)).toEqual([0]);
    expect(sut.nextDueAt()).toBe(T0 + 25_000);
  });

  it('refuses non-positive intervals', () => {
    expect(() => new DueSchedule([0], T0)).toThrow(RangeError);
  });
});
