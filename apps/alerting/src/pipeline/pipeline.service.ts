import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { AlarmStore, decodeCommittedEvent, RuleStateRepository, type EvaluationPoint } from '@sw/persistence';
import type { RuleState } from '@sw/rules';
import { TOPICS } from '@sw/sensors';
import { AlarmCommitService } from '../alarms/alarm-commit.service';
import { AlarmTrackerService } from '../alarms/alarm-tracker.service';
import { MaintenanceService } from '../alarms/maintenance.service';
import { BrokerService } from '../broker/broker.service';
import { MetricsService } from '../observability/metrics.service';
import { ruleIdOf, sameStoredRules } from '../points/point-rules.factory';
import { PointRegistryService, type RegistryUpdate } from '../points/point-registry.service';
import { TimerService } from '../timers/timer.service';
import { EvaluationService, stateAt } from './evaluation.service';
import { PartitionLeaseService } from './partition-lease.service';
import { PartitionOwnershipService } from './partition-ownership.service';
import { ReadingIntakeService } from './reading-intake.service';
import { RuleStateWriterService } from './rule-state-writer.service';
import { reconcileChange } from './rule-state.factory';

const DRAIN_MS = 10_000;
/** How long a handed-over partition's in-flight transitions may take before the lease is let go anyway (the fence stops them then). */
const SETTLE_MS = 5_000;

/**
 * Starts and stops alerting in an order that loses nothing: the registry (LISTEN before load), the
 * control session (operator events), then the partitions this instance wins leases for — each one
 * restored (alarms, persisted states, reconciliation of the two, timers) before its persistent
 * broker session opens, so the readings queued there meet a fully restored state. A partition is
 * handed over in the reverse order: its session closes first (unacknowledged batches stay queued at
 * the broker), its transitions settle, its states are written, and only then is the lease let go.
 */
