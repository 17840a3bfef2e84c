import type { PointType } from '@sw/sensors';

export const INCIDENT_KINDS = ['co_leak', 'cooling_water_loss', 'hopper_over_temperature', 'gateway_silent'] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

/** How an incident changes a point: `add` amount × envelope, or `scale` by 1 − amount × envelope. */
export type EffectMode = 'add' | 'scale';

export interface IncidentTarget {
  /** Index of the point in its gateway's point list (the order of the credentials file). */
  index: number;
  code: string;
  mode: EffectMode;
  /** `add`: in the point's unit, at full envelope; `scale`: the fraction removed at full envelope. */
  amount: number;
}

/**
 * One injected incident. Times are epoch ms: the effect ramps up from `startedAt` over `rampMs`,
 * holds until `holdUntil` (start + duration, or the moment it was ended early), then recovers over
 * `recoverMs`; it is over at `holdUntil + recoverMs`.
 */
export interface Incident {
  id: string;
  kind: IncidentKind;
  gateway: string;
  targets: IncidentTarget[];
  startedAt: number;
  rampMs: number;
  holdUntil: number;
  recoverMs: number;
}

export type IncidentPhase = 'ramping' | 'holding' | 'recovering' | 'over';

/** What the control API answers for an incident. */
export interface IncidentView {
  id: string;
  kind: IncidentKind;
  gateway: string;
  points: string[];
  phase: IncidentPhase;
  startedAt: string;
  recoveryStartsAt: string;
  endsAt: string;
}

/** A point of a gateway as incidents see it: enough to pick targets and size the effect. */
export interface IncidentPointInfo {
  code: string;
  type: PointType;
  unit: string;
  baseline: number;
}

export interface IncidentGatewayInfo {
  code: string;
  points: readonly IncidentPointInfo[];
}
