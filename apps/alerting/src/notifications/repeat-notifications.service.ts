import { Inject, Injectable, Logger } from '@nestjs/common';
import { nextRepeatAt, type AlarmSnapshot, type EscalationPolicy } from '@sw/rules';
import { DataSource } from 'typeorm';
import { ESCALATION_POLICY } from '../alarms/alarm-context.factory';
import { AlarmTrackerService } from '../alarms/alarm-tracker.service';
import { TimerService, type TimerLane } from '../timers/timer.service';
import { DeliveryWorkerService } from './delivery-worker.service';
import { OutboxWriterService } from './outbox-writer.service';

/**
 * "Every 10 min again" (docs/domain.md, red): while an alarm escalates (unacknowledged, not shelved,
 * suppressed or closed) everyone notified so far is notified again at `nextRepeatAt`. Armed from
 * every snapshot the tracker takes, so an ack (from api, on internal/events) stops it. The rows are
 * keyed by the repeat's due time: a restart re-arms without queueing one twice. It holds one lane
 * entry per escalating alarm and nothing else: an ack, shelf, close or clear removes the entry, and
 * an entry whose alarm is no longer tracked (deleted) is dropped when it comes due.
 */
@Injectable()
export class RepeatNotificationsService {
  private readonly logger = new Logger(RepeatNotificationsService.name);
  private readonly lane: TimerLane<string>;

  constructor(
    private readonly timers: TimerService,
    private readonly tracker: AlarmTrackerService,
    private readonly ds: DataSource,
    private readonly writer: OutboxWriterService,
    private readonly worker: DeliveryWorkerService,
    @Inject(ESCALATION_POLICY) private readonly policy: EscalationPolicy,
  ) {
    this.lane = timers.lane<string>('repeats', (id, at) => void this.due(id, at));
    tracker.onChange((alarm) => this.arm(alarm));
  }

  private arm(alarm: AlarmSnapshot): void {
    const at = nextRepeatAt(alarm, this.timers.now(), this.policy);
    if (at === null) this.lane.delete(alarm.id);
    else this.lane.set(alarm.id, at);
  }

  private async due(id: string, at: number): Promise<void> {
    const alarm = this.tracker.get(id);
    if (!alarm) return;
    try {
      await this.ds.transaction(async (em) => {
        const rows: { region_code: string; snapshot: AlarmSnapshot }[] = await em.query(`SELECT region_code, snapshot FROM alarms WHERE id = $1`, [id]);
        const row = rows[0];
        if (!row || nextRepeatAt(row.snapshot, at - 1, this.policy) !== at) return; // acknowledged or moved on meanwhile
        await this.writer.enqueueRepeat(em, { alarm: row.snapshot, regionCode: row.region_code, at: new Date(at).toISOString() }, at);
      });
      this.worker.poke();
    } catch (err) {
      this.logger.warn(`repeat of alarm ${id}: ${(err as Error).message}`);
    }
    const next = this.tracker.get(id);
    if (next) this.arm(next);
  }
}
