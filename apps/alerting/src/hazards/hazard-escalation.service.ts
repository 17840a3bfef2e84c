import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { HazardNoticesRepository } from '@sw/persistence';
import { DataSource } from 'typeorm';
import { ALERTING_CONFIG, type AlertingConfig } from '../config/alerting.config';
import { DeliveryWorkerService } from '../notifications/delivery-worker.service';
import { PeriodicSweep } from '../timers/periodic-sweep';
import { TimerService } from '../timers/timer.service';

/** Advisory-lock key of the sweep: one alerting instance sweeps at a time (any constant unique to the platform). */
export const HAZARD_SWEEP_LOCK = 1_765_400_200;

/**
 * "Overdue escalates like an unacknowledged red alarm" (docs/domain.md "The closed loop"): every
 * HAZARD_ESCALATION_INTERVAL_MS this sweep queues, for each hazard a day or more past its deadline
 * and not signed off, a notice to the district duty officer keyed by the overdue day — so each day
 * escalates once however often the sweep runs or how many instances run it (advisory lock plus
 * the outbox's unique key). Time comes from the timer service's clock (a test clock in specs).
 */
@Injectable()
export class HazardEscalationService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly schedule: PeriodicSweep;
  private readonly notices: HazardNoticesRepository;
  /** Sweeps finished by this process and the hazards the last one found due (health and specs). */
  get sweeps(): number {
    return this.schedule.runs;
  }
  lastDue: number | null = null;

  constructor(
    private readonly timers: TimerService,
    private readonly worker: DeliveryWorkerService,
    @Inject(ALERTING_CONFIG) config: AlertingConfig,
    ds: DataSource,
  ) {
    this.notices = new HazardNoticesRepository(ds);
    this.schedule = new PeriodicSweep(timers, 'hazard-escalation', config.HAZARD_ESCALATION_INTERVAL_MS, () => this.escalate());
  }

  onApplicationBootstrap(): void {
    this.schedule.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.schedule.stop();
  }

  /** One sweep; the clock is read once the lock is held. */
  private async escalate(): Promise<void> {
    const due = await this.notices.sweepOverdue(() => this.timers.now(), HAZARD_SWEEP_LOCK);
    if (due === null) return; // another instance is sweeping
    this.lastDue = due;
    if (due > 0) this.worker.poke();
  }
}
