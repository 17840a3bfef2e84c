import { Injectable } from '@nestjs/common';
import type { AlarmSnapshot } from '@sw/rules';
import { PointRegistryService } from '../points/point-registry.service';
import { TimerService, type TimerLane } from '../timers/timer.service';
import { underMaintenance } from './alarm-context.factory';
import { AlarmCommitService } from './alarm-commit.service';
import { AlarmTrackerService } from './alarm-tracker.service';
import { maintenanceTransition } from './alarm-timers.factory';

/**
 * Point maintenance (docs/contracts.md §3): while `maintenance_until` is ahead, the point's alarms are
 * suppressed (raised ones start suppressed), and when it passes — or is ended early — they are
 * unsuppressed, by a timer at `maintenance_until` with no data arriving. The registry is the only
 * judge, so alerting and api writing the same (idempotent) transition never flap.
 */
@Injectable()
export class MaintenanceService {
  private readonly lane: TimerLane<string>;

  constructor(
    private readonly timers: TimerService,
    private readonly registry: PointRegistryService,
    private readonly tracker: AlarmTrackerService,
    private readonly commits: AlarmCommitService,
  ) {
    this.lane = timers.lane<string>('maintenance', (pointId, _at, now) => this.sync(pointId, now));
    tracker.onChange((alarm, source) => {
      if (source === 'own') this.correct(alarm);
    });
  }

  /** Brings the point's alarms and its maintenance-end timer in line with the registry at `now`. */
  sync(pointId: string, now: number): void {
    const point = this.registry.get(pointId);
    const on = point !== undefined && underMaintenance(point, now);
    if (on) this.lane.set(pointId, point.maintenanceUntil as number);
    else this.lane.delete(pointId);
    for (const alarm of this.tracker.forPoint(pointId)) this.apply(alarm, on, point?.maintenanceReason ?? null, now);
  }

  // An alarm we raised with a view of the point taken just before its maintenance began.
  private correct(alarm: AlarmSnapshot): void {
    if (alarm.pointId === null || alarm.suppressed || alarm.stage === 'closed') return;
    const point = this.registry.get(alarm.pointId);
    const now = this.timers.now();
    if (point && underMaintenance(point, now)) this.apply(alarm, true, point.maintenanceReason, now);
  }

  private apply(alarm: AlarmSnapshot, on: boolean, reason: string | null, now: number): void {
    if (alarm.suppressed === on || alarm.stage === 'closed') return;
    void this.commits.alarmAction(alarm, on ? 'suppress' : 'unsuppress', (current) => maintenanceTransition(current, on, now, reason));
  }
}
