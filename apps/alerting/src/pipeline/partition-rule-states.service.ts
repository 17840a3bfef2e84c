import { Injectable } from '@nestjs/common';
import { RuleStateRepository, type EvaluationPoint } from '@sw/persistence';
import type { RuleState } from '@sw/rules';
import { ruleIdOf } from '../points/point-rules.factory';
import { PointRegistryService } from '../points/point-registry.service';
import { EvaluationService, stateAt } from './evaluation.service';
import { PartitionOwnershipService } from './partition-ownership.service';
import { RuleStateWriterService } from './rule-state-writer.service';

/** A persisted rule state, as `RuleStateRepository.load` returns it. */
export interface PersistedRuleState {
  pointId: string;
  ruleId: string;
  state: RuleState;
}

/**
 * The rule-state side of a partition handover: the points of the partitions taken over start
 * evaluating from their persisted states (timers re-armed), rows of rules they no longer have are
 * forgotten; the points of partitions handed over have their states written (unless the lease is
 * lost already) and stop evaluating.
 */
@Injectable()
export class PartitionRuleStatesService {
  constructor(
    private readonly states: RuleStateRepository,
    private readonly registry: PointRegistryService,
    private readonly evaluation: EvaluationService,
    private readonly writer: RuleStateWriterService,
    private readonly ownership: PartitionOwnershipService,
  ) {}

  /** Points under evaluation. */
  get size(): number {
    return this.evaluation.size;
  }

  load(points: readonly EvaluationPoint[]): Promise<PersistedRuleState[]> {
    return this.states.load(points.map((p) => p.id));
  }

  /** Starts evaluating `points` at `now` from what was persisted; forgets the rows of rules a point no longer has. */
  adopt(points: readonly EvaluationPoint[], persisted: readonly PersistedRuleState[], now: number): void {
    const byPoint = new Map<string, Map<string, RuleState>>();
    for (const row of persisted) byPoint.set(row.pointId, (byPoint.get(row.pointId) ?? new Map<string, RuleState>()).set(row.ruleId, row.state));
    for (const point of points) this.evaluation.adopt(point, this.registry.rulesFor(point), byPoint.get(point.id), now);
    this.evaluation.reindex();
    this.forgetOrphans(persisted);
  }

  /**
   * Stops evaluating the points this instance no longer owns; their states are written first unless
   * `lost` (the next owner restores from what was stored, and may already be writing newer states).
   */
  dropDisowned(lost: boolean, now: number): void {
    for (const slot of [...this.evaluation.all()]) {
      if (this.ownership.ownsPoint(slot.point.id)) continue;
      if (!lost) slot.rules.forEach((rule, i) => this.writer.mark(slot.point.id, ruleIdOf(rule, slot.point.id), stateAt(slot, i)));
      this.evaluation.drop(slot.point.id, now, false);
    }
    if (lost) this.writer.discard((pointId) => !this.ownership.ownsPoint(pointId));
  }

  reindex(): void {
    this.evaluation.reindex();
  }

  /** Resolves once every state marked so far is written. */
  written(): Promise<void> {
    return this.writer.barrier();
  }

  // Rows of rules a point no longer has (edited or deleted while we were down).
  private forgetOrphans(rows: readonly PersistedRuleState[]): void {
    for (const { pointId, ruleId } of rows) {
      if (!this.evaluation.slot(pointId)?.rules.some((r) => ruleIdOf(r, pointId) === ruleId)) this.writer.remove(pointId, ruleId);
    }
  }
}
