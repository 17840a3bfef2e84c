import { defaultRuleId, defaultRulesFor, validateRule, type PointForRules, type RuleDefinition } from '@sw/rules';
import { instantiateRule, type EvaluationPoint, type StoredRule } from '@sw/persistence';
import { scaleRule } from './rule-scaling.factory';

/**
 * The subject of a default rule shared by every point with the same settings: such a rule reads the
 * point's own readings given without a `pointId` (= the subject), and its real id is derived.
 */
export const ANY_POINT = '*';

/** A rule's id on a point: `{pointId}:{kind}` for a shared default rule (`defaultRuleId`), its own id otherwise. */
export function ruleIdOf(rule: RuleDefinition, pointId: string): string {
  return rule.pointId === ANY_POINT ? defaultRuleId(pointId, rule.kind) : rule.id;
}

/** Which stored rules apply to a point: its own, its enterprise's for its type, its regions' for its type. */
export class StoredRuleIndex {
  private readonly byKey = new Map<string, StoredRule[]>();

  constructor(readonly rules: readonly StoredRule[]) {
    for (const rule of rules) {
      const s = rule.scope;
      const key = s.type === 'point' ? `p|${s.pointId}` : s.type === 'enterprise' ? `e|${s.enterpriseId}|${s.pointType}` : `r|${s.regionCode}|${s.pointType}`;
      const list = this.byKey.get(key);
      if (list) list.push(rule);
      else this.byKey.set(key, [rule]);
    }
  }

  /** In a stable order (point, enterprise, region from the province down). */
  applicable(point: EvaluationPoint): StoredRule[] {
    const keys = [`p|${point.id}`, `e|${point.enterpriseId}|${point.type}`];
    for (const len of [2, 4, 6]) keys.push(`r|${point.regionCode.slice(0, len)}|${point.type}`);
    return keys.flatMap((k) => this.byKey.get(k) ?? []);
  }
}

/** Whether two lists of stored rules are the same rows in the same version. */
export function sameStoredRules(a: readonly StoredRule[], b: readonly StoredRule[]): boolean {
  return a.length === b.length && a.every((r, i) => r.id === b[i]?.id && r.updatedAt === b[i]?.updatedAt);
}

/** A point's rules (possibly shared with other points: never modify) and why any stored rule was left out. */
export interface PointRules {
  rules: readonly RuleDefinition[];
  problems: string[];
}

/**
 * A point's rules: `defaultRulesFor(point)` (catalog + `thresholds`) plus the stored rules that
 * apply, every duration divided by the time scale. The default rules of points with the same
 * settings are one shared array (subject `ANY_POINT`; typed readonly): 100,000 points cost no rule objects
 * of their own unless a stored rule applies to them (measured: ~680 bytes a point saved).
 */
export class PointRulesFactory {
  private readonly defaults = new Map<string, readonly RuleDefinition[]>();
  private readonly stored = new Map<string, RuleDefinition | string[]>();

  /** `contextGraceS`: the grace period of the default rules gated by a context (ALERTING_CONTEXT_GRACE_S). */
  constructor(
    private readonly scale: number,
    private readonly contextGraceS?: number,
  ) {}

  /** `contexts`: the context point ids of the point's gateway (casting_active, equipment_running). */
  rulesFor(point: EvaluationPoint, stored: readonly StoredRule[], contexts: PointForRules['contexts'] = {}): PointRules {
    const problems: string[] = [];
    let defaults: readonly RuleDefinition[] = [];
    try {
      defaults = this.defaultTemplates(point, contexts);
    } catch (err) {
      problems.push(`default rules of point ${point.id}: ${(err as Error).message}`);
    }
    if (stored.length === 0) return { rules: defaults, problems };
    const rules = [...defaults];
    for (const row of stored) {
      const t = this.storedTemplate(row, row.scope.type === 'point' ? point.id : ANY_POINT);
      if (Array.isArray(t)) problems.push(`rule ${row.id} on point ${point.id}: ${t.join('; ')}`);
      else rules.push({ ...t, pointId: point.id });
    }
    return { rules, problems };
  }

  /** Drops the stored-rule templates (after the rules were reloaded: old versions are garbage). */
  forgetStored(): void {
    this.stored.clear();
  }

  private defaultTemplates(point: EvaluationPoint, contexts: PointForRules['contexts']): readonly RuleDefinition[] {
    // the gate's point id is part of the key: points of one gateway share their gated rules
    const key = JSON.stringify([point.type, point.unit, point.mandatory, point.expectedIntervalS, point.thresholds, contexts]);
    let templates = this.defaults.get(key);
    if (!templates) {
      // not frozen: V8 reads frozen objects on a slow path (measured: half the readings per second)
      const context = { contexts, ...(this.contextGraceS !== undefined && { contextGraceS: this.contextGraceS }) };
      templates = defaultRulesFor({ ...point, id: ANY_POINT, ...context }).map((r) => scaleRule(r, this.scale));
      this.defaults.set(key, templates);
    }
    return templates;
  }

  // A stored rule validated once per version (and per subject for point rules, which name points).
  private storedTemplate(row: StoredRule, subject: string): RuleDefinition | string[] {
    const key = `${row.id}|${row.updatedAt}|${subject}`;
    let t = this.stored.get(key);
    if (!t) {
      const rule = instantiateRule(row.id, row.definition, subject);
      const problems = validateRule(rule);
      t = problems.length > 0 ? problems : scaleRule(rule, this.scale);
      this.stored.set(key, t);
    }
    return t;
  }
}
