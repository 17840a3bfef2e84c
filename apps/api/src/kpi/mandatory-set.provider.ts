import { Injectable } from '@nestjs/common';
import type { RequiredTypes } from '@sw/kpi';

/**
 * The port the connection KPI asks "which point types must this enterprise have as mandatory?".
 * The category templates (必选 sets per risk category) are another change; until they are wired
 * in, this answers `null` for everyone, and an enterprise's mandatory set is the mandatory points it
 * has registered (at least one). A template-backed provider replaces this class under `MANDATORY_SET` in `KpiModule`.
 */
export const MANDATORY_SET = Symbol('MANDATORY_SET');

export interface MandatorySetSource {
  requiredTypes(enterprise: { id: string; riskCategories: readonly string[] }): RequiredTypes;
}

@Injectable()
export class MandatorySetProvider implements MandatorySetSource {
  /** No template known yet: the registered mandatory points are the set. */
  requiredTypes(): RequiredTypes {
    return null;
  }
}
