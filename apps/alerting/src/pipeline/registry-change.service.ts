import { Injectable, Logger } from '@nestjs/common';
import type { EvaluationPoint } from '@sw/persistence';
import { MaintenanceService } from '../alarms/maintenance.service';
import { MetricsService } from '../observability/metrics.service';
import { sameStoredRules } from '../points/point-rules.factory';
import { PointRegistryService, type RegistryUpdate } from '../points/point-registry.service';
import { TimerService } from '../timers/timer.service';
import { EvaluationService } from './evaluation.service';
import { PartitionOwnershipService } from './partition-ownership.service';

/**
 * Keeps evaluation in step with the registry: starts it (LISTEN before load), then applies each of
 * its updates to the owned points — removed points end, changed ones and every point whose stored
 * rules or context gates moved get their rules rebuilt with their states carried over — and adopts
 * a point a reading names before its NOTIFY is applied.
 */
@Injectable()
export class RegistryChangeService {
  private readonly logger = new Logger(RegistryChangeService.name);
  private readonly loading = new Map<string, Promise<void>>();

  constructor(
    private readonly registry: PointRegistryService,
    private readonly evaluation: EvaluationService,
    private readonly ownership: PartitionOwnershipService,
    private readonly maintenance: MaintenanceService,
    private readonly timers: TimerService,
    private readonly metrics: MetricsService,
  ) {}

  /** Loads the registry, then follows its updates and the readings' unknown points. */
  async start(): Promise<void> {
    await this.registry.start();
    this.registry.onUpdate((update) => this.applyUpdate(update));
    this.evaluation.onUnknown((ids) => this.adoptUnknown(ids));
  }

  stop(): Promise<void> {
    return this.registry.stop();
  }

  applyUpdate(update: RegistryUpdate): void {
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
  adoptUnknown(ids: readonly string[]): Promise<void> {
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
}
