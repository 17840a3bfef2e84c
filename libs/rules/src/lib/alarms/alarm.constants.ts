import type { Tier } from '@sw/sensors';
import type { ConditionCause } from '../evaluation/evaluation.types';
import type { AlarmKind } from '../rules/rule.types';
import type { DisposalCause } from './alarm.types';

/** docs/contracts.md §4: the causes `POST …/dispose` takes. */
export const DISPOSAL_CAUSES: readonly DisposalCause[] = Object.freeze([
  'real_hazard',
  'equipment_fault',
  'maintenance',
  'false_alarm',
  'other',
] as const);

/** docs/contracts.md §3: a shelf lasts 1–1440 minutes. */
export const SHELVE_MINUTES = Object.freeze({ min: 1, max: 1440 });

// Longest free text (comments, measures, reasons) kept on an event.
export const MAX_TEXT_LENGTH = 2000;

/** docs/contracts.md §3: 一级 红 … 四级 蓝. */
export const TIER_LABELS_ZH: Readonly<Record<Tier, { grade: string; color: string }>> = Object.freeze({
  red: { grade: '一级', color: '红' },
  orange: { grade: '二级', color: '橙' },
  yellow: { grade: '三级', color: '黄' },
  blue: { grade: '四级', color: '蓝' },
});

export const KIND_LABELS_ZH: Readonly<Record<AlarmKind, string>> = Object.freeze({
  threshold: '超限报警',
  rate: '突变报警',
  offline: '离线报警',
  fault: '故障报警',
  combined: '组合条件报警',
});

export const CAUSE_LABELS_ZH: Readonly<Record<ConditionCause, string>> = Object.freeze({
  high: '高于上限',
  low: '低于下限',
  rise: '突升',
  drop: '突降',
  no_data: '超时无数据',
  bad_quality: '数据质量异常',
  out_of_range: '超出量程',
  stuck: '数值长时间不变',
});
