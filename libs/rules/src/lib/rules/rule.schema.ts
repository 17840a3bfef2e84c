import { checkId, isRecord, type Rec } from './checks.schema';
import { validateCombinedRule } from './combined.rule';
import { validateDigitalRule } from './digital.rule';
import { validateFaultRule } from './fault.rule';
import { validateOfflineRule } from './offline.rule';
import { validateRateRule } from './rate.rule';
import type { RuleDefinition, RuleKind } from './rule.types';
import { validateThresholdRule } from './threshold.rule';

const VALIDATORS: Record<RuleKind, (rec: Rec) => string[]> = {
  threshold: validateThresholdRule,
  rate: validateRateRule,
  digital: validateDigitalRule,
  combined: validateCombinedRule,
  offline: validateOfflineRule,
  fault: validateFaultRule,
};

/**
 * Why `input` is not a valid rule definition, one reason per problem; empty when it is one. For
 * the edges (REST bodies, stored rules): the evaluation code assumes valid rules.
 */
export function validateRule(input: unknown): string[] {
  if (!isRecord(input)) return ['rule must be an object'];
  const kind = input['kind'];
  if (typeof kind !== 'string' || !Object.prototype.hasOwnProperty.call(VALIDATORS, kind)) {
    return [`kind must be one of ${Object.keys(VALIDATORS).join(', ')}`];
  }
  const out: string[] = [];
  checkId(out, 'id', input['id']);
  checkId(out, 'pointId', input['pointId']);
  out.push(...VALIDATORS[kind as RuleKind](input));
  return out;
}

/** Narrows `input` to a rule definition when `validateRule` finds nothing wrong. */
export function isRuleDefinition(input: unknown): input is RuleDefinition {
  return validateRule(input).length === 0;
}
