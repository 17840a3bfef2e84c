import { DEFAULT_THRESHOLDS, DEFAULT_WEIGHTS } from './grading.constants';
import { GRADE_PART_KEYS, type GradePartKey, type GradingConfig } from './grading.types';

/** `key=number,key=number`, e.g. `inherent=0.3,hazards=0.3`; keys left out keep their default. */
function pairs(text: string, keys: readonly string[], what: string, problems: string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const item of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [key, raw, ...rest] = item.split('=').map((s) => s.trim());
    const value = Number(raw);
    if (!key || raw === undefined || raw === '' || rest.length > 0 || !Number.isFinite(value)) problems.push(`${what}: "${item}" is not key=number`);
    else if (!keys.includes(key)) problems.push(`${what}: unknown key "${key}" (one of ${keys.join(', ')})`);
    else out.set(key, value);
  }
  return out;
}

/**
 * The grading configuration from its two settings (`GRADING_WEIGHTS`, `GRADING_THRESHOLDS`; empty
 * or absent = the shipped defaults). Weights are 0–1 and must sum to 1 (± 0.001); thresholds are
 * 0–100 with red > orange > yellow. Answers the config, or every problem.
 */
export function parseGradingConfig(settings: { weights?: string; thresholds?: string }): { ok: true; config: GradingConfig } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const w = pairs(settings.weights ?? '', GRADE_PART_KEYS, 'weights', problems);
  const t = pairs(settings.thresholds ?? '', ['red', 'orange', 'yellow'], 'thresholds', problems);
  const weights = Object.fromEntries(GRADE_PART_KEYS.map((k) => [k, w.get(k) ?? DEFAULT_WEIGHTS[k]])) as Record<GradePartKey, number>;
  const thresholds = { red: t.get('red') ?? DEFAULT_THRESHOLDS.red, orange: t.get('orange') ?? DEFAULT_THRESHOLDS.orange, yellow: t.get('yellow') ?? DEFAULT_THRESHOLDS.yellow };
  for (const [k, v] of Object.entries(weights)) if (v < 0 || v > 1) problems.push(`weights: ${k} must be between 0 and 1`);
  const sum = Object.values(weights).reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > 0.001) problems.push(`weights must sum to 1 (they sum to ${Math.round(sum * 1000) / 1000})`);
  for (const [k, v] of Object.entries(thresholds)) if (v < 0 || v > 100) problems.push(`thresholds: ${k} must be between 0 and 100`);
  if (!(thresholds.red > thresholds.orange && thresholds.orange > thresholds.yellow)) problems.push('thresholds must rise: red > orange > yellow');
  return problems.length > 0 ? { ok: false, problems } : { ok: true, config: { weights, thresholds } };
}
