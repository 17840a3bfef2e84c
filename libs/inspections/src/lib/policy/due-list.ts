import { addMonths, daysBetween } from './calendar-day';
import { DEFAULT_INSPECTION_POLICY, effectiveLevel, type InspectionPolicy, type RiskLevel } from './inspection-policy';

export interface DueInput {
  enterpriseId: string;
  /** Latest grade, or null (未定级). */
  level: RiskLevel | null;
  /** Last site inspection day, or null when never inspected. */
  lastInspectedOn: string | null;
}

export type DueStatus = 'overdue' | 'due' | 'not_due';

export interface DueEntry {
  enterpriseId: string;
  level: RiskLevel;
  graded: boolean;
  lastInspectedOn: string | null;
  /** last inspection + the level's frequency; today for an enterprise never inspected. */
  nextDueOn: string;
  status: DueStatus;
  /** days past `nextDueOn` (0 when not overdue) */
  daysOverdue: number;
}

/**
 * The due rule (docs/domain.md "The closed loop"): the next inspection is due `frequencyMonths` of
 * the level after the last one; never inspected is due today. `overdue` once today is past that
 * day; `due` from `dueSoonDays` before it; otherwise `not_due`.
 */
export function dueEntry(e: DueInput, today: string, policy: InspectionPolicy = DEFAULT_INSPECTION_POLICY): DueEntry {
  const { level, graded } = effectiveLevel(e.level, policy);
  const nextDueOn = e.lastInspectedOn ? addMonths(e.lastInspectedOn, policy.frequencyMonths[level]) : today;
  const late = daysBetween(nextDueOn, today);
  const status: DueStatus = late > 0 ? 'overdue' : late >= -policy.dueSoonDays ? 'due' : 'not_due';
  return { enterpriseId: e.enterpriseId, level, graded, lastInspectedOn: e.lastInspectedOn, nextDueOn, status, daysOverdue: Math.max(0, late) };
}

/** The due and overdue enterprises, most overdue first, then red before blue. */
export function dueList(enterprises: readonly DueInput[], today: string, policy: InspectionPolicy = DEFAULT_INSPECTION_POLICY): DueEntry[] {
  const rank: Record<RiskLevel, number> = { red: 0, orange: 1, yellow: 2, blue: 3 };
  return enterprises
    .map((e) => dueEntry(e, today, policy))
    .filter((d) => d.status !== 'not_due')
    .sort((a, b) => a.nextDueOn.localeCompare(b.nextDueOn) || rank[a.level] - rank[b.level] || a.enterpriseId.localeCompare(b.enterpriseId));
}
