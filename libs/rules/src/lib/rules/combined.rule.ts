import type { KindHooks, KindState } from '../evaluation/evaluation.types';
import { LEVEL_KEYS, checkDelays, checkGate, checkId, checkKeys, checkNumber, checkTier, isRecord, type Rec } from './checks.schema';
import { RULE_LIMITS } from './rule.constants';
import type { CombinedCondition, CombinedRule, ValueExpr } from './rule.types';
import { validateSustained } from './sustained.rule';

type CombinedState = Extract<KindState, { kind: 'combined' }>;

// The points a value expression reads, in order.
export function pointsOf(expr: ValueExpr): string[] {
  return 'point' in expr ? [expr.point] : [expr.diff[0], expr.diff[1]];
}

// Why a combined rule is invalid; empty when valid. `pointId` must be the first point named.
export function validateCombinedRule(rec: Rec): string[] {
  const out: string[] = [];
  checkKeys(out, '', rec, [...LEVEL_KEYS, 'op', 'conditions', 'tier']);
  if (rec['op'] !== 'and' && rec['op'] !== 'or') out.push('op must be and or or');
  checkTier(out, 'tier', rec['tier']);
  checkDelays(out, rec);
  out.push(...validateSustained(rec['sustained']));
  checkGate(out, rec['gate']);
  const conditions = rec['conditions'];
  if (!Array.isArray(conditions) || conditions.length === 0 || conditions.length > RULE_LIMITS.maxConditions) {
    out.push(`conditions must be an array of 1 to ${RULE_LIMITS.maxConditions} conditions`);
    return out;
  }
  const before = out.length;
  conditions.forEach((c: unknown, i) => checkCondition(out, `conditions[${i}]`, c));
  if (out.length === before) {
    const first = pointsOf((conditions[0] as CombinedCondition).value)[0];
    if (rec['pointId'] !== first) out.push(`pointId must be the first point of the conditions (${first})`);
  }
  return out;
}

function checkCondition(out: string[], path: string, c: unknown): void {
  if (!isRecord(c)) {
    out.push(`${path} must be an object {value, op, setpoint, deadband?}`);
    return;
  }
  checkKeys(out, `${path}.`, c, ['value', 'op', 'setpoint', 'deadband']);
  checkExpr(out, `${path}.value`, c['value']);
  if (c['op'] !== '>=' && c['op'] !== '<=') out.push(`${path}.op must be >= or <=`);
  checkNumber(out, `${path}.setpoint`, c['setpoint']);
  if (c['deadband'] !== undefined) checkNumber(out, `${path}.deadband`, c['deadband'], { min: 0 });
}

function checkExpr(out: string[], path: string, v: unknown): void {
  if (isRecord(v) && 'point' in v && Object.keys(v).length === 1) return checkId(out, `${path}.point`, v['point']);
  const diff = isRecord(v) && Object.keys(v).length === 1 ? v['diff'] : undefined;
  if (!Array.isArray(diff) || diff.length !== 2) {
    out.push(`${path} must be {point} or {diff: [point, point]}`);
    return;
  }
  checkId(out, `${path}.diff[0]`, diff[0]);
  checkId(out, `${path}.diff[1]`, diff[1]);
}

// The value of an expression from the latest values, undefined while a point has none.
export function exprValue(expr: ValueExpr, values: Readonly<Record<string, number>>): number | undefined {
  if ('point' in expr) return values[expr.point];
  const a = values[expr.diff[0]];
  const b = values[expr.diff[1]];
  return a === undefined || b === undefined ? undefined : a - b;
}

function conditionOn(c: CombinedCondition, value: number | undefined, wasOn: boolean): boolean {
  if (value === undefined) return false;
  const band = wasOn ? (c.deadband ?? 0) : 0;
  return c.op === '>=' ? (wasOn ? value > c.setpoint - band : value >= c.setpoint) : wasOn ? value < c.setpoint + band : value <= c.setpoint;
}

// Evaluation of combined rules: each condition keeps its own hysteresis; AND/OR joins them.
export const combinedHooks: KindHooks<CombinedRule, CombinedState> = {
  init: (rule) => ({ kind: 'combined', on: rule.conditions.map(() => false), values: {}, times: {} }),
  clone: (s) => ({ ...s, on: s.on.slice(), values: { ...s.values }, times: { ...s.times } }),
  reads: (rule, pointId) => rule.conditions.some((c) => pointsOf(c.value).includes(pointId)),
  isStale: (_rule, s, reading) => {
    const newest = s.times[reading.pointId];
    return newest !== undefined && reading.ts < newest;
  },
  read(rule, s, reading) {
    s.times[reading.pointId] = reading.ts;
    if (reading.quality === 'bad') return undefined; // sample-and-hold: keep the last usable value
    s.values[reading.pointId] = reading.value;
    rule.conditions.forEach((c, i) => {
      s.on[i] = conditionOn(c, exprValue(c.value, s.values), s.on[i] === true);
    });
    const first = rule.conditions[0];
    return first ? exprValue(first.value, s.values) : undefined;
  },
  // An edited rule with another number of conditions re-evaluates them at its next reading.
  restore: (rule, s) => (s.on.length === rule.conditions.length ? s : { ...s, on: rule.conditions.map(() => false) }),
  level: (rule, s) => ((rule.op === 'and' ? s.on.every(Boolean) : s.on.some(Boolean)) ? rule.tier : null),
};
