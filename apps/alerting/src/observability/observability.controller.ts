import { Controller, Get, Header, HttpCode, HttpStatus, Inject, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { AlarmCommitService } from '../alarms/alarm-commit.service';
import { AlarmTrackerService } from '../alarms/alarm-tracker.service';
import { BrokerService } from '../broker/broker.service';
import { ALERTING_CONFIG, type AlertingConfig } from '../config/alerting.config';
import { EvaluationService } from '../pipeline/evaluation.service';
import { PartitionLeaseService } from '../pipeline/partition-lease.service';
import { TimerService } from '../timers/timer.service';
import { assertInternalAccess, hasInternalAccess } from './internal-access.guard';
import { MetricsService } from './metrics.service';

type Check = { status: 'up' | 'down'; detail?: string };

// Beyond these, alerting still works but is behind: /health says "degraded".
const LAG_DEGRADED_MS = 5_000;
const PENDING_DEGRADED = 1_000;

/**
 * `GET /health` (liveness; each dependency, how far behind we are and error texts only with internal
 * access) and `GET /metrics` (Prometheus text, internal access only: see `hasInternalAccess`).
 */
@Controller()
export class ObservabilityController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly ds: DataSource,
    private readonly broker: BrokerService,
    private readonly evaluation: EvaluationService,
    private readonly commits: AlarmCommitService,
    private readonly timers: TimerService,
    private readonly tracker: AlarmTrackerService,
    private readonly leases: PartitionLeaseService,
    @Inject(ALERTING_CONFIG) private readonly config: AlertingConfig,
  ) {}

  @Get('health')
  async health(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const postgres = await this.checkPostgres();
    const broker: Check = this.broker.connected ? { status: 'up' } : { status: 'down', detail: 'no session with the broker' };
    const lag = { readingsMs: this.evaluation.lastLagMs, timersMs: this.timers.lastLateMs, pendingTransitions: this.commits.pending };
    const behind = lag.readingsMs > LAG_DEGRADED_MS || lag.timersMs > LAG_DEGRADED_MS || lag.pendingTransitions > PENDING_DEGRADED;
    const status = postgres.status === 'down' || broker.status === 'down' ? 'error' : behind ? 'degraded' : 'ok';
    res.status(status === 'error' ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK);
    if (!hasInternalAccess(req, this.config.METRICS_TOKEN)) return { status };
    const partitions = { owned: this.leases.partitions, instances: this.leases.members.count, member: this.leases.members.slot };
    return { status, checks: { postgres, broker }, lag, partitions, points: this.evaluation.size, alarmsNotClosed: this.tracker.size, timers: this.timers.size };
  }

  @Get('metrics')
  @HttpCode(200)
  @Header('Content-Type', 'text/plain; version=0.0.4')
  metricsText(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<string> {
    assertInternalAccess(req, res, this.config.METRICS_TOKEN);
    for (const lane of ['rules', 'alarms', 'maintenance']) this.metrics.timerHeapSize.set({ lane }, this.timers.sizeOf(lane));
    this.metrics.timerLateness.set(this.timers.lastLateMs / 1000);
    this.metrics.points.set(this.evaluation.size);
    this.metrics.alarmsTracked.set(this.tracker.size);
    this.metrics.partitionsOwned.set(this.leases.partitions.length);
    this.metrics.leaseMembers.set(this.leases.members.count);
    return this.metrics.registry.metrics();
  }

  private async checkPostgres(): Promise<Check> {
    try {
      await this.ds.query('SELECT 1');
      return { status: 'up' };
    } catch (err) {
      return { status: 'down', detail: (err as Error).message };
    }
  }
}
