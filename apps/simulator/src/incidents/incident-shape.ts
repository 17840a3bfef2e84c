import { POINT_CATALOG, unitFactor, type PointType } from '@sw/sensors';
import type {
  EffectMode,
  Incident,
  IncidentKind,
  IncidentPhase,
  IncidentPointInfo,
  IncidentTarget,
  IncidentView,
} from './incident.types';

export interface IncidentKindSpec {
  /** Point types the incident acts on; empty = the gateway as a whole. */
  targetTypes: readonly PointType[];
  /** Act on every point of those types (true) or on the first one only. */
  allTargets: boolean;
  defaultDurationS: number;
  rampS: number;
  recoverS: number;
  effect: { mode: 'add'; peak: number } | { mode: 'scale'; drop: number } | { mode: 'silent' };
}

/** Peaks are in the type's default unit (catalog). */
export const INCIDENT_KIND_SPECS: Readonly<Record<IncidentKind, IncidentKindSpec>> = Object.freeze({
  // Past the 48 ppm orange and the 160 ppm red setpoints within ~20 s; held long enough to be seen.
  co_leak: { targetTypes: ['co'], allTargets: false, defaultDurationS: 180, rampS: 20, recoverS: 30, effect: { mode: 'add', peak: 200 } },
  // Flow and pressure lose 70 % in 3 s: beyond the catalog's "drop ≥ 30 % within 10 s → red".
  cooling_water_loss: {
    targetTypes: ['water_flow', 'water_pressure'], allTargets: true, defaultDurationS: 90, rampS: 3, recoverS: 15,
    effect: { mode: 'scale', drop: 0.7 },
  },
  // Past 70 °C (orange) and 75 °C within a minute, peaking at 85 °C.
  hopper_over_temperature: {
    targetTypes: ['hopper_temperature'], allTargets: false, defaultDurationS: 240, rampS: 60, recoverS: 120,
    effect: { mode: 'add', peak: 85 },
  },
  // Longer than 3 × the slowest demo interval (30 s), so the offline rule fires.
  gateway_silent: { targetTypes: [], allTargets: false, defaultDurationS: 150, rampS: 0, recoverS: 0, effect: { mode: 'silent' } },
});

/**
 * The incident's strength at `t`, 0–1: rising over the ramp until `holdUntil`, then falling over
 * the recovery from the level it had reached, so ending early during the ramp recovers smoothly.
 */
export function envelopeAt(incident: Incident, t: number): number {
  if (t < incident.holdUntil) return rise(incident, t);
  if (incident.recoverMs <= 0) return 0;
  const fall = 1 - (t - incident.holdUntil) / incident.recoverMs;
  return fall <= 0 ? 0 : rise(incident, incident.holdUntil) * fall;
}

function rise(incident: Incident, t: number): number {
  if (t < incident.startedAt) return 0;
  return incident.rampMs > 0 ? Math.min(1, (t - incident.startedAt) / incident.rampMs) : 1;
}

export function incidentEndsAt(incident: Incident): number {
  return incident.holdUntil + incident.recoverMs;
}

export function incidentPhase(incident: Incident, t: number): IncidentPhase {
  if (t >= incidentEndsAt(incident)) return 'over';
  if (t >= incident.holdUntil) return 'recovering';
  return t < incident.startedAt + incident.rampMs ? 'ramping' : 'holding';
}

/** The reading of a target point with the incident applied at strength `envelope`. */
export function applyTarget(value: number, target: IncidentTarget, envelope: number): number {
  return target.mode === 'add' ? value + target.amount * envelope : value * (1 - target.amount * envelope);
}

/**
 * The points of a gateway the incident acts on: the named one, or the first (or every) point of
 * the kind's types. Empty when the gateway has none.
 */
export function selectTargets(kind: IncidentKind, points: readonly IncidentPointInfo[], pointCode?: string): IncidentTarget[] {
  const spec = INCIDENT_KIND_SPECS[kind];
  const { effect } = spec;
  if (effect.mode === 'silent') return [];
  const targets: IncidentTarget[] = [];
  for (let index = 0; index < points.length; index++) {
    const p = points[index] as IncidentPointInfo;
    if (!spec.targetTypes.includes(p.type) || (pointCode !== undefined && p.code !== pointCode)) continue;
    const mode: EffectMode = effect.mode;
    const amount = effect.mode === 'add' ? Math.max(0, peakInUnit(p, effect.peak) - p.baseline) : effect.drop;
    targets.push({ index, code: p.code, mode, amount });
    if (!spec.allTargets) break;
  }
  return targets;
}

function peakInUnit(point: IncidentPointInfo, peak: number): number {
  const spec = POINT_CATALOG[point.type];
  return peak * (unitFactor(spec, spec.unit, point.unit) ?? 1);
}

export function toIncidentView(incident: Incident, now: number): IncidentView {
  return {
    id: incident.id,
    kind: incident.kind,
    gateway: incident.gateway,
    points: incident.targets.map((t) => t.code),
    phase: incidentPhase(incident, now),
    startedAt: new Date(incident.startedAt).toISOString(),
    recoveryStartsAt: new Date(incident.holdUntil).toISOString(),
    endsAt: new Date(incidentEndsAt(incident)).toISOString(),
  };
}
