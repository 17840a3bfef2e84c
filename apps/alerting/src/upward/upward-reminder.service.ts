import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { UpwardRemindersRepository } from '@sw/persistence';
import { DataSource } from 'typeorm';
import { ALERTING_CONFIG, type AlertingConfig } from '../config/alerting.config';
import { DeliveryWorkerService } from '../notifications/delivery-worker.service';
import { PeriodicSweep } from '../timers/periodic-sweep';
import { TimerService } from '../timers/timer.service';

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
  private readonly schedule: PeriodicSweep;
  private readonly reminders: UpwardRemindersRepository;
  /** Sweeps finished by this process and the regions the last one reminded (health and specs). */
  get sweeps(): number {
    return this.schedule.runs;
  }
  lastReminded: string[] = [];

  constructor(
    private readonly timers: TimerService,
    private readonly worker: DeliveryWorkerService,
    @Inject(ALERTING_CONFIG) config: AlertingConfig,
    ds: DataSource,
  ) {
    this.reminders = new UpwardRemindersRepository(ds);
    this.schedule = new PeriodicSweep(timers, 'upward-reminders', config.UPWARD_REMINDER_INTERVAL_MS, () => this.remind());
  }

  onApplicationBootstrap(): void {
    this.schedule.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.schedule.stop();
  }

  private async remind(): Promise<void> {
    const reminded = await this.reminders.sweep(() => this.timers.now(), UPWARD_REMINDER_LOCK);
    if (reminded === null) return; // another instance is sweeping
    this.lastReminded = reminded;
    if (reminded.length > 0) this.worker.poke();
  }
}
