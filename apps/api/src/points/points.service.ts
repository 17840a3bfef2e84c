import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import {
  type CreatePointInput,
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
  ) {}

  async create(p: Principal, gatewayId: string, input: CreatePointInput) {
    await this.gateways.get(p, gatewayId);
    return pointView(await this.registry.createPoint(gatewayId, input));
  }

  async listOfGateway(p: Principal, gatewayId: string, page: PageRequest) {
    await this.gateways.get(p, gatewayId);
    const result = await this.points.listByGateway(gatewayId, page);
    return { ...result, items: result.items.map(pointView) };
  }

  /** In scope or 404. */
  async get(p: Principal, id: string): Promise<ScopedPoint> {
    const point = await this.points.get(id, scopeOf(p));
    if (!point) throw new NotFoundException(`point ${id} not found`);
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

  /** CONTRACTS.md §3: maintenance starts (at `at`) → `suppressed` on each of the point's alarms that is not closed. */
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
    if (!(await this.points.endMaintenance(id))) throw new ConflictException('the point is not under maintenance');
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
