import type { GradePartKey, GradingConfig, StandardizationGradeCode } from './grading.types';

// Every default here is a [template] (docs/domain.md "The closed loop"): no national formula is
// published; the reasons are in libs/grading/README.md and docs/domain.md.

/**
 * Shipped weights: the two parts that name a concrete danger now — the enterprise's trade and an
 * open major hazard — weigh most; the month's alarms next; online rate and standardization, which
 * say how well the enterprise is managed, least. They sum to 1, so the score stays 0–100.
 */
export const DEFAULT_WEIGHTS: Record<GradePartKey, number> = {
  inherent: 0.3,
  hazards: 0.3,
  alarms: 0.2,
  online: 0.1,
  standardization: 0.1,
};

/**
 * Lowest score of each level. orange 35: a steel or deep-well casting enterprise with one open major
 * hazard (inherent ≥ 15, hazards 15, the veto's 10) reaches it; red 55: an overdue major hazard in such
 * an enterprise (15 + 30 + 10), or open hazards plus a month of unacknowledged red alarms; yellow 20:
 * a high-inherent-risk enterprise without a valid standardization grade (15 + 10) — a well-run one
 * (level_2, online) stays blue.
 */
export const DEFAULT_THRESHOLDS: GradingConfig['thresholds'] = { red: 55, orange: 35, yellow: 20 };

export const DEFAULT_GRADING_CONFIG: GradingConfig = { weights: DEFAULT_WEIGHTS, thresholds: DEFAULT_THRESHOLDS };

/**
 * 固有风险 by risk category (the highest of the enterprise's categories counts): steel (gas, molten
 * metal) and deep-well casting (molten aluminium meets cooling water) are where 判定标准 lists the
 * most fatal items; metal dust and ammonia refrigeration explode or poison; wood and other dust and
 * confined spaces less often at scale.
 */
export const CATEGORY_POINTS: Readonly<Record<string, number>> = {
  steel: 50,
  aluminum_casting: 50,
  metal_dust: 40,
  ammonia_refrigeration: 40,
  wood_dust: 30,
  other_dust: 20,
  confined_space: 20,
};

export const DUST_CATEGORIES: readonly string[] = ['metal_dust', 'wood_dust', 'other_dust'];

/**
 * Added for dust workers (dust categories only), from the scope's own steps (10 and 30, docs/domain.md
 * "The policy behind it") and 100 for a large shop; an unknown count adds the middle step, never 0.
 */
export const DUST_WORKER_STEPS: readonly { atLeast: number; points: number }[] = [
  { atLeast: 100, points: 30 },
  { atLeast: 30, points: 20 },
  { atLeast: 10, points: 10 },
];
export const DUST_WORKERS_UNKNOWN_POINTS = 20;

/** Added for the ledger's 深井铸造 flag (判定标准 第五条: the casting pit is its own major-hazard list). */
export const DEEP_WELL_POINTS = 30;

/** Per open major hazard, and again per overdue one (an overdue hazard is 100 by itself). */
export const HAZARD_OPEN_POINTS = 50;
export const HAZARD_OVERDUE_POINTS = 50;

/**
 * Per red or orange alarm of the last 30 days; acknowledged late or not at all (the 及时响应率 limits,
 * red 5 min, orange 15 min) it counts double: how an alarm was handled says more than that it came.
 */
export const ALARM_POINTS = {
  red: { timely: 10, late: 20 },
  orange: { timely: 5, late: 10 },
} as const;

/** 安全生产标准化: a valid grade earns credit; none (or expired, revoked, vetoed) scores 100. */
export const STANDARDIZATION_POINTS: Record<StandardizationGradeCode | 'none', number> = {
  level_1: 0,
  level_2: 25,
  level_3: 50,
  small_micro: 75,
  none: 100,
};

/** How far back alarms and the online rate look. */
export const GRADING_WINDOW_DAYS = 30;

export const PART_LABELS: Record<GradePartKey, string> = {
  inherent: '固有风险',
  hazards: '重大事故隐患',
  alarms: '报警（近30天）',
  online: '在线率（近30天）',
  standardization: '安全生产标准化',
};

export const STANDARDIZATION_LABELS: Record<StandardizationGradeCode, string> = {
  level_1: '一级',
  level_2: '二级',
  level_3: '三级',
  small_micro: '小微企业',
};
