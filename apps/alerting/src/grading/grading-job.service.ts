import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { parseGradingConfig } from '@sw/grading';
import { shanghaiDayOf } from '@sw/kpi';
import { type GradeDayResult, GRADING_LOCK, influxQuery, RiskGradingService } from '@sw/persistence';
import { DataSource } from 'typeorm';
import { ALERTING_CONFIG, type AlertingConfig } from '../config/alerting.config';
import { PeriodicSweep } from '../timers/periodic-sweep';
import { TimerService } from '../timers/timer.service';

/**
 * The daily risk grading (分级分类 · 风险预警, docs/domain.md "The closed loop"). It runs here, in the
 * worker, not in api (docs/architecture.md "Where the closed loop will live": work on a clock stays out
 * of the interchangeable api instances). Every GRADING_INTERVAL_MS — and at start — it grades the
 * enterprises in scope that have no row for today (Asia/Shanghai) yet, as of that moment: the first run
 * of a day writes the day, later runs only add enterprises that entered the scope. Two instances
 * never run it together (advisory lock). Time comes from the timer service's clock (a test clock in specs).
 */
@Injectable()
export class GradingJobService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(GradingJobService.name);
  private readonly schedule: PeriodicSweep;
  private readonly grading: RiskGradingService;
  /** Runs finished by this process and the last result (health and specs). */
  get runs(): number {
    return this.schedule.runs;
  }
  last: GradeDayResult | null = null;

  constructor(
    private readonly timers: TimerService,
    @Inject(ALERTING_CONFIG) config: AlertingConfig,
    ds: DataSource,
  ) {
    const parsed = parseGradingConfig({ weights: config.GRADING_WEIGHTS, thresholds: config.GRADING_THRESHOLDS });
    if (!parsed.ok) throw new Error(`GRADING_WEIGHTS/GRADING_THRESHOLDS: ${parsed.problems.join('; ')}`);
    const influx = influxQuery({ url: config.INFLUX_URL, database: config.INFLUX_DB, username: config.INFLUX_USERNAME, password: config.INFLUX_PASSWORD });
    this.grading = new RiskGradingService(ds, influx, parsed.config);
    this.schedule = new PeriodicSweep(timers, 'risk-grading', config.GRADING_INTERVAL_MS, () => this.run());
  }

  onApplicationBootstrap(): void {
    this.schedule.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.schedule.stop();
  }

  private async run(): Promise<void> {
    const now = this.timers.now();
    const result = await this.grading.gradeDay({ day: shanghaiDayOf(now), asOf: now, onlyMissing: true, lockKey: GRADING_LOCK });
    if (!result.ran) return; // another instance is grading
    this.last = result;
    if (result.graded > 0) this.logger.log(`graded ${result.graded} enterprises for ${result.day}: ${JSON.stringify(result.levels)}`);
  }
}
