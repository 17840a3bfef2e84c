import { Injectable } from '@nestjs/common';
import { brokerCheck, checkPostgres, type HealthReport, type ObservabilityProbe } from '@sw/platform';
import { DataSource } from 'typeorm';
import { AlarmCommitService } from '../alarms/alarm-commit.service';
import { AlarmTrackerService } from '../alarms/alarm-tracker.service';
import { BrokerService } from '../broker/broker.service';
import { EvaluationService } from '../pipeline/evaluation.service';
import { PartitionLeaseService } from '../pipeline/partition-lease.service';
import { TimerService } from '../timers/timer.service';
import { MetricsService } from './metrics.service';

// Beyond these, alerting still works but is behind: /health says "degraded".
const LAG_DEGRADED_MS = 5_000;
const PENDING_DEGRADED = 1_000;

/**
 * What alerting's `/health` (each dependency, how far behind we are) and `/metrics` report, served
 * by the shell's `ObservabilityController` (libs/platform).
 */
@Injectable()
export class ObservabilityService implements ObservabilityProbe {
  constructor(
    private readonly metricsService: MetricsService,
    private readonly ds: DataSource,
    private readonly broker: BrokerService,
    private readonly evaluation: EvaluationService,
    private readonly commits: AlarmCommitService,
    private readonly timers: TimerService,
    private readonly tracker: AlarmTrackerService,
    private readonly leases: PartitionLeaseService,
  ) {}

  async health(): Promise<HealthReport> {
    const postgres = await checkPostgres(this.ds);
    const broker = brokerCheck(this.broker.connected);
    const lag = { readingsMs: this.evaluation.lastLagMs, timersMs: this.timers.lastLateMs, pendingTransitions: this.commits.pending };
    const behind = lag.readingsMs > LAG_DEGRADED_MS || lag.timersMs > LAG_DEGRADED_MS || lag.pendingTransitions > PENDING_DEGRADED;
    const status = postgres.status === 'down' || broker.status === 'down' ? 'error' : behind ? 'degraded' : 'ok';
    return {
      status,
      details: () => {
        const partitions = { owned: this.leases.partitions, instances: this.leases.members.count, member: this.leases.members.slot };
        return { checks: { postgres, broker }, lag, partitions, points: this.evaluation.size, alarmsNotClosed: this.tracker.size, timers: this.timers.size };
      },
    };
  }

  /** The gauges that are read, not counted, are set at scrape time. */
  metrics(): Promise<string> {
    const m = this.metricsService;
    for (const lane of ['rules', 'alarms', 'maintenance']) m.timerHeapSize.set({ lane }, this.timers.sizeOf(lane));
    m.timerLateness.set(this.timers.lastLateMs / 1000);
    m.points.set(this.evaluation.size);
    m.alarmsTracked.set(this.tracker.size);
    m.partitionsOwned.set(this.leases.partitions.length);
    m.leaseMembers.set(this.leases.members.count);
    return m.registry.metrics();
  }
}
