import type { Tier } from '@sw/sensors';
import type { ConditionCause } from '../evaluation/evaluation.types';
import type { AlarmKind } from '../rules/rule.types';
import { CAUSE_LABELS_ZH, KIND_LABELS_ZH, TIER_LABELS_ZH } from './alarm.constants';

/** What the alarm message names. */
export interface AlarmMessageInput {
  enterpriseName: string;
  pointName: string;
  pointCode?: string | null;
  kind: AlarmKind;
  tier: Tier;
  value: number | null;
  unit: string;
  cause?: ConditionCause;
}

// Readings carry sensor noise in the last digits; three decimals are what a duty officer reads.
function formatValue(value: number, unit: string): string {
  const shown = String(Math.round(value * 1000) / 1000);
  return unit ? `${shown} ${unit}` : shown;
}

/**
 * The human-readable Chinese `message` of an alarm (docs/contracts.md §3), e.g.
 * `【橙色（二级）报警】某钢铁有限公司 一氧化碳 CO-01 超限报警（高于上限），当前值 180 ppm`.
 */
export function alarmMessage(input: AlarmMessageInput): string {
  const { grade, color } = TIER_LABELS_ZH[input.tier];
  const point = input.pointCode ? `${input.pointName} ${input.pointCode}` : input.pointName;
  const cause = input.cause ? `（${CAUSE_LABELS_ZH[input.cause]}）` : '';
  const value = input.value === null ? '' : `，当前值 ${formatValue(input.value, input.unit)}`;
  return `【${color}色（${grade}）报警】${input.enterpriseName} ${point} ${KIND_LABELS_ZH[input.kind]}${cause}${value}`;
}
