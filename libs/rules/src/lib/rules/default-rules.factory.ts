import { type PointType, type PointTypeSpec, type Thresholds, POINT_CATALOG, mergeThresholds, specForUnit } from '@sw/sensors';
import {
  FAULT_TIER,
  OFFLINE_MANDATORY_TIER,
  OFFLINE_MISSED_INTERVALS,
  OFFLINE_TIER,
  STUCK_AFTER_S,
} from './rule.constants';
import type { FaultRule, OfflineRule, RuleDefinition, RuleKind, ValueRange } from './rule.types';

/** The registry fields of a point that decide its default rules (CONTRACTS.md §4, `POST …/points`). */
export interface PointForRules {
  id: string;
  type: PointType;
  /** The point's registered unit; setpoint overrides are in it. */
  unit: string;
  mandatory: boolean;
  expectedIntervalS: number;
  thresholds?: Thresholds | null;
}

/** The id of a point's default rule of a kind: `{pointId}:{kind}` (stable across restarts). */
export function defaultRuleId(pointId: string, kind: RuleKind): string {
  return `${pointId}:${kind}`;
}

function finiteRange(r: ValueRange): ValueRange | undefined {
  // Types that take any unit have no physical range (±Number.MAX_VALUE): nothing to check.
  return r.min > -Number.MAX_VALUE && r.max < Number.MAX_VALUE ? { min: r.min, max: r.max } : undefined;
}

function hasSetpoints(t: Thresholds | null): t is Thresholds {
  return t !== null && Object.keys(t.high ?? {}).length + Object.keys(t.low ?? {}).length > 0;
}

function processRules(point: PointForRules, spec: PointTypeSpec, range: ValueRange | undefined): RuleDefinition[] {
  if (spec.context) return []; // equipment_running, casting_active: they gate other rules
  if (spec.signal === 'digital') {
    return spec.digitalAlarm ? [{ kind: 'digital', id: defaultRuleId(point.id, 'digital'), pointId: point.id, tier: spec.digitalAlarm }] : [];
  }
  const rules: RuleDefinition[] = [];
  const thresholds = mergeThresholds(spec.thresholds, point.thresholds);
  if (hasSetpoints(thresholds)) {
    rules.push({
      kind: 'threshold',
      id: defaultRuleId(point.id, 'threshold'),
      pointId: point.id,
      thresholds,
      ...(spec.sustained && { sustained: [{ ...spec.sustained }] }),
      ...(range && { validRange: range }),
    });
  }
  if (spec.rate) {
    const { direction, percent, withinS, tier } = spec.rate;
    rules.push({ kind: 'rate', id: defaultRuleId(point.id, 'rate'), pointId: point.id, direction, percent, withinS, tier, ...(range && { validRange: range }) });
  }
  return rules;
}

function offlineRule(point: PointForRules): OfflineRule {
  return {
    kind: 'offline',
    id: defaultRuleId(point.id, 'offline'),
    pointId: point.id,
    expectedIntervalS: point.expectedIntervalS,
    missedIntervals: OFFLINE_MISSED_INTERVALS,
    // DOMAIN.md / 判定标准 第十四条: a failed monitor on a required point is itself a major hazard.
    tier: point.mandatory ? OFFLINE_MANDATORY_TIER : OFFLINE_TIER,
  };
}

function faultRule(point: PointForRules, spec: PointTypeSpec, range: ValueRange | undefined): FaultRule {
  return {
    kind: 'fault',
    id: defaultRuleId(point.id, 'fault'),
    pointId: point.id,
    tier: FAULT_TIER,
    ...(range && { physicalRange: range }),
    ...(spec.signal === 'analog' && { stuckAfterS: STUCK_AFTER_S }),
  };
}

/**
 * A point's rules from the catalog (DOMAIN.md): its type's defaults in the point's unit, with the
 * point's `thresholds` merged over them (CONTRACTS.md §4), plus offline and fault for every point.
 * Context points get no process rule. Throws RangeError for a unit the type does not take.
 */
export function defaultRulesFor(point: PointForRules): RuleDefinition[] {
  const spec = specForUnit(POINT_CATALOG[point.type], point.unit);
  const range = finiteRange(spec.physicalRange);
  return [...processRules(point, spec, range), offlineRule(point), faultRule(point, spec, range)];
}
