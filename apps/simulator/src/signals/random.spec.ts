import { Random, seedOf } from './random';

describe(Random.name, () => {
  it('repeats its sequence for a seed', () => {
    const a = new Random(42);
    const b = new Random(42);
    expect(Array.from({ length: 5 }, () => a.next())).toEqual(Array.from({ length: 5 }, () => b.next()));
  });

  it('draws uniform values in [0, 1)', () => {
    const sut = new Random(7);
    const draws = Array.from({ length: 10_000 }, () => sut.next());
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    expect(draws.reduce((s, x) => s + x, 0) / draws.length).toBeCloseTo(0.5, 1);
  });

  it('draws standard normal values', () => {
    const sut = new Random(1);
    const draws = Array.from({ length: 20_000 }, () => sut.gaussian());
    const mean = draws.reduce((s, x) => s + x, 0) / draws.length;
    const sd = Math.sqrt(draws.reduce((s, x) => s + (x - mean) ** 2, 0) / draws.length);
    expect(mean).toBeCloseTo(0, 1);
    expect(sd).toBeCloseTo(1, 1);
  });
});

describe(seedOf.name, () => {
  it('is stable and tells codes apart', () => {
    expect(seedOf('HSG-GAS-01/CO-01')).toBe(seedOf('HSG-GAS-01/CO-01'));
    expect(seedOf('HSG-GAS-01/CO-01')).not.toBe(seedOf('HSG-GAS-01/CO-02'));
  });
});
