import { ACK_LIMIT_MS } from '@sw/kpi';
import {
  ALARM_POINTS,
  CATEGORY_POINTS,
  DEEP_WELL_POINTS,
  DEFAULT_GRADING_CONFIG,
  DUST_CATEGORIES,
  DUST_WORKER_STEPS,
  DUST_WORKERS_UNKNOWN_POINTS,
  HAZARD_OPEN_POINTS,
  HAZARD_OVERDUE_POINTS,
  PART_LABELS,
  STANDARDIZATION_LABELS,
  STANDARDIZATION_POINTS,
} from './grading.constants';
import { GRADE_PART_KEYS, type Grade, type GradePart, type GradePartKey, type GradingAlarm, type GradingConfig, type GradingInput, type RiskLevel } from './grading.types';

const round2 = (n: number) => Math.round(n * 100) / 100;
const cap = (n: number) => Math.min(100, Math.max(0, n));

type Scored = Pick<GradePart, 'value' | 'points' | 'detail'>;

function inherent(i: GradingInput): Scored {
  const base = Math.max(0, ...i.riskCategories.map((c) => CATEGORY_POINTS[c] ?? 0));
  const dusty = i.riskCategories.some((c) => DUST_CATEGORIES.includes(c));
  const dust = !dusty ? 0 : i.dustWorkers === null ? DUST_WORKERS_UNKNOWN_POINTS : (DUST_WORKER_STEPS.find((s) => (i.dustWorkers ?? 0) >= s.atLeast)?.points ?? 0);
  const deepWell = i.deepWellCasting ? DEEP_WELL_POINTS : 0;
  const raw = base + dust + deepWell;
  const reasons = [`行业类别 ${base}`];
  if (dusty) reasons.push(i.dustWorkers === null ? `涉粉作业人数未知 +${dust}` : `涉粉作业人数 ${i.dustWorkers} +${dust}`);
  if (i.deepWellCasting) reasons.push(`深井铸造 +${deepWell}`);
  return { value: raw, points: cap(raw), detail: reasons.join('，') };
}

function hazards(i: GradingInput): Scored {
  const raw = i.openMajorHazards * HAZARD_OPEN_POINTS + i.overdueMajorHazards * HAZARD_OVERDUE_POINTS;
  const detail = i.openMajorHazards === 0 ? '无未销号重大事故隐患' : `未销号 ${i.openMajorHazards} 项${i.overdueMajorHazards > 0 ? `，其中逾期 ${i.overdueMajorHazards} 项` : ''}`;
  return { value: i.openMajorHazards, points: cap(raw), detail };
}

/** Late: acknowledged after its tier's limit, or not at all once the limit has passed (one still within it is not late yet). */
export function alarmLate(a: GradingAlarm, asOf: number): boolean {
  const limit = ACK_LIMIT_MS[a.tier];
  return a.ackedAt === null ? asOf - a.raisedAt > limit : a.ackedAt - a.raisedAt > limit;
}

function alarms(i: GradingInput, asOf: number): Scored {
  let raw = 0;
  const n = { red: 0, orange: 0, late: 0 };
  for (const a of i.alarms) {
    const late = alarmLate(a, asOf);
    raw += ALARM_POINTS[a.tier][late ? 'late' : 'timely'];
    n[a.tier]++;
    if (late) n.late++;
  }
  const detail = i.alarms.length === 0 ? '无红色、橙色报警' : `红色 ${n.red} 次，橙色 ${n.orange} 次，其中未及时确认 ${n.late} 次`;
  return { value: i.alarms.length, points: cap(raw), detail };
}

function online(i: GradingInput): Scored {
  if (i.onlineRate === null) return { value: null, points: 100, detail: '未接入，无在线数据' };
  return { value: i.onlineRate, points: round2(cap((1 - i.onlineRate) * 100)), detail: `在线率 ${(i.onlineRate * 100).toFixed(2)}%` };
}

function standardization(i: GradingInput, veto: boolean): Scored {
  const grade = i.standardizationGrade;
  if (grade === null) return { value: null, points: STANDARDIZATION_POINTS.none, detail: '无有效标准化等级' };
  if (veto) return { value: grade, points: STANDARDIZATION_POINTS.none, detail: `标准化${STANDARDIZATION_LABELS[grade]}，存在重大事故隐患，一票否决` };
  return { value: grade, points: STANDARDIZATION_POINTS[grade], detail: `标准化${STANDARDIZATION_LABELS[grade]}` };
}

/** The level a score falls in: at or above a threshold is that level. */
export function levelOf(score: number, thresholds: GradingConfig['thresholds']): RiskLevel {
  if (score >= thresholds.red) return 'red';
  if (score >= thresholds.orange) return 'orange';
  if (score >= thresholds.yellow) return 'yellow';
  return 'blue';
}

/**
 * The enterprise's grade on a day (docs/domain.md "The closed loop"): five parts, each with its
 * value, points (0–100) and weight; score = Σ points × weight; the level from the thresholds. An
 * open major hazard sets the standardization veto (一票否决), which voids the standardization credit
 * (that part then scores as if there were no grade). `asOf` is the instant the inputs describe.
 */
export function gradeEnterprise(input: GradingInput, asOf: number, config: GradingConfig = DEFAULT_GRADING_CONFIG): Grade {
  const veto = input.openMajorHazards > 0;
  const scored: Record<GradePartKey, Scored> = {
    inherent: inherent(input),
    hazards: hazards(input),
    alarms: alarms(input, asOf),
    online: online(input),
    standardization: standardization(input, veto),
  };
  const parts = GRADE_PART_KEYS.map((key): GradePart => ({ key, label: PART_LABELS[key], ...scored[key], weight: config.weights[key] }));
  const score = round2(parts.reduce((sum, p) => sum + p.points * p.weight, 0));
  return { level: levelOf(score, config.thresholds), score, parts, standardizationVeto: veto };
}
