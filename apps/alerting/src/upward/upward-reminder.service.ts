import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { UpwardRemindersRepository } from '@sw/persistence';
import { DataSource } from 'typeorm';
import { ALERTING_CONFIG, type AlertingConfig } from '../config/alerting.config';
import { DeliveryWorkerService } from '../notifications/delivery-worker.service';
import { TimerService, type TimerLane } from '../timers/timer.service';

/** Advisory-lock key of the sweep: one alerting instance sweeps at a time (any constant unique to the platform). */
export const UPWARD_REMINDER_LOCK = 1_765_700_000;

/**
 * Upward-reporting reminders (docs/domain.md "The closed loop", Upward): every
 * UPWARD_REMINDER_INTERVAL_MS the sweep checks whether today (Asia/Shanghai, from the timer
 * service's clock — a test clock in specs) lies in the 10 days before 4 June or 4 December and, if
 * so, queues one reminder per region with duty officers and due day (`UpwardRemindersRepository`:
 * advisory lock plus unique keys, so neither a second sweep nor a second instance repeats it).
 */
@Injectable()
export class UpwardReminderService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(UpwardReminderService.name);
  private readonly lane: TimerLane<'sweep'>;
  private readonly reminders: UpwardRemindersRepository;
  private running: Promise<void> | null = null;
  /** Sweeps finished by this process and the regions the last one reminded (health and specs). */
  sweeps = 0;
  lastReminded: string[] = [];

  constructor(
    private readonly timers: TimerService,
    private readonly worker: DeliveryWorkerService,
    @Inject(ALERTING_CONFIG) private readonly config: AlertingConfig,
    ds: DataSource,
  ) {
    this.reminders = new UpwardRemindersRepository(ds);
    this.lane = timers.lane<'sweep'>('upward-reminders', () => this.fire());
  }

  onApplicationBootstrap(): void {
    this.lane.set('sweep', this.timers.now());
  }

  async onApplicationShutdown(): Promise<void> {
    this.lane.delete('sweep');
    await this.running;
  }

  private fire(): void {
    if (this.running) return;
    this.running = this.sweep().finally(() => {
      this.running = null;
      this.lane.set('sweep', this.timers.now() + this.config.UPWARD_REMINDER_INTERVAL_MS);
    });
  }

  private async sweep(): Promise<void> {
    try {
      const reminded = await this.reminders.sweep(() => this.timers.now(), UPWARD_REMINDER_LOCK);
      if (reminded === null) return; // another instance is sweeping
      this.lastReminded = reminded;
      if (reminded.length > 0) this.worker.poke();
    } catch (err) {
      this.logger.warn(`upward reminder sweep failed: ${(err as Error).message}`);
    } finally {
      this.sweeps++;
    }
  }
}
