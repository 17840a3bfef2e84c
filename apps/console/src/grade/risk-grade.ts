// The enterprise risk level (风险等级 · 风险预警, docs/domain.md "The closed loop") as GET /grades and
// GET /enterprises/{id}/grades answer it. An enterprise-level 预警: never shown as, or beside, an alarm tier (报警).

export type RiskLevel = 'red' | 'orange' | 'yellow' | 'blue';

export interface GradePart {
  key: 'inherent' | 'hazards' | 'alarms' | 'online' | 'standardization';
  label: string;
  value: number | string | null;
  points: number;
  weight: number;
  detail: string;
}

export interface RiskGrade {
  enterpriseId: string;
  day: string;
  level: RiskLevel;
  score: number;
  parts: GradePart[];
  standardizationVeto: boolean;
  computedAt: string;
}

export interface CurrentGrade extends RiskGrade {
  enterpriseName: string;
  regionCode: string;
}

export interface CurrentGrades {
  regionCode: string | null;
  counts: Record<RiskLevel, number>;
  items: CurrentGrade[];
}

export interface GradeHistory {
  enterpriseId: string;
  from: string;
  to: string;
  items: RiskGrade[];
}

export const LEVEL_ORDER: readonly RiskLevel[] = ['red', 'orange', 'yellow', 'blue'];
/** 红色（重大风险）: colour first, then the risk it names — not 一级…四级, which are alarm tiers. */
export const LEVEL_LABEL: Record<RiskLevel, string> = { red: '红色（重大风险）', orange: '橙色（较大风险）', yellow: '黄色（一般风险）', blue: '蓝色（低风险）' };
export const LEVEL_SHORT: Record<RiskLevel, string> = { red: '重大风险', orange: '较大风险', yellow: '一般风险', blue: '低风险' };
/** Chart colours; the same values as the --tier-* CSS variables. */
export const LEVEL_COLOUR: Record<RiskLevel, string> = { red: '#d7263d', orange: '#f07f13', yellow: '#d4a500', blue: '#1f6feb' };
/** The history chart's axis: blue 1 … red 4. */
export const LEVEL_RANK: Record<RiskLevel, number> = { blue: 1, yellow: 2, orange: 3, red: 4 };

/** "50 分 × 0.3 = 15": a part's contribution as the score adds it up. */
export function partText(p: GradePart): string {
  const contribution = Math.round(p.points * p.weight * 100) / 100;
  return `${p.points} 分 × ${p.weight} = ${contribution}`;
}

/** The level history as chart points: [day, rank] with the level for the colour. */
export function historySeries(items: readonly RiskGrade[]): { day: string; rank: number; level: RiskLevel; score: number }[] {
  return [...items].sort((a, b) => a.day.localeCompare(b.day)).map((g) => ({ day: g.day, rank: LEVEL_RANK[g.level], level: g.level, score: g.score }));
}
