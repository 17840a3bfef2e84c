/**
 * Inspection policy by enterprise risk level (docs/domain.md "The closed loop"): how often an
 * enterprise of each level is inspected and how heavily it weighs in a 双随机 draw. Shipped
 * defaults; a deployment may pass its own.
 */
export const RISK_LEVELS = ['red', 'orange', 'yellow', 'blue'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** 红 重大风险, 橙 较大风险, 黄 一般风险, 蓝 低风险. */
export const RISK_LEVEL_ZH: Record<RiskLevel, string> = { red: '红（重大风险）', orange: '橙（较大风险）', yellow: '黄（一般风险）', blue: '蓝（低风险）' };

export interface InspectionPolicy {
  /** 双随机 weight of an enterprise of each level (relative; a red enterprise with 4 is 4× as likely as a blue one with 1 in a single pick). */
  weights: Record<RiskLevel, number>;
  /** Inspection frequency in calendar months: red monthly, orange quarterly, yellow half-yearly, blue yearly. */
  frequencyMonths: Record<RiskLevel, number>;
  /** The level an enterprise without any grade yet (未定级) counts as: yellow, the middle of the scale. */
  ungradedLevel: RiskLevel;
  /** Default K of the draw: an enterprise inspected within the last K days is left out. */
  excludeDays: number;
  /** The due list shows an enterprise as `due` this many days before its next inspection date. */
  dueSoonDays: number;
}

export const DEFAULT_INSPECTION_POLICY: InspectionPolicy = Object.freeze({
  weights: Object.freeze({ red: 4, orange: 3, yellow: 2, blue: 1 }),
  frequencyMonths: Object.freeze({ red: 1, orange: 3, yellow: 6, blue: 12 }),
  ungradedLevel: 'yellow',
  excludeDays: 30,
  dueSoonDays: 14,
}) as InspectionPolicy;

/** An enterprise's level for the draw and the due list: its latest grade, or the fallback when it has none. */
export function effectiveLevel(latest: RiskLevel | null, policy: InspectionPolicy = DEFAULT_INSPECTION_POLICY): { level: RiskLevel; graded: boolean } {
  return latest ? { level: latest, graded: true } : { level: policy.ungradedLevel, graded: false };
}
