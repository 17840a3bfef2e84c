import { MinHeap } from './min-heap';

describe(MinHeap.name, () => {
  it('pops items in key order', () => {
    const sut = new MinHeap<string>();
    const keys = [50, 10, 40, 10, 30, 20, 60, 0];
    keys.forEach((k) => sut.push(k, `k${k}`));
    expect(sut.peekKey()).toBe(0);
    const popped: string[] = [];
    while (sut.size > 0) popped.push(sut.pop()!);
    expect(popped).toEqual(['k0', 'k10', 'k10', 'k20', 'k30', 'k40', 'k50', 'k60']);
  });

  it('is empty with an infinite next key', () => {
    const sut = new MinHeap<number>();
    expect(sut.pop()).toBeUndefined();
    expect(sut.peekKey()).toBe(Number.POSITIVE_INFINITY);
  });

  it('stays ordered when keys are pushed back after popping (the run loop)', () => {
    const sut = new MinHeap<number>();
    for (let i = 0; i < 100; i++) sut.push((i * 37) % 100, i);
    let last = -1;
    for (let i = 0; i < 1_000; i++) {
      const key = sut.peekKey();
      expect(key).toBeGreaterThanOrEqual(last);
      last = key;
      const item = sut.pop()!;
      sut.push(key + 50 + (item % 7), item);
    }
  });
});
