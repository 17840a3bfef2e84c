// Small hand validators shared by the rule kinds: each pushes human-readable reasons onto `out`.
import { TIERS } from '@sw/sensors';
import { RULE_LIMITS } from './rule.constants';

export type Rec = Record<string, unknown>;

export function isRecord(v: unknown): v is Rec {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function checkKeys(out: string[], path: string, rec: Rec, allowed: readonly string[]): void {
  for (const key of Object.keys(rec)) if (!allowed.includes(key)) out.push(`${path}${key} is not a known field`);
}

export function checkId(out: string[], path: string, v: unknown): void {
  if (typeof v !== 'string' || v.length === 0 || v.length > RULE_LIMITS.maxIdLength) {
    out.push(`${path} must be a string of 1 to ${RULE_LIMITS.maxIdLength} characters`);
  }
}

interface NumberBounds {
  min?: number;
  max?: number;
  /** Exclusive lower bound. */
  above?: number;
  integer?: boolean;
}

export function checkNumber(out: string[], path: string, v: unknown, b: NumberBounds = {}): v is number {
  const ok =
    typeof v === 'number' &&
    Number.isFinite(v) &&
    (b.min === undefined || v >= b.min) &&
    (b.max === undefined || v <= b.max) &&
    (b.above === undefined || v > b.above) &&
    (!b.integer || Number.isInteger(v));
  if (!ok) out.push(`${path} must be ${describeBounds(b)}`);
  return ok;
}

function describeBounds(b: NumberBounds): string {
  const parts = [b.integer ? 'an integer' : 'a finite number'];
  if (b.above !== undefined) parts.push(`above ${b.above}`);
  if (b.min !== undefined && b.max !== undefined) parts.push(`from ${b.min} to ${b.max}`);
  else if (b.min !== undefined) parts.push(`at least ${b.min}`);
  else if (b.max !== undefined) parts.push(`at most ${b.max}`);
  return parts.join(' ');
}

export function checkOptionalNumber(out: string[], path: string, v: unknown, b: NumberBounds = {}): void {
  if (v !== undefined) checkNumber(out, path, v, b);
}

export function checkTier(out: string[], path: string, v: unknown): boolean {
  const ok = typeof v === 'string' && (TIERS as readonly string[]).includes(v);
  if (!ok) out.push(`${path} must be one of ${TIERS.join(', ')}`);
  return ok;
}

export function checkRange(out: string[], path: string, v: unknown): void {
  if (v === undefined) return;
  if (!isRecord(v)) {
    out.push(`${path} must be an object {min, max}`);
    return;
  }
  const okMin = checkNumber(out, `${path}.min`, v['min']);
  const okMax = checkNumber(out, `${path}.max`, v['max']);
  if (okMin && okMax && (v['min'] as number) > (v['max'] as number)) out.push(`${path}.min must not be above ${path}.max`);
}

export function checkDelays(out: string[], rec: Rec): void {
  checkOptionalNumber(out, 'onDelayS', rec['onDelayS'], { min: 0, max: RULE_LIMITS.maxDelayS });
  checkOptionalNumber(out, 'offDelayS', rec['offDelayS'], { min: 0, max: RULE_LIMITS.maxDelayS });
}

export function checkGate(out: string[], v: unknown, path = 'gate'): void {
  if (v === undefined) return;
  if (!isRecord(v)) {
    out.push(`${path} must be an object {pointId, value?, graceS?}`);
    return;
  }
  checkKeys(out, `${path}.`, v, ['pointId', 'value', 'graceS']);
  checkId(out, `${path}.pointId`, v['pointId']);
  checkOptionalNumber(out, `${path}.value`, v['value']);
  checkOptionalNumber(out, `${path}.graceS`, v['graceS'], { min: 0, max: RULE_LIMITS.maxDelayS });
}

export const BASE_KEYS = ['id', 'kind', 'pointId'] as const;
export const LEVEL_KEYS = [...BASE_KEYS, 'onDelayS', 'offDelayS', 'sustained', 'gate'] as const;
