import { Inject, Injectable } from '@nestjs/common';
import { conflict, forbidden, invalid, notFound } from '@sw/errors';
import { type MaintenanceInput, type MaintenanceRecord, MaintenanceRequestsRepository, type MaintenanceStatus, type Principal, scopeOf } from '@sw/persistence';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { PointsService } from '../points/points.service';

/**
 * 检修 filing (issue 14). An enterprise user's maintenance of a mandatory point is a request: nothing
 * is suppressed until a regulator of the region approves it, and it is at most
 * `MAINTENANCE_REQUEST_MAX_MINUTES` long; the window runs from the approval for the minutes asked.
 * A regulator (or admin) suppresses directly, and an enterprise user its points that are not
 * mandatory, as before; every route is audited, and every window is recorded here, so the board and
 * the half-year report show who suppressed what, when and on whose approval.
 *
 * A suppressed mandatory point stays visible rather than notifying on: its window exists only by a
 * regulator's decision, so notifying the regulator again says nothing new, while the hazard the
 * 判定标准 (第十四条) names — a monitor of a required point switched off unseen — is answered by the
 * board listing every running window on a mandatory point, the alarms still being recorded
 * (suppressed, not dropped), and the online rate and completeness not exempting the window.
 */
@Injectable()
export class MaintenanceService {
  constructor(
    private readonly repo: MaintenanceRequestsRepository,
    private readonly points: PointsService,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  /** `POST /points/{id}/maintenance`: a window at once, or (enterprise user, mandatory point) a pending request. */
  async start(p: Principal, pointId: string, input: MaintenanceInput): Promise<{ status: 'pending'; request: MaintenanceRecord } | ({ status: 'approved'; request: MaintenanceRecord } & Record<string, unknown>)> {
    const point = await this.points.get(p, pointId);
    if (p.role === 'enterprise' && point.mandatory) {
      const max = this.config.MAINTENANCE_REQUEST_MAX_MINUTES;
      if (input.minutes > max) throw invalid(`a maintenance request on a mandatory point may ask for at most ${max} minutes`);
      const request = await this.repo.insert({ pointId, enterpriseId: point.enterpriseId, kind: 'request', status: 'pending', mandatory: true, minutes: input.minutes, reason: input.reason, by: p });
      return { status: 'pending', request };
    }
    const start = new Date();
    const end = new Date(start.getTime() + input.minutes * 60_000);
    const started = await this.points.startMaintenance(p, pointId, input, start.getTime());
    await this.repo.endWindows(pointId, start);
    const request = await this.repo.insert({
      pointId,
      enterpriseId: point.enterpriseId,
      kind: 'direct',
      status: 'approved',
      mandatory: point.mandatory,
      minutes: input.minutes,
      reason: input.reason,
      by: p,
      window: { start, end },
    });
    return { ...started, status: 'approved', request };
  }

  /** `DELETE /points/{id}/maintenance`: ends the running window early (anyone who sees the point; ending is always safe). */
  async end(p: Principal, pointId: string) {
    const ended = await this.points.endMaintenance(p, pointId);
    await this.repo.endWindows(pointId, new Date());
    return ended;
  }

  async list(p: Principal, q: { status?: MaintenanceStatus; active?: 'true' | 'false'; pointId?: string }): Promise<MaintenanceRecord[]> {
    return this.repo.list(scopeOf(p), { status: q.status, pointId: q.pointId, activeAt: q.active === 'true' ? new Date() : undefined });
  }

  async get(p: Principal, id: string): Promise<MaintenanceRecord> {
    const found = await this.repo.get(id, scopeOf(p));
    if (!found) throw notFound(`maintenance request ${id} not found`);
    return found;
  }

  /** A regulator approves: the window starts now and runs for the minutes asked. */
  async approve(p: Principal, id: string, note: string | null) {
    const request = await this.get(p, id);
    if (request.status !== 'pending') throw conflict(`the request is ${request.status}, not pending`);
    const start = new Date();
    const end = new Date(start.getTime() + request.minutes * 60_000);
    if (!(await this.repo.decide(id, 'approved', p, note, { start, end }))) throw conflict('the request was decided meanwhile');
    await this.repo.endWindows(request.pointId, start, id);
    const started = await this.points.startMaintenance(p, request.pointId, { minutes: request.minutes, reason: `检修（${request.requestedByName} 申请，${p.username} 批准）：${request.reason}` }, start.getTime());
    return { request: await this.get(p, id), alarmsSuppressed: started.alarmsSuppressed, maintenanceUntil: started.maintenanceUntil };
  }

  async reject(p: Principal, id: string, note: string): Promise<MaintenanceRecord> {
    return this.close(p, id, 'rejected', note);
  }

  /** The requesting enterprise (or a regulator) withdraws a pending request. */
  async cancel(p: Principal, id: string): Promise<MaintenanceRecord> {
    return this.close(p, id, 'cancelled', null);
  }

  private async close(p: Principal, id: string, status: 'rejected' | 'cancelled', note: string | null): Promise<MaintenanceRecord> {
    const request = await this.get(p, id);
    if (status === 'rejected' && p.role === 'enterprise') throw forbidden('only a regulator decides a request');
    if (request.status !== 'pending' || !(await this.repo.decide(id, status, p, note))) throw conflict(`the request is ${request.status}, not pending`);
    return this.get(p, id);
  }
}
