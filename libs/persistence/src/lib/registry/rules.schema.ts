import { z } from 'zod';
import { validateRule, type RuleDefinition } from '@sw/rules';
import { isPointType, normalizeRegionPrefix, type PointType } from '@sw/sensors';

const pointType = z.string().refine(isPointType, { message: 'pointType is not in the point catalog' }).transform((t) => t as PointType);

/**
 * Where a stored rule applies: one point, every point of a type within an enterprise, or within a
 * region prefix (docs/contracts.md §4 rules).
 */
export const ruleScopeSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('point'), pointId: z.guid() }).strict(),
  z.object({ type: z.literal('enterprise'), enterpriseId: z.guid(), pointType }).strict(),
  z
    .object({
      type: z.literal('region'),
      regionCode: z.string().transform((code, ctx) => {
        const prefix = normalizeRegionPrefix(code);
        if (!prefix) ctx.addIssue({ code: 'custom', message: 'regionCode must be a region prefix of 2, 4 or 6 digits' });
        return prefix ?? '';
      }),
      pointType,
    })
    .strict(),
]);
export type RuleScope = z.output<typeof ruleScopeSchema>;

/** A rule body: a `RuleDefinition` of @sw/rules without `id` and `pointId`, which the row supplies. */
export type StoredRuleBody = Omit<RuleDefinition, 'id' | 'pointId'> & Record<string, unknown>;

// Stands in for the subject while validating a rule that applies to every point of a type.
const ANY_POINT = 'subject';

/**
 * `POST`/`PUT /rules`: `definition` is checked by `validateRule` of @sw/rules with the row's id and
 * subject filled in (`id` and `pointId` sent in it are ignored: the row decides them). A `combined`
 * rule names specific points, so it takes a point scope.
 */
export const ruleInputSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    scope: ruleScopeSchema,
    definition: z.record(z.string(), z.unknown()),
    enabled: z.boolean().default(true),
  })
  .strict()
  .transform((r, ctx) => {
    const body = Object.fromEntries(Object.entries(r.definition).filter(([key]) => key !== 'id' && key !== 'pointId'));
    const subject = r.scope.type === 'point' ? r.scope.pointId : ANY_POINT;
    for (const message of validateRule({ ...body, id: 'rule', pointId: subject })) ctx.addIssue({ code: 'custom', path: ['definition'], message });
    if (body['kind'] === 'combined' && r.scope.type !== 'point') {
      ctx.addIssue({ code: 'custom', path: ['definition', 'kind'], message: 'a combined rule names its points: give it a point scope' });
    }
    return { ...r, definition: body as StoredRuleBody };
  });
export type RuleInput = z.input<typeof ruleInputSchema>;
export type ValidRule = z.output<typeof ruleInputSchema>;

/** The points a rule body names besides its subject: combined operands and the gate. */
export function pointsNamedBy(body: StoredRuleBody): string[] {
  const ids = new Set<string>();
  const gate = body['gate'] as { pointId?: unknown } | undefined;
  if (typeof gate?.pointId === 'string') ids.add(gate.pointId);
  const conditions = body['conditions'] as { value?: { point?: unknown; diff?: unknown } }[] | undefined;
  for (const c of Array.isArray(conditions) ? conditions : []) {
    if (typeof c.value?.point === 'string') ids.add(c.value.point);
    if (Array.isArray(c.value?.diff)) for (const p of c.value.diff) if (typeof p === 'string') ids.add(p);
  }
  return [...ids];
}

/** The rule definition a stored rule gives for one subject point (for the evaluator). */
export function instantiateRule(ruleId: string, body: StoredRuleBody, pointId: string): RuleDefinition {
  return { ...body, id: ruleId, pointId } as RuleDefinition;
}
