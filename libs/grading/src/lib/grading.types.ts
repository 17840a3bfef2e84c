/**
 * Enterprise risk grading (分级分类 · 风险预警, docs/domain.md "The closed loop"): the enterprise's
 * level of the day, never a point alarm (报警).
 */
export const RISK_LEVELS = ['red', 'orange', 'yellow', 'blue'] as const;
/** 红 重大风险, 橙 较大风险, 黄 一般风险, 蓝 低风险 */
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** The five parts of the score, in the order they are shown. */
export const GRADE_PART_KEYS = ['inherent', 'hazards', 'alarms', 'online', 'standardization'] as const;
export type GradePartKey = (typeof GRADE_PART_KEYS)[number];

/** 安全生产标准化等级 as the ledger records it. */
export type StandardizationGradeCode = 'level_1' | 'level_2' | 'level_3' | 'small_micro';

/** A red or orange alarm of the last 30 days, as grading sees it. */
export interface GradingAlarm {
  /** its highest tier (peakTier) */
  tier: 'red' | 'orange';
  raisedAt: number;
  /** the first acknowledgement, or null */
  ackedAt: number | null;
}

/** Everything the score of one enterprise on one day needs, gathered by the caller. */
export interface GradingInput {
  /** risk category codes (docs/contracts.md §4) */
  riskCategories: readonly string[];
  /** 涉粉作业人数; null when unknown */
  dustWorkers: number | null;
  /** the ledger's 深井铸造 flag */
  deepWellCasting: boolean;
  /** major hazards confirmed and not signed off at `asOf` */
  openMajorHazards: number;
  /** of those, the ones past their deadline at `asOf` */
  overdueMajorHazards: number;
  /** red and orange alarms raised in (asOf − 30 days, asOf] */
  alarms: readonly GradingAlarm[];
  /** 在线率 over the same 30 days by the KPI definition (0–1), or null when it has no eligible time (not connected) */
  onlineRate: number | null;
  /** the grade in force on the day (valid, not revoked), or null */
  standardizationGrade: StandardizationGradeCode | null;
}

/** One part of the score: the input's value, the points (0–100) it earns, the weight of the part, and why. */
export interface GradePart {
  key: GradePartKey;
  /** 固有风险, 重大事故隐患, 报警（近30天）, 在线率, 安全生产标准化 */
  label: string;
  /** the input the points come from: a number, a grade code, or null when unknown */
  value: number | string | null;
  /** 0–100, 2 decimals */
  points: number;
  /** the part's share of the score, 0–1 */
  weight: number;
  /** the reason in the trade's words, shown on hover */
  detail: string;
}

export interface Grade {
  level: RiskLevel;
  /** Σ points × weight, 0–100, 2 decimals */
  score: number;
  parts: GradePart[];
  /** 一票否决: an open major hazard voids the standardization credit */
  standardizationVeto: boolean;
}

/** Weights per part (they sum to 1) and the lowest score of each level above blue. */
export interface GradingConfig {
  weights: Record<GradePartKey, number>;
  thresholds: { red: number; orange: number; yellow: number };
}
