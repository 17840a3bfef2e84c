import { DEFAULT_GRADING_CONFIG, DEFAULT_THRESHOLDS } from './grading.constants';
import { alarmLate, gradeEnterprise, levelOf } from './grade.rule';
import { parseGradingConfig } from './grading-config';
import type { Grade, GradePartKey, GradingInput } from './grading.types';

const MIN = 60_000;
const DAY = 86_400_000;
const asOf = Date.parse('2026-06-10T16:00:00Z'); // 2026-06-11 00:00 Asia/Shanghai

/** A well-run steel works: the baseline every other case changes one thing of. */
const steelWorks = (over: Partial<GradingInput> = {}): GradingInput => ({
  riskCategories: ['steel'],
  dustWorkers: null,
  deepWellCasting: false,
  openMajorHazards: 0,
  overdueMajorHazards: 0,
  alarms: [],
  onlineRate: 0.98,
  standardizationGrade: 'level_2',
  ...over,
});

const points = (g: Grade) => Object.fromEntries(g.parts.map((p) => [p.key, p.points])) as Record<GradePartKey, number>;
const changedParts = (a: Grade, b: Grade) => a.parts.filter((p, i) => JSON.stringify(p) !== JSON.stringify(b.parts[i])).map((p) => p.key);

describe('gradeEnterprise', () => {
  // docs/domain.md "The closed loop": a transparent score, each part with value, points and weight
  it('scores a well-run steel works blue (hand-computed)', () => {
    const sut = gradeEnterprise(steelWorks(), asOf);
    // inherent: steel 50 → 50 × 0.3 = 15
    // hazards: none → 0; alarms: none → 0
    // online: (1 − 0.98) × 100 = 2 → 2 × 0.1 = 0.2
    // standardization: level_2 25 → 25 × 0.1 = 2.5
    // score 15 + 0.2 + 2.5 = 17.7 < 20 → blue
    expect(points(sut)).toEqual({ inherent: 50, hazards: 0, alarms: 0, online: 2, standardization: 25 });
    expect([sut.score, sut.level, sut.standardizationVeto]).toEqual([17.7, 'blue', false]);
    expect(sut.parts.map((p) => [p.key, p.label, p.weight])).toEqual([
      ['inherent', '固有风险', 0.3],
      ['hazards', '重大事故隐患', 0.3],
      ['alarms', '报警（近30天）', 0.2],
      ['online', '在线率（近30天）', 0.1],
      ['standardization', '安全生产标准化', 0.1],
    ]);
  });

  it('scores a deep-well casting shop with an overdue hazard and badly handled alarms red (hand-computed)', () => {
    const sut = gradeEnterprise(
      {
        riskCategories: ['aluminum_casting'],
        dustWorkers: null,
        deepWellCasting: true,
        openMajorHazards: 1,
        overdueMajorHazards: 1,
        alarms: [
          { tier: 'red', raisedAt: asOf - 5 * DAY, ackedAt: asOf - 5 * DAY + 3 * MIN }, // in time: 10
          { tier: 'red', raisedAt: asOf - 2 * DAY, ackedAt: null }, // never: 20
          { tier: 'orange', raisedAt: asOf - DAY, ackedAt: asOf - DAY + 20 * MIN }, // after 15 min: 10
          { tier: 'orange', raisedAt: asOf - MIN, ackedAt: null }, // still within 15 min: 5
        ],
        onlineRate: 0.9,
        standardizationGrade: 'level_3',
      },
      asOf,
    );
    // inherent: aluminum_casting 50 + 深井铸造 30 = 80 → 80 × 0.3 = 24
    // hazards: 1 open × 50 + 1 overdue × 50 = 100 → 100 × 0.3 = 30
    // alarms: 10 + 20 + 10 + 5 = 45 → 45 × 0.2 = 9
    // online: (1 − 0.9) × 100 = 10 → 10 × 0.1 = 1
    // standardization: level_3, but vetoed (open hazard) → 100 → 100 × 0.1 = 10
    // score 24 + 30 + 9 + 1 + 10 = 74 ≥ 55 → red
    expect(points(sut)).toEqual({ inherent: 80, hazards: 100, alarms: 45, online: 10, standardization: 100 });
    expect([sut.score, sut.level, sut.standardizationVeto]).toEqual([74, 'red', true]);
    expect(sut.parts.find((p) => p.key === 'alarms')).toMatchObject({ value: 4, detail: '红色 2 次，橙色 2 次，其中未及时确认 2 次' });
    expect(sut.parts.find((p) => p.key === 'standardization')).toMatchObject({ value: 'level_3', detail: '标准化三级，存在重大事故隐患，一票否决' });
  });

  it('scores a large metal-dust shop that is not connected orange (hand-computed)', () => {
    const sut = gradeEnterprise(steelWorks({ riskCategories: ['metal_dust', 'wood_dust'], dustWorkers: 120, onlineRate: null, standardizationGrade: 'small_micro' }), asOf);
    // inherent: max(metal_dust 40, wood_dust 30) = 40 + ≥ 100 dust workers 30 = 70 → 70 × 0.3 = 21
    // online: not connected → 100 → 100 × 0.1 = 10
    // standardization: small_micro 75 → 75 × 0.1 = 7.5
    // score 21 + 10 + 7.5 = 38.5 ≥ 35 → orange
    expect(points(sut)).toEqual({ inherent: 70, hazards: 0, alarms: 0, online: 100, standardization: 75 });
    expect([sut.score, sut.level]).toEqual([38.5, 'orange']);
    expect(sut.parts.find((p) => p.key === 'online')).toMatchObject({ value: null, detail: '未接入，无在线数据' });
  });

  it('counts an unknown dust-worker count as the 30-worker step, never 0 (hand-computed)', () => {
    const sut = gradeEnterprise(steelWorks({ riskCategories: ['wood_dust'], dustWorkers: null, onlineRate: 1, standardizationGrade: null }), asOf);
    // inherent: wood_dust 30 + unknown 20 = 50 → 15; online 0; standardization none 100 → 10; score 25 → yellow
    expect([points(sut).inherent, sut.score, sut.level]).toEqual([50, 25, 'yellow']);
    expect(sut.parts[0]?.detail).toBe('行业类别 30，涉粉作业人数未知 +20');
  });

  describe('one input changes only its named part', () => {
    const base = gradeEnterprise(steelWorks({ standardizationGrade: null }), asOf);
    const cases: [string, Partial<GradingInput>, GradePartKey][] = [
      ['risk categories', { riskCategories: ['ammonia_refrigeration', 'confined_space'] }, 'inherent'],
      ['dust workers (with a dust category)', { riskCategories: ['steel', 'metal_dust'] }, 'inherent'],
      ['deep-well casting', { deepWellCasting: true }, 'inherent'],
      ['open major hazards', { openMajorHazards: 1 }, 'hazards'],
      ['overdue major hazards', { openMajorHazards: 1, overdueMajorHazards: 1 }, 'hazards'],
      ['alarms', { alarms: [{ tier: 'orange', raisedAt: asOf - DAY, ackedAt: null }] }, 'alarms'],
      ['online rate', { onlineRate: 0.5 }, 'online'],
      ['standardization grade', { standardizationGrade: 'level_1' }, 'standardization'],
    ];
    it.each(cases)('%s → %j', (_name, change, part) => {
      const sut = gradeEnterprise(steelWorks({ standardizationGrade: null, ...change }), asOf);
      expect(changedParts(sut, base)).toEqual([part]);
      expect(sut.score).not.toBe(base.score);
    });

    it('the dust-worker count alone moves the inherent part', () => {
      const few = gradeEnterprise(steelWorks({ riskCategories: ['metal_dust'], dustWorkers: 9 }), asOf);
      const many = gradeEnterprise(steelWorks({ riskCategories: ['metal_dust'], dustWorkers: 30 }), asOf);
      expect(changedParts(many, few)).toEqual(['inherent']);
      expect([points(few).inherent, points(many).inherent]).toEqual([40, 60]);
    });

    // docs/domain.md: an open major hazard vetoes the standardization incentives (一票否决)
    it('an open major hazard also voids a valid standardization credit (the veto), and nothing else', () => {
      const graded = gradeEnterprise(steelWorks(), asOf);
      const vetoed = gradeEnterprise(steelWorks({ openMajorHazards: 1 }), asOf);
      expect(changedParts(vetoed, graded)).toEqual(['hazards', 'standardization']);
      expect([graded.standardizationVeto, vetoed.standardizationVeto]).toEqual([false, true]);
      // 17.7 + hazards 50 × 0.3 = 15 + standardization (100 − 25) × 0.1 = 7.5 → 40.2, orange
      expect([vetoed.score, vetoed.level]).toEqual([40.2, 'orange']);
    });
  });

  describe('level boundaries', () => {
    it.each([
      [55, 'red'],
      [54.99, 'orange'],
      [35, 'orange'],
      [34.99, 'yellow'],
      [20, 'yellow'],
      [19.99, 'blue'],
      [0, 'blue'],
      [100, 'red'],
    ] as const)('score %d → %s with the shipped thresholds', (score, level) => {
      expect(levelOf(score, DEFAULT_THRESHOLDS)).toBe(level);
    });

    it('a score exactly on a configured threshold takes that level', () => {
      // only the inherent part counts: steel 50 × 1 = 50
      const config = { weights: { inherent: 1, hazards: 0, alarms: 0, online: 0, standardization: 0 }, thresholds: { red: 50, orange: 30, yellow: 10 } };
      expect(gradeEnterprise(steelWorks(), asOf, config)).toMatchObject({ score: 50, level: 'red' });
      expect(gradeEnterprise(steelWorks(), asOf, { ...config, thresholds: { red: 50.01, orange: 30, yellow: 10 } })).toMatchObject({ score: 50, level: 'orange' });
    });
  });

  it('judges acknowledgement by the 及时响应率 limits: red 5 min, orange 15 min', () => {
    expect(alarmLate({ tier: 'red', raisedAt: 0, ackedAt: 5 * MIN }, DAY)).toBe(false);
    expect(alarmLate({ tier: 'red', raisedAt: 0, ackedAt: 5 * MIN + 1 }, DAY)).toBe(true);
    expect(alarmLate({ tier: 'orange', raisedAt: 0, ackedAt: 15 * MIN }, DAY)).toBe(false);
    expect(alarmLate({ tier: 'orange', raisedAt: 0, ackedAt: null }, 15 * MIN)).toBe(false);
    expect(alarmLate({ tier: 'orange', raisedAt: 0, ackedAt: null }, 15 * MIN + 1)).toBe(true);
  });

  it('caps each part at 100 points', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ tier: 'red' as const, raisedAt: asOf - (i + 1) * DAY, ackedAt: null }));
    expect(points(gradeEnterprise(steelWorks({ alarms: many, openMajorHazards: 3, overdueMajorHazards: 2 }), asOf))).toMatchObject({ alarms: 100, hazards: 100 });
  });
});

describe('parseGradingConfig', () => {
  it('ships the defaults when nothing is set', () => {
    expect(parseGradingConfig({})).toEqual({ ok: true, config: DEFAULT_GRADING_CONFIG });
  });

  it('overrides named weights and thresholds', () => {
    const r = parseGradingConfig({ weights: 'inherent=0.2, alarms=0.3', thresholds: 'red=60' });
    expect(r).toEqual({ ok: true, config: { weights: { inherent: 0.2, hazards: 0.3, alarms: 0.3, online: 0.1, standardization: 0.1 }, thresholds: { red: 60, orange: 35, yellow: 20 } } });
  });

  it('refuses weights that do not sum to 1, unknown keys and falling thresholds, with every reason', () => {
    const r = parseGradingConfig({ weights: 'inherent=0.5,colour=1', thresholds: 'orange=70' });
    expect(r).toEqual({
      ok: false,
      problems: ['weights: unknown key "colour" (one of inherent, hazards, alarms, online, standardization)', 'weights must sum to 1 (they sum to 1.2)', 'thresholds must rise: red > orange > yellow'],
    });
  });
});