@Injectable()
export class PipelineService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(PipelineService.name);
  private readonly loading = new Map<string, Promise<void>>();

  constructor(
    private readonly registry: PointRegistryService,
    private readonly ownership: PartitionOwnershipService,
    private readonly leases: PartitionLeaseService,
    private readonly evaluation: EvaluationService,
    private readonly intake: ReadingIntakeService,
    private readonly tracker: AlarmTrackerService,
    private readonly commits: AlarmCommitService,
    private readonly maintenance: MaintenanceService,
    private readonly writer: RuleStateWriterService,
    private readonly broker: BrokerService,
    private readonly timers: TimerService,
    private readonly store: AlarmStore,
    private readonly states: RuleStateRepository,
    private readonly metrics: MetricsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.registry.start();
    this.registry.onUpdate((update) => this.applyUpdate(update));
    this.evaluation.onUnknown((ids) => this.adoptUnknown(ids));
    this.broker.route(TOPICS.events, (_topic, payload) => this.follow(payload));
    await this.broker.start();
    await this.leases.start({
      acquire: (partitions) => this.acquire(partitions),
      release: (partitions, lost) => this.release(partitions, lost),
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.leases.stop(); // partitions handed over with their states written
    await this.broker.stop();
    this.timers.stop();
    await this.commits.drain(DRAIN_MS);
    await this.writer.stop();
    await this.registry.stop();
  }

  /**
   * Takes over partitions: their alarms and persisted states, reconciled, with every timer re-armed;
   * then their broker sessions, with what was queued for them while nobody owned them.
   */
  async acquire(partitions: readonly number[]): Promise<void> {
    await this.restore(partitions);
    await Promise.all(partitions.map((p) => this.broker.openPartition(p, (topic, payload) => this.intake.handle(topic, payload) ?? undefined)));
  }

  /**
   * Hands partitions over: their sessions closed (the broker keeps what is unacknowledged), their
   * transitions settled, states written, slots and timers dropped; nothing is ended. `lost`: the
   * lease is gone already, so close at once (the fence stops whatever is still in flight).
   */
  async release(partitions: readonly number[], lost = false): Promise<void> {
    await Promise.all(partitions.map((p) => this.broker.closePartition(p, lost)));
    if (!lost) await this.commits.settle(SETTLE_MS);
    this.ownership.disown(partitions);
    const now = this.timers.now();
    for (const slot of [...this.evaluation.all()]) {
      if (this.ownership.ownsPoint(slot.point.id)) continue;
      if (!lost) slot.rules.forEach((rule, i) => this.writer.mark(slot.point.id, ruleIdOf(rule, slot.point.id), stateAt(slot, i)));
      this.evaluation.drop(slot.point.id, now, false);
    }
    // a lost lease: the next owner restores from what was stored, and may already be writing newer states
    if (lost) this.writer.discard((pointId) => !this.ownership.ownsPoint(pointId));
    for (const alarm of [...this.tracker.all()]) if (!this.ownership.ownsPoint(alarm.pointId)) this.tracker.drop(alarm.id);
    this.evaluation.reindex();
    this.logger.log(`released partitions ${partitions.join(',')}${lost ? ' (lease lost)' : ''}; evaluating ${this.evaluation.size} points`);
    await this.writer.barrier();
  }

  private async restore(partitions: readonly number[]): Promise<void> {
    this.ownership.own(partitions);
    const mine = new Set(partitions);
    const points = [...this.registry.all()].filter((p) => mine.has(this.ownership.partitionOfPoint(p.id)));
    const [alarms, persisted] = await Promise.all([this.store.notClosed(), this.states.load(points.map((p) => p.id))]);
    for (const alarm of alarms) if (alarm.pointId !== null && mine.has(this.ownership.partitionOfPoint(alarm.pointId))) this.tracker.apply(alarm, 'loaded');
    const byPoint = new Map<string, Map<string, RuleState>>();
    for (const row of persisted) byPoint.set(row.pointId, (byPoint.get(row.pointId) ?? new Map<string, RuleState>()).set(row.ruleId, row.state));
    const now = this.timers.now();
    for (const point of points) this.evaluation.adopt(point, this.registry.rulesFor(point), byPoint.get(point.id), now);
    this.evaluation.reindex();
    this.forgetOrphanStates(persisted);
    this.reconcile(mine, now);
    for (const point of points) this.maintenance.sync(point.id, now);
    this.logger.log(`partitions ${partitions.join(',')}: evaluating ${points.length} points (${persisted.length} restored rule states, ${this.tracker.size} alarms not closed)`);
  }

  // The alarm side follows the restored states (they are written before their transitions commit).
  private reconcile(partitions: ReadonlySet<number>, now: number): void {
    for (const alarm of [...this.tracker.all()]) {
      if (alarm.pointId === null || !partitions.has(this.ownership.partitionOfPoint(alarm.pointId))) continue;
      if (this.evaluation.slot(alarm.pointId)?.rules.some((r) => ruleIdOf(r, alarm.pointId as string) === alarm.ruleId)) continue; // judged below
      // the point or the rule is gone: its condition cannot hold any more
      if (alarm.condition === 'active') void this.commits.endCondition(alarm, now);
    }
    for (const slot of this.evaluation.all()) {
      if (!partitions.has(this.ownership.partitionOfPoint(slot.point.id))) continue;
      slot.rules.forEach((rule, i) => {
        const id = ruleIdOf(rule, slot.point.id);
        const change = reconcileChange(rule, stateAt(slot, i), this.tracker.forRule(id, slot.point.id), now);
        if (change) void this.commits.conditionChange(slot.point, { id, kind: rule.kind }, change, null);
      });
    }
  }

  // Rows of rules a point no longer has (edited or deleted while we were down).
  private forgetOrphanStates(rows: readonly { pointId: string; ruleId: string }[]): void {
    for (const { pointId, ruleId } of rows) {
      if (!this.evaluation.slot(pointId)?.rules.some((r) => ruleIdOf(r, pointId) === ruleId)) this.writer.remove(pointId, ruleId);
    }
  }

  private applyUpdate(update: RegistryUpdate): void {
    const now = this.timers.now();
    for (const id of update.removed) this.evaluation.drop(id, now, true);
    const touched = new Map<string, EvaluationPoint>();
    for (const p of update.changed) if (this.ownership.ownsPoint(p.id)) touched.set(p.id, p);
    if (update.contextGateways.size > 0) {
      // a context point came or went: the gates of every point on its gateway follow
      for (const slot of this.evaluation.all()) {
        if (update.contextGateways.has(slot.point.gatewayId)) touched.set(slot.point.id, this.registry.get(slot.point.id) ?? slot.point);
      }
    }
    if (update.rulesBefore) {
      for (const slot of this.evaluation.all()) {
        const p = slot.point;
        if (!sameStoredRules(update.rulesBefore.applicable(p), this.registry.rules.applicable(p))) touched.set(p.id, this.registry.get(p.id) ?? p);
      }
    }
    for (const p of touched.values()) this.evaluation.update(p, this.registry.rulesFor(p), now);
    if (touched.size > 0 || update.removed.length > 0) this.evaluation.reindex();
    for (const p of update.changed) if (touched.has(p.id)) this.maintenance.sync(p.id, now);
  }

  /**
   * Read-your-writes: a reading names a point registered a moment ago whose NOTIFY has not been
   * applied yet. It is read from PostgreSQL and adopted (with its gateway's context gates) before
   * the reading is judged; a context point also re-gates its gateway's points. One load per point at a time.
   */
  private adoptUnknown(ids: readonly string[]): Promise<void> {
    return Promise.all(
      ids.map((id) => {
        let loading = this.loading.get(id);
        if (!loading) {
          loading = this.adoptOne(id)
            .catch((err: Error) => this.logger.warn(`could not adopt point ${id}: ${err.message}`))
            .finally(() => this.loading.delete(id));
          this.loading.set(id, loading);
        }
        return loading;
      }),
    ).then(() => undefined);
  }

  private async adoptOne(id: string): Promise<void> {
    if (this.evaluation.slot(id) || !this.ownership.ownsPoint(id)) return;
    const known = this.registry.get(id);
    const point = known ?? (await this.registry.load(id));
    if (!point || this.evaluation.slot(id)) return;
    const context = !known && (point.type === 'casting_active' || point.type === 'equipment_running');
    this.metrics.pointsAdopted.inc();
    this.applyUpdate({ changed: [point], removed: [], rulesBefore: null, contextGateways: new Set(context ? [point.gatewayId] : []) });
  }

  private follow(payload: Buffer): void {
    const alarm = decodeCommittedEvent(payload)?.alarm; // the one committed-event schema (@sw/persistence)
    if (!alarm || !this.ownership.ownsPoint(alarm.pointId)) return;
    this.metrics.eventsFollowed.inc();
    this.tracker.apply(alarm, 'followed');
  }
}
