import { Injectable } from '@nestjs/common';
import { checkPostgres, type HealthReport, type ObservabilityProbe } from '@sw/platform';
import { DataSource } from 'typeorm';
import { UplinkRunnerService } from '../delivery/uplink-runner.service';
import { OutboxRepository } from '../outbox/outbox.repository';
import { MetricsService } from './metrics.service';

/**
 * What the uplink's `/health` (with internal access: the database, whether this instance forwards,
 * the backlog and lag) and `/metrics` report, served by the shell's `ObservabilityController`.
 */
@Injectable()
export class ObservabilityService implements ObservabilityProbe {
  constructor(
    private readonly metricsService: MetricsService,
    private readonly ds: DataSource,
    private readonly outbox: OutboxRepository,
    private readonly runner: UplinkRunnerService,
  ) {}

  async health(): Promise<HealthReport> {
    const postgres = await checkPostgres(this.ds);
    const status = postgres.status === 'down' ? 'error' : 'ok';
    return {
      status,
      // read from PostgreSQL only for internal callers
      details: async () => {
        const uplink = this.runner.enabled ? { enabled: true, active: this.runner.active, ...(postgres.status === 'up' ? await this.refresh() : {}) } : { enabled: false };
        return { checks: { postgres }, uplink };
      },
    };
  }

  async metrics(): Promise<string> {
    if (this.runner.enabled) await this.refresh().catch(() => undefined);
    return this.metricsService.registry.metrics();
  }

  /** Backlog, lag and last success from PostgreSQL into the gauges (the outbox is the truth, not this process). */
  private async refresh() {
    const stats = await this.outbox.stats();
    const lastSuccessAt = await this.outbox.lastSuccessAt();
    for (const [type, n] of Object.entries(stats.backlog)) this.metricsService.backlog.set({ type }, n);
    const lagS = stats.oldestPendingAt ? Math.max(0, (Date.now() - stats.oldestPendingAt.getTime()) / 1000) : 0;
    this.metricsService.lag.set(lagS);
    this.metricsService.enterprisesBehind.set(stats.enterprisesBehind);
    this.metricsService.lastSuccess.set(lastSuccessAt ? lastSuccessAt.getTime() / 1000 : 0);
    const backlog = Object.values(stats.backlog).reduce((a, b) => a + b, 0);
    return { backlog, backlogByType: stats.backlog, lagSeconds: lagS, enterprisesBehind: stats.enterprisesBehind, lastSuccessAt };
  }
}
