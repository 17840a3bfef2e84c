import { historySeries, partText, type RiskGrade } from './risk-grade';

const grade = (day: string, level: RiskGrade['level'], score: number): RiskGrade => ({ enterpriseId: 'e', day, level, score, parts: [], standardizationVeto: false, computedAt: '' });

describe('risk grade helpers', () => {
  it('writes a part as its contribution to the score', () => {
    expect(partText({ key: 'inherent', label: '固有风险', value: 50, points: 50, weight: 0.3, detail: '' })).toBe('50 分 × 0.3 = 15');
  });

  it('orders the history by day and ranks the levels blue 1 … red 4', () => {
    expect(historySeries([grade('2026-06-02', 'orange', 40), grade('2026-06-01', 'blue', 10), grade('2026-06-03', 'red', 60)])).toEqual([
      { day: '2026-06-01', rank: 1, level: 'blue', score: 10 },
      { day: '2026-06-02', rank: 3, level: 'orange', score: 40 },
      { day: '2026-06-03', rank: 4, level: 'red', score: 60 },
    ]);
  });
});
