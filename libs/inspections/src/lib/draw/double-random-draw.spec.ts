import { createHash } from 'node:crypto';
import { type DrawCandidate, type DrawInput, type DrawInspector, drawDoubleRandom, replayDraw } from './double-random-draw';
import { DRAW_ALGORITHM, SeededRandom } from './seeded-random';

const factory = {
  candidate: (n: number, over: Partial<DrawCandidate> = {}): DrawCandidate => ({
    enterpriseId: `e${n}`,
    name: `企业${n}`,
    regionCode: '320505',
    level: 'yellow',
    graded: true,
    weight: 2,
    lastInspectedOn: null,
    ...over,
  }),
  inspector: (n: number, over: Partial<DrawInspector> = {}): DrawInspector => ({ id: `i${n}`, name: `检查员${n}`, certificateNo: `JS-${n}`, active: true, relatedEnterpriseIds: [], ...over }),
  input: (over: Partial<DrawInput> = {}): DrawInput => ({
    seed: 'seed-1',
    day: '2026-12-04',
    n: 2,
    m: 2,
    excludeDays: 30,
    candidates: [1, 2, 3, 4, 5].map((n) => factory.candidate(n)),
    inspectors: [1, 2, 3, 4, 5, 6].map((n) => factory.inspector(n)),
    ...over,
  }),
};

function picks(input: DrawInput) {
  const out = drawDoubleRandom(input);
  if (!out.ok) throw new Error(out.reason);
  return out.result;
}

describe(SeededRandom.name, () => {
  it('is the documented SHA-256 counter stream: block 0 of "abc" read as four 53-bit numbers', () => {
    // sha256("abc:0") computed independently; its first 8 bytes → top 53 bits → (x + 0.5) / 2^53
    const sut = new SeededRandom('abc');
    const digest = createHash('sha256').update('abc:0').digest();
    const first = (Number(digest.readBigUInt64BE(0) >> 11n) + 0.5) / 2 ** 53;
    expect(sut.next()).toBe(first);
    const values = [sut.next(), sut.next(), sut.next(), sut.next()];
    expect(values.every((v) => v > 0 && v < 1)).toBe(true);
  });

  it('gives the same stream for the same seed and another for another seed', () => {
    const a = Array.from({ length: 10 }, ((r) => () => r.next())(new SeededRandom('x')));
    const b = Array.from({ length: 10 }, ((r) => () => r.next())(new SeededRandom('x')));
    const c = Array.from({ length: 10 }, ((r) => () => r.next())(new SeededRandom('y')));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });
});

