import { Injectable } from '@nestjs/common';
import { AlarmStore } from '@sw/persistence';
import type { AlarmSnapshot } from '@sw/rules';
import { AlarmCommitService } from '../alarms/alarm-commit.service';
import { AlarmTrackerService } from '../alarms/alarm-tracker.service';
import { ruleIdOf } from '../points/point-rules.factory';
import { EvaluationService, stateAt } from './evaluation.service';
import { PartitionOwnershipService } from './partition-ownership.service';
import { reconcileChange } from './rule-state.factory';

/**
 * The alarm side of a partition handover: the alarms not closed of the partitions taken over go
 * into the tracker, then follow the restored rule states (those are written before their
 * transitions commit, so they are the newer truth); the alarms of partitions handed over leave it.
 */
@Injectable()
export class PartitionAlarmsService {
  constructor(
    private readonly store: AlarmStore,
    private readonly tracker: AlarmTrackerService,
    private readonly ownership: PartitionOwnershipService,
    private readonly evaluation: EvaluationService,
    private readonly commits: AlarmCommitService,
  ) {}

  /** Alarms tracked (owned partitions only). */
  get size(): number {
    return this.tracker.size;
  }

  /** Every alarm not closed, as stored (filtered by `track`). */
  load(): Promise<AlarmSnapshot[]> {
    return this.store.notClosed();
  }

  track(alarms: readonly AlarmSnapshot[], partitions: ReadonlySet<number>): void {
    for (const alarm of alarms) if (alarm.pointId !== null && partitions.has(this.ownership.partitionOfPoint(alarm.pointId))) this.tracker.apply(alarm, 'loaded');
  }

  /** The alarms of `partitions` follow the restored states: a condition whose point or rule is gone ends, every rule's alarm matches its state. */
  reconcile(partitions: ReadonlySet<number>, now: number): void {
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

  /** Stops tracking the alarms of points this instance no longer owns (nothing is ended). */
  untrackDisowned(): void {
    for (const alarm of [...this.tracker.all()]) if (!this.ownership.ownsPoint(alarm.pointId)) this.tracker.drop(alarm.id);
  }
}
