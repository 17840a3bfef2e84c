// The trade's words for inspections (docs/domain.md Glossary and "The closed loop").
import type { CheckResult, InspectionMode, InspectionStatus, RiskLevel } from './inspection.types';

export const MODE_LABEL: Record<InspectionMode, string> = { double_random: '双随机', four_no_two_direct: '四不两直', special: '专项检查', online_patrol: '线上巡查', report: '举报核查' };
export const STATUS_LABEL: Record<InspectionStatus, string> = { planned: '待检查', recorded: '已检查', rectifying: '整改中', closed: '已办结', cancelled: '已取消' };
export const RESULT_LABEL: Record<CheckResult, string> = { compliant: '符合', finding: '发现问题', not_applicable: '不适用' };
/** The enterprise's 风险预警 level (not an alarm tier). */
export const LEVEL_LABEL: Record<RiskLevel, string> = { red: '红', orange: '橙', yellow: '黄', blue: '蓝' };
export const DUE_LABEL = { overdue: '已超期', due: '应检查', not_due: '未到期' } as const;
export const LEVELS: RiskLevel[] = ['red', 'orange', 'yellow', 'blue'];

export function levelText(level: RiskLevel | null, graded: boolean | null): string {
  if (!level) return '—';
  return graded === false ? `未定级（按${LEVEL_LABEL[level]}）` : `${LEVEL_LABEL[level]}色`;
}