describe(drawDoubleRandom.name, () => {
  // docs/domain.md "The closed loop": anyone can replay the draw from the recorded seed and list
  it('is reproducible from the seed and the stored list, and a replay confirms it', () => {
    const input = factory.input();
    const sut = picks(input);
    const again = picks(JSON.parse(JSON.stringify(input)) as DrawInput);
    expect(again).toEqual(sut);
    expect(sut.algorithm).toBe(DRAW_ALGORITHM);
    expect(sut.picks).toHaveLength(2);
    expect(replayDraw(input, sut).matches).toBe(true);
    const tampered = { ...sut, picks: [...sut.picks].reverse() };
    expect(replayDraw(input, tampered).matches).toBe(false);
  });

  it('draws without replacement and gives every team m distinct inspectors', () => {
    const sut = picks(factory.input({ n: 5, m: 2 }));
    expect(new Set(sut.picks.map((p) => p.enterpriseId)).size).toBe(5);
    for (const p of sut.picks) {
      expect(new Set(p.team).size).toBe(2);
      expect(p.shortfall).toBe(false);
    }
  });

  it('never draws an inspector for an enterprise they are related to, nor an inactive one', () => {
    const inspectors = [factory.inspector(1, { relatedEnterpriseIds: ['e1', 'e2'] }), factory.inspector(2, { active: false }), factory.inspector(3), factory.inspector(4), factory.inspector(5)];
    for (let s = 0; s < 300; s++) {
      const sut = picks(factory.input({ seed: `conflict-${s}`, n: 5, inspectors }));
      for (const p of sut.picks) {
        expect(p.team).not.toContain('i2');
        if (p.enterpriseId === 'e1' || p.enterpriseId === 'e2') expect(p.team).not.toContain('i1');
      }
    }
  });

  it('reports a shortfall when too few eligible inspectors are left', () => {
    const inspectors = [factory.inspector(1, { relatedEnterpriseIds: ['e1'] }), factory.inspector(2)];
    const sut = picks(factory.input({ candidates: [factory.candidate(1)], n: 1, inspectors }));
    expect(sut.picks[0]).toMatchObject({ enterpriseId: 'e1', team: ['i2'], shortfall: true });
  });

  it('leaves out enterprises inspected within the last K days', () => {
    const candidates = [
      factory.candidate(1, { lastInspectedOn: '2026-11-20' }), // 14 days before
      factory.candidate(2, { lastInspectedOn: '2026-11-04' }), // 30 days before: K = 30 keeps it
      factory.candidate(3),
    ];
    const sut = picks(factory.input({ candidates, n: 3 }));
    expect(sut.excluded).toEqual([{ enterpriseId: 'e1', reason: 'recently_inspected', lastInspectedOn: '2026-11-20' }]);
    expect(sut.picks.map((p) => p.enterpriseId).sort()).toEqual(['e2', 'e3']);
    expect(picks(factory.input({ candidates, n: 3, excludeDays: 0 })).picks).toHaveLength(3);
  });

  it('refuses a team of fewer than two and a candidate listed twice', () => {
    expect(drawDoubleRandom(factory.input({ m: 1 }))).toMatchObject({ ok: false, code: 'invalid_input' });
    expect(drawDoubleRandom(factory.input({ candidates: [factory.candidate(1), factory.candidate(1)] }))).toMatchObject({ ok: false, code: 'invalid_input' });
  });

  describe('frequencies over 10,000 seeded draws follow the weights', () => {
    // red 4, orange 3, yellow 2, blue 1 (docs/domain.md defaults)
    const weights = [4, 3, 2, 1];
    const candidates = weights.map((w, i) => factory.candidate(i + 1, { weight: w }));
    const RUNS = 10_000;
    // tolerance ±0.02 absolute: ≥ 4 standard deviations of a proportion over 10,000 runs (sd ≤ 0.005)
    const TOLERANCE = 0.02;

    function frequencies(n: number): number[] {
      const counts = new Array<number>(weights.length).fill(0);
      for (let s = 0; s < RUNS; s++) {
        for (const p of picks(factory.input({ seed: `freq-${n}-${s}`, n, candidates })).picks) counts[Number(p.enterpriseId.slice(1)) - 1]! += 1;
      }
      return counts.map((c) => c / RUNS);
    }

    it('N = 1: each enterprise is drawn with probability weight / Σ weights', () => {
      const total = weights.reduce((a, b) => a + b, 0);
      frequencies(1).forEach((f, i) => expect(Math.abs(f - weights[i]! / total)).toBeLessThan(TOLERANCE));
    });

    it('N = 2: inclusion probabilities of successive sampling without replacement', () => {
      // P(i in sample) = w_i/W + Σ_{j≠i} (w_j/W) · w_i/(W − w_j)
      const W = weights.reduce((a, b) => a + b, 0);
      const expected = weights.map((wi, i) => wi / W + weights.reduce((acc, wj, j) => (j === i ? acc : acc + (wj / W) * (wi / (W - wj))), 0));
      expect(expected.reduce((a, b) => a + b, 0)).toBeCloseTo(2, 10);
      frequencies(2).forEach((f, i) => expect(Math.abs(f - expected[i]!)).toBeLessThan(TOLERANCE));
    });
  });
});
