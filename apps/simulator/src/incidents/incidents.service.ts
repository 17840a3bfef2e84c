import { randomUUID } from 'node:crypto';
import { INCIDENT_KIND_SPECS, incidentEndsAt, selectTargets } from './incident-shape';
import type { Incident, IncidentGatewayInfo, IncidentKind } from './incident.types';

export type IncidentErrorCode = 'gateway_not_found' | 'no_target' | 'conflict' | 'not_found';

/** A refused incident request; the control API maps the code to an HTTP status. */
export class IncidentError extends Error {
  constructor(
    readonly code: IncidentErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface StartIncident {
  kind: IncidentKind;
  gateway?: string;
  point?: string;
  durationS?: number;
}

const NONE: readonly Incident[] = Object.freeze([]);

/**
 * The incidents in force, per gateway. Time is passed in, so the whole life of an incident is
 * tested without sleeping; an incident past its recovery is dropped on the next look.
 */
export class IncidentsService {
  private readonly byGateway = new Map<string, Incident[]>();

  constructor(
    private readonly gateways: readonly IncidentGatewayInfo[],
    private readonly newId: () => string = randomUUID,
  ) {}

  start(request: StartIncident, now: number): Incident {
    const spec = INCIDENT_KIND_SPECS[request.kind];
    const gateway = this.pickGateway(request);
    const targets = selectTargets(request.kind, gateway.points, request.point);
    if (spec.effect.mode !== 'silent' && targets.length === 0) {
      const what = request.point !== undefined ? `point ${request.point} of type ` : 'point of type ';
      throw new IncidentError('no_target', `gateway ${gateway.code} has no ${what}${spec.targetTypes.join(' or ')} for ${request.kind}`);
    }
    if (this.forGateway(gateway.code, now).some((i) => i.kind === request.kind)) {
      throw new IncidentError('conflict', `a ${request.kind} incident is already running on gateway ${gateway.code}`);
    }
    const incident: Incident = {
      id: this.newId(),
      kind: request.kind,
      gateway: gateway.code,
      targets,
      startedAt: now,
      rampMs: spec.rampS * 1000,
      holdUntil: now + (request.durationS ?? spec.defaultDurationS) * 1000,
      recoverMs: spec.recoverS * 1000,
    };
    this.byGateway.set(gateway.code, [...(this.byGateway.get(gateway.code) ?? []), incident]);
    return incident;
  }

  /** Starts the recovery now; an incident already recovering keeps its course. */
  end(id: string, now: number): Incident {
    const incident = this.list(now).find((i) => i.id === id);
    if (!incident) throw new IncidentError('not_found', `no active incident ${id}`);
    incident.holdUntil = Math.min(incident.holdUntil, now);
    return incident;
  }

  list(now: number): Incident[] {
    const all: Incident[] = [];
    for (const code of [...this.byGateway.keys()]) all.push(...this.forGateway(code, now));
    return all.sort((a, b) => a.startedAt - b.startedAt);
  }

  /** The gateway's incidents in force at `now` (the publishing path: no allocation when none). */
  forGateway(code: string, now: number): readonly Incident[] {
    const incidents = this.byGateway.get(code);
    if (!incidents) return NONE;
    if (incidents.every((i) => incidentEndsAt(i) > now)) return incidents;
    const live = incidents.filter((i) => incidentEndsAt(i) > now);
    if (live.length === 0) this.byGateway.delete(code);
    else this.byGateway.set(code, live);
    return live;
  }

  isSilent(code: string, now: number): boolean {
    const incidents = this.forGateway(code, now);
    return incidents.length > 0 && incidents.some((i) => i.kind === 'gateway_silent');
  }

  private pickGateway(request: StartIncident): IncidentGatewayInfo {
    if (request.gateway !== undefined) {
      const gateway = this.gateways.find((g) => g.code === request.gateway);
      if (!gateway) throw new IncidentError('gateway_not_found', `gateway ${request.gateway} is not simulated here`);
      return gateway;
    }
    const types = INCIDENT_KIND_SPECS[request.kind].targetTypes;
    const has = (g: IncidentGatewayInfo, t: string): boolean => g.points.some((p) => p.type === t);
    const gateway =
      this.gateways.find((g) => types.every((t) => has(g, t))) ?? this.gateways.find((g) => types.some((t) => has(g, t)));
    if (!gateway) throw new IncidentError('no_target', `no simulated gateway has a point of type ${types.join(' or ')} for ${request.kind}`);
    return gateway;
  }
}
