import { Injectable, Logger } from '@nestjs/common';
import { MaintenanceService } from '../alarms/maintenance.service';
import { PointRegistryService } from '../points/point-registry.service';
import { TimerService } from '../timers/timer.service';
import { PartitionAlarmsService } from './partition-alarms.service';
import { PartitionOwnershipService } from './partition-ownership.service';
import { PartitionRuleStatesService } from './partition-rule-states.service';

/**
 * The in-memory state of the partitions this instance owns. Restored in this order: ownership, the
 * alarms not closed and the persisted rule states (read together), the points adopted from those
 * states with every timer re-armed, the alarms reconciled with them, maintenance windows synced.
 * Released: ownership given up, states marked for writing (unless the lease is lost), slots,
 * timers and tracked alarms dropped — nothing is ended — and the states written.
 */
@Injectable()
export class PartitionStateService {
  private readonly logger = new Logger(PartitionStateService.name);

  constructor(
    private readonly ownership: PartitionOwnershipService,
    private readonly registry: PointRegistryService,
    private readonly alarms: PartitionAlarmsService,
    private readonly ruleStates: PartitionRuleStatesService,
    private readonly maintenance: MaintenanceService,
    private readonly timers: TimerService,
  ) {}

  async restore(partitions: readonly number[]): Promise<void> {
    this.ownership.own(partitions);
    const mine = new Set(partitions);
    const points = [...this.registry.all()].filter((p) => mine.has(this.ownership.partitionOfPoint(p.id)));
    const [alarms, persisted] = await Promise.all([this.alarms.load(), this.ruleStates.load(points)]);
    this.alarms.track(alarms, mine);
    const now = this.timers.now();
    this.ruleStates.adopt(points, persisted, now);
    // the alarm side follows the restored states (they are written before their transitions commit)
    this.alarms.reconcile(mine, now);
    for (const point of points) this.maintenance.sync(point.id, now);
    this.logger.log(`partitions ${partitions.join(',')}: evaluating ${points.length} points (${persisted.length} restored rule states, ${this.alarms.size} alarms not closed)`);
  }

  /** `lost`: the lease is gone already; states are not written (the next owner restores from what was stored). */
  async release(partitions: readonly number[], lost: boolean): Promise<void> {
    this.ownership.disown(partitions);
    const now = this.timers.now();
    this.ruleStates.dropDisowned(lost, now);
    this.alarms.untrackDisowned();
    this.ruleStates.reindex();
    this.logger.log(`released partitions ${partitions.join(',')}${lost ? ' (lease lost)' : ''}; evaluating ${this.ruleStates.size} points`);
    await this.ruleStates.written();
  }
}
