import { Inject, Injectable } from '@nestjs/common';
import type { AlarmSnapshot, EscalationPolicy } from '@sw/rules';
import { TimerService, type TimerLane } from '../timers/timer.service';
import { ESCALATION_POLICY } from './alarm-context.factory';
import { AlarmCommitService } from './alarm-commit.service';
import { AlarmTrackerService } from './alarm-tracker.service';
import { alarmDueAt, dueTransition } from './alarm-timers.factory';

/**
 * Escalation steps and shelf expiry of every alarm that is not closed, on the timer heap. Every
 * snapshot the tracker takes (our commits, operator events from api, the load after a restart)
 * re-arms the alarm from its persisted timestamps: an ack or a shelf stops escalation, an unshelve
 * or a reactivation restarts it, and a step that fell due while we were down fires at once.
 */
@Injectable()
export class AlarmTimersService {
  private readonly lane: TimerLane<string>;

  constructor(
    timers: TimerService,
    private readonly tracker: AlarmTrackerService,
    private readonly commits: AlarmCommitService,
    @Inject(ESCALATION_POLICY) private readonly policy: EscalationPolicy,
  ) {
    this.lane = timers.lane<string>('alarms', (id, _at, now) => this.due(id, now));
    tracker.onChange((alarm) => this.arm(alarm));
  }

  private arm(alarm: AlarmSnapshot): void {
    const at = alarm.stage === 'closed' ? null : alarmDueAt(alarm, this.policy);
    if (at === null) this.lane.delete(alarm.id);
    else this.lane.set(alarm.id, at);
  }

  private due(id: string, now: number): void {
    const alarm = this.tracker.get(id);
    if (alarm) void this.commits.alarmAction(alarm, 'timer', (current) => dueTransition(current, now, this.policy));
  }
}
