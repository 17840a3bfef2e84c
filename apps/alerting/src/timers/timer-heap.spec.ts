import { TimerHeap } from './timer-heap';

function drain(sut: TimerHeap<string>, now = Infinity): string[] {
  const out: string[] = [];
  for (let e = sut.popDue(now); e; e = sut.popDue(now)) out.push(e.key);
  return out;
}

describe(TimerHeap.name, () => {
  it('pops keys in deadline order, only those due', () => {
    const sut = new TimerHeap<string>();
    sut.set('c', 30);
    sut.set('a', 10);
    sut.set('b', 20);
    expect(sut.peekAt()).toBe(10);
    expect(drain(sut, 20)).toEqual(['a', 'b']);
    expect(sut.size).toBe(1);
    expect(sut.popDue(29)).toBeUndefined();
    expect(sut.popDue(30)).toEqual({ key: 'c', at: 30 });
    expect(sut.peekAt()).toBe(Infinity);
  });

  it('keeps one entry per key: moving a deadline earlier or later reorders in place', () => {
    const sut = new TimerHeap<string>();
    for (const [k, at] of [['a', 10], ['b', 20], ['c', 30]] as const) sut.set(k, at);
    sut.set('c', 5);
    sut.set('a', 40);
    expect(sut.size).toBe(3);
    expect(sut.get('a')).toBe(40);
    expect(drain(sut)).toEqual(['c', 'b', 'a']);
  });

  it('deletes any key, keeping the rest ordered', () => {
    const sut = new TimerHeap<string>();
    for (let i = 0; i < 10; i++) sut.set(`k${i}`, i);
    expect(sut.delete('k0')).toBe(true);
    expect(sut.delete('k5')).toBe(true);
    expect(sut.delete('k5')).toBe(false);
    expect(sut.get('k5')).toBeUndefined();
    expect(drain(sut)).toEqual(['k1', 'k2', 'k3', 'k4', 'k6', 'k7', 'k8', 'k9']);
  });

  it('stays a valid heap under many random sets and deletes (compared with a sort)', () => {
    const sut = new TimerHeap<number>();
    const model = new Map<number, number>();
    let seed = 42;
    const rand = (n: number): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % n;
    for (let i = 0; i < 5_000; i++) {
      const key = rand(500);
      if (rand(4) === 0) {
        sut.delete(key);
        model.delete(key);
      } else {
        const at = rand(1_000_000);
        sut.set(key, at);
        model.set(key, at);
      }
    }
    const popped: number[] = [];
    for (let e = sut.popDue(Infinity); e; e = sut.popDue(Infinity)) popped.push(e.at);
    expect(popped).toEqual([...model.values()].sort((a, b) => a - b));
  });
});
