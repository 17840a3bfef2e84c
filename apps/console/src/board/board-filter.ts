// The board's filters (issue 7: tier, district, risk category, condition, stage) and tier counts.
import type { Alarm, AlarmCondition, AlarmStage, Enterprise, RiskCategory, Tier } from '../api/api.types';
import { TIER_ORDER } from '../shared/labels';

export interface BoardFilter {
  tier: Tier | '';
  /** six-digit county-level region code */
  district: string;
  category: RiskCategory | '';
  condition: AlarmCondition | '';
  /** `unclosed` = open or disposed */
  stage: AlarmStage | 'unclosed' | '';
}

export const EMPTY_FILTER: BoardFilter = { tier: '', district: '', category: '', condition: '', stage: 'unclosed' };

export type EnterpriseLookup = (id: string) => Enterprise | undefined;

/** Whether an alarm passes every filter but the tier one (the counts use this). */
export function matchesScope(alarm: Alarm, f: BoardFilter, enterprise: EnterpriseLookup): boolean {
  if (f.condition && alarm.condition !== f.condition) return false;
  if (f.stage === 'unclosed' ? alarm.stage === 'closed' : f.stage && alarm.stage !== f.stage) return false;
  if (f.district || f.category) {
    const e = enterprise(alarm.enterpriseId);
    if (!e) return false;
    if (f.district && e.regionCode !== f.district) return false;
    if (f.category && !e.riskCategories.includes(f.category)) return false;
  }
  return true;
}

export function matches(alarm: Alarm, f: BoardFilter, enterprise: EnterpriseLookup): boolean {
  return (!f.tier || alarm.tier === f.tier) && matchesScope(alarm, f, enterprise);
}

export interface TierCount {
  tier: Tier;
  /** active alarms of this tier */
  active: number;
  /** of them, not yet acknowledged */
  unacked: number;
}

/** Active (not cleared, not closed) alarms per tier, highest tier first. */
export function tierCounts(alarms: readonly Alarm[]): TierCount[] {
  return TIER_ORDER.map((tier) => {
    const active = alarms.filter((a) => a.tier === tier && a.condition === 'active' && a.stage !== 'closed');
    return { tier, active: active.length, unacked: active.filter((a) => !a.acknowledged).length };
  });
}
