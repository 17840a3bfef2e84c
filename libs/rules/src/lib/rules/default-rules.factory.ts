import { type ContextType, type PointType, type PointTypeSpec, type Thresholds, POINT_CATALOG, mergeThresholds, specForUnit } from '@sw/sensors';
import {
  DEFAULT_CONTEXT_GRACE_S,
  FAULT_TIER,
  OFFLINE_MANDATORY_TIER,
  OFFLINE_MISSED_INTERVALS,
  OFFLINE_TIER,
  STUCK_AFTER_S,
} from './rule.constants';
import type { FaultRule, Gate, OfflineRule, RuleDefinition, RuleKind, ValueRange } from './rule.types';

/** The registry fields of a point that decide its default rules (docs/contracts.md §4, `POST …/points`). */
export interface PointForRules {
  id: string;
  type: PointType;
  /** The point's registered unit; setpoint overrides are in it. */
  unit: string;
  mandatory: boolean;
  expectedIntervalS: number;
  thresholds?: Thresholds | null;
  /** Ids of the context points of the point's gateway, by type (absent: none — the rules run ungated). */
  contexts?: Partial<Record<ContextType, string>>;
  /** Seconds after a context turns on before its gated rules judge (default 60). */
  contextGraceS?: number;
}

/** The context point that gates a point's process rules: the first of its type's context types the gateway has. */
export function contextGateOf(point: Pick<PointForRules, 'type' | 'contexts'>): { type: ContextType; pointId: string } | null {
  for (const type of POINT_CATALOG[point.type].contextTypes ?? []) {
    const pointId = point.contexts?.[type];
    if (pointId !== undefined) return { type, pointId };
  }
  return null;
}

/**
 * The context a point of `type` needs but its gateway lacks (the point shows "未接入工况信号": its
 * rules run ungated), or null when it needs none or has one. `gatewayTypes`: the types of the
 * gateway's points.
 */
export function missingContextOf(type: PointType, gatewayTypes: Iterable<PointType>): ContextType | null {
  const needs = POINT_CATALOG[type].contextTypes;
  if (!needs || needs.length === 0) return null;
  const has = new Set(gatewayTypes);
  return needs.some((t) => has.has(t)) ? null : (needs[0] as ContextType);
}

/** The context point ids of a gateway from its points: per type, the point with the lowest code. */
export function contextsOf(points: Iterable<{ id: string; code: string; type: PointType }>): Partial<Record<ContextType, string>> {
  const best: Partial<Record<ContextType, { id: string; code: string }>> = {};
  for (const p of points) {
    if (p.type !== 'casting_active' && p.type !== 'equipment_running') continue;
    const known = best[p.type];
    if (!known || p.code < known.code) best[p.type] = { id: p.id, code: p.code };
  }
  const out: Partial<Record<ContextType, string>> = {};
  for (const [type, p] of Object.entries(best) as [ContextType, { id: string }][]) out[type] = p.id;
  return out;
}

function gateFor(point: PointForRules): Gate | undefined {
  const context = contextGateOf(point);
  return context ? { pointId: context.pointId, graceS: point.contextGraceS ?? DEFAULT_CONTEXT_GRACE_S } : undefined;
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
  const gate = gateFor(point);
  const thresholds = mergeThresholds(spec.thresholds, point.thresholds);
  if (hasSetpoints(thresholds)) {
    rules.push({
      kind: 'threshold',
      id: defaultRuleId(point.id, 'threshold'),
      pointId: point.id,
      thresholds,
      ...(spec.sustained && { sustained: [{ ...spec.sustained }] }),
      ...(gate && { gate }),
      ...(range && { validRange: range }),
    });
  }
  if (spec.rate) {
    const { direction, percent, withinS, tier } = spec.rate;
    rules.push({ kind: 'rate', id: defaultRuleId(point.id, 'rate'), pointId: point.id, direction, percent, withinS, tier, ...(gate && { gate }), ...(range && { validRange: range }) });
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
    // docs/domain.md / 判定标准 第十四条: a failed monitor on a required point is itself a major hazard.
    tier: point.mandatory ? OFFLINE_MANDATORY_TIER : OFFLINE_TIER,
  };
}

function faultRule(point: PointForRules, spec: PointTypeSpec, range: ValueRange | undefined): FaultRule {
  const context = spec.signal === 'analog' ? contextGateOf(point) : null;
  return {
    kind: 'fault',
    id: defaultRuleId(point.id, 'fault'),
    pointId: point.id,
    tier: FAULT_TIER,
    ...(range && { physicalRange: range }),
    ...(spec.signal === 'analog' && { stuckAfterS: STUCK_AFTER_S }),
    // a collector off overnight (or a caster between casts) rests at one value: no stuck count then
    ...(context && { stuckGate: { pointId: context.pointId } }),
  };
}

/**
 * A point's rules from the catalog (docs/domain.md): its type's defaults in the point's unit, with the
 * point's `thresholds` merged over them (docs/contracts.md §4), plus offline and fault for every point.
 * Context points get no process rule. A point whose type depends on a context (catalog
 * `contextTypes`) and whose gateway has that context point gets its process rules gated by it,
 * with a grace period after it turns on, and its stuck check paused while it is off; without one
 * they run ungated. Throws RangeError for a unit the type does not take.
 */
export function defaultRulesFor(point: PointForRules): RuleDefinition[] {
  const spec = specForUnit(POINT_CATALOG[point.type], point.unit);
  const range = finiteRange(spec.physicalRange);
  return [...processRules(point, spec, range), offlineRule(point), faultRule(point, spec, range)];
}
