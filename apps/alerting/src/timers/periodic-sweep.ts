import { Logger } from '@nestjs/common';
import type { TimerLane, TimerService } from './timer.service';

/**
 * A job alerting runs on its own clock (the overdue-hazard escalation, the upward-reporting
 * reminders, the daily risk grading): once at start, then `intervalMs` after the previous run
 * ended, never two runs at once in one process (a second instance is kept out by the job's own
 * advisory lock). Time comes from the timer service, so specs drive it with a fake clock.
 */
export class PeriodicSweep {
  private readonly logger: Logger;
  private readonly lane: TimerLane<'run'>;
  private running: Promise<void> | null = null;
  private stopped = false;
  /** Runs finished by this process, failed ones included (health and specs). */
  runs = 0;

  constructor(
    private readonly timers: TimerService,
    private readonly name: string,
    private readonly intervalMs: number,
    private readonly job: () => Promise<void>,
  ) {
    this.logger = new Logger(name);
    this.lane = timers.lane<'run'>(name, () => this.fire());
  }

  start(): void {
    this.stopped = false;
    this.lane.set('run', this.timers.now());
  }

  /** No run after this; waits for the one in progress (which does not re-arm). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.lane.delete('run');
    await this.running;
  }

  private fire(): void {
    if (this.running || this.stopped) return;
    this.running = this.once().finally(() => {
      this.running = null;
      if (!this.stopped) this.lane.set('run', this.timers.now() + this.intervalMs);
    });
  }

  private async once(): Promise<void> {
    try {
      await this.job();
    } catch (err) {
      this.logger.warn(`${this.name} failed: ${(err as Error).message}`);
    } finally {
      this.runs++;
    }
  }
}
