import { ruleInputSchema } from '@sw/persistence';
import { createZodDto } from 'nestjs-zod';

/**
 * `POST /rules`, `PUT /rules/{id}`: `{name, scope, definition, enabled?}`.
 * scope: `{type: "point", pointId}` | `{type: "enterprise", enterpriseId, pointType}` |
 * `{type: "region", regionCode, pointType}`. definition: a rule of libs/rules (kind `threshold`,
 * `rate`, `digital`, `combined`, `offline`, `fault`) without `id` and `pointId`, which the scope gives.
 */
export class RuleDto extends createZodDto(ruleInputSchema) {}
