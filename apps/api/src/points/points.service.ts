import { Injectable } from '@nestjs/common';
import { conflict, notFound } from '@sw/errors';
import {
  type CreatePointInput,
  EnterprisesRepository,
  RegistryError,
  type MaintenanceInput,
  type PageRequest,
  PointsRepository,
  type Principal,
  RegistryService,
  type ScopedPoint,
  scopeOf,
  type UpdatePointInput,
} from '@sw/persistence';
import { type Actor, suppress, unsuppress } from '@sw/rules';
import { mandatorySetOf } from '@sw/sensors';
import { AlarmTransitionsService } from '../alarms/alarm-transitions.service';
import { GatewaysService } from '../gateways/gateways.service';
import { pointView } from './points.dto';

@Injectable()
export class PointsService {
  constructor(
    private readonly registry: RegistryService,
    private readonly points: PointsRepository,
    private readonly gateways: GatewaysService,
    private readonly transitions: AlarmTransitionsService,
    private readonly enterprises: EnterprisesRepository,
  ) {}

  async create(p: Principal, gatewayId: string, input: CreatePointInput) {
    await this.gateways.get(p, gatewayId);
    const point = await this.registry.createPoint(gatewayId, input);
    return pointView(point, await this.points.typesOfGateway(gatewayId));
  }

  async listOfGateway(p: Principal, gatewayId: string, page: PageRequest) {
    await this.gateways.get(p, gatewayId);
    const [result, types] = await Promise.all([this.points.listByGateway(gatewayId, page), this.points.typesOfGateway(gatewayId)]);
    return { ...result, items: result.items.map((point) => pointView(point, types)) };
  }

  /** The point as the API shows it, with the context signal it lacks (未接入工况信号). */
  async view(p: Principal, id: string) {
    const point = await this.get(p, id);
    return pointView(point, await this.points.typesOfGateway(point.gatewayId));
  }

  /**
   * Creates on one of the enterprise's MQTT gateways the points of its categories' mandatory set
   * (必选, libs/sensors) that the gateway does not have by code yet, each `mandatory`; answers what
   * was created, what was skipped, and the coverage after.
   */
  async createTemplatePoints(p: Principal, enterpriseId: string, gatewayId: string) {
    const gateway = await this.gateways.get(p, gatewayId);
    const enterprise = await this.enterprises.get(enterpriseId, scopeOf(p));
    if (!enterprise || gateway.enterpriseId !== enterpriseId) throw notFound(`gateway ${gatewayId} of enterprise ${enterpriseId} not found`);
    if (gateway.protocol !== 'mqtt') throw new RegistryError('invalid', 'the mandatory set is created on an MQTT gateway (a Modbus point needs its register)');
    const existing = new Set((await this.points.listByGateway(gatewayId, { page: 1, pageSize: 10_000 })).items.map((pt) => pt.code));
    const created = [];
    const skipped: { code: string; reason: string }[] = [];
    for (const t of mandatorySetOf(enterprise.riskCategories)) {
      if (existing.has(t.code)) {
        skipped.push({ code: t.code, reason: 'the gateway has a point with this code' });
        continue;
      }
      created.push(await this.registry.createPoint(gatewayId, { code: t.code, type: t.type, unit: t.unit, name: t.nameZh, mandatory: true, expectedIntervalS: t.expectedIntervalS }));
    }
    const types = await this.points.typesOfGateway(gatewayId);
    const coverage = await this.enterprises.mandatoryConnected([enterprise]);
    return { created: created.map((pt) => pointView(pt, types)), skipped, mandatoryConnected: coverage.get(enterpriseId) };
  }

  /** In scope or 404. */
  async get(p: Principal, id: string): Promise<ScopedPoint> {
    const point = await this.points.get(id, scopeOf(p));
    if (!point) throw notFound(`point ${id} not found`);
    return point;
  }

  async update(p: Principal, id: string, input: UpdatePointInput) {
    await this.get(p, id);
    return pointView(await this.points.update(id, input));
  }

  async delete(p: Principal, id: string): Promise<void> {
    await this.get(p, id);
    await this.points.delete(id);
  }

  /** docs/contracts.md §3: maintenance starts (at `at`) → `suppressed` on each of the point's alarms that is not closed. */
  async startMaintenance(p: Principal, id: string, input: MaintenanceInput, at = Date.now()) {
    const point = await this.get(p, id);
    await this.points.startMaintenance(id, new Date(at + input.minutes * 60_000), input.reason);
    const changed = await this.forEachAlarm(point, (alarm) => suppress(alarm, { at, actor: actorOf(p), reason: input.reason }));
    return { ...pointView(await this.get(p, id)), alarmsSuppressed: changed };
  }

  /**
   * Ends maintenance early → `unsuppressed`; 409 when the point is not under maintenance. A window
   * that runs out is alerting's to end (a timer at maintenance_until).
   */
  async endMaintenance(p: Principal, id: string) {
    const point = await this.get(p, id);
    if (!(await this.points.endMaintenance(id))) throw conflict('the point is not under maintenance');
    const at = Date.now();
    const changed = await this.forEachAlarm(point, (alarm) => unsuppress(alarm, { at, actor: actorOf(p) }));
    return { ...pointView(await this.get(p, id)), alarmsUnsuppressed: changed };
  }

  private async forEachAlarm(point: ScopedPoint, fn: Parameters<AlarmTransitionsService['apply']>[2]): Promise<number> {
    let changed = 0;
    for (const alarmId of await this.points.alarmsNotClosed(point.id)) {
      const outcome = await this.transitions.apply(alarmId, point.regionCode, fn);
      if (outcome.ok && outcome.events.length > 0) changed++;
    }
    return changed;
  }
}

function actorOf(p: Principal): Actor {
  return { id: p.id, username: p.username, role: p.role };
}
