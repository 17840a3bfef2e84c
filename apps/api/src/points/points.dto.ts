import { checkedThresholdsSchema, createPointSchema, type Point, updatePointSchema } from '@sw/persistence';
import { missingContextOf } from '@sw/rules';
import type { ContextType, PointType } from '@sw/sensors';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

/**
 * `POST /gateways/{id}/points`: the registry's input shape (its unit check runs in
 * `RegistryService.createPoint`, which parses again), with the setpoints' order checked too.
 */
export const createPointBodySchema = createPointSchema.in.superRefine((p, ctx) => {
  if (!p.thresholds) return;
  const checked = checkedThresholdsSchema.safeParse(p.thresholds);
  for (const issue of checked.error?.issues ?? []) ctx.addIssue({ code: 'custom', path: ['thresholds', ...issue.path.map(String)], message: issue.message });
});

export class CreatePointDto extends createZodDto(createPointBodySchema) {}
export class UpdatePointDto extends createZodDto(updatePointSchema) {}

/** `POST /enterprises/{id}/template-points`: the gateway that takes the enterprise's mandatory set. */
export class TemplatePointsDto extends createZodDto(z.object({ gatewayId: z.string().uuid() }).strict()) {}

/**
 * A point as the API shows it. With `gatewayTypes` (the types of its gateway's points) it says
 * which context signal it lacks: `missingContext` non-null = 未接入工况信号 (its rules run ungated).
 */
export function pointView(p: Point & { enterpriseId?: string }, gatewayTypes?: Iterable<PointType>) {
  const missingContext: ContextType | null | undefined = gatewayTypes ? missingContextOf(p.type, gatewayTypes) : undefined;
  return {
    ...(missingContext !== undefined && { missingContext }),
    id: p.id,
    gatewayId: p.gatewayId,
    ...(p.enterpriseId && { enterpriseId: p.enterpriseId }),
    code: p.code,
    type: p.type,
    unit: p.unit,
    name: p.name,
    location: p.location,
    mandatory: p.mandatory,
    expectedIntervalS: p.expectedIntervalS,
    register: p.register,
    thresholds: p.thresholds,
    maintenanceUntil: p.maintenanceUntil,
    maintenanceReason: p.maintenanceReason,
    lastSeenAt: p.lastSeenAt,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}
