import { Controller, Get, Header, HttpCode, HttpStatus, Inject, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { UPLINK_CONFIG, type UplinkConfig } from '../config/uplink.config';
import { UplinkRunnerService } from '../delivery/uplink-runner.service';
import { OutboxRepository } from '../outbox/outbox.repository';
import { assertInternalAccess, hasInternalAccess } from './internal-access.guard';
import { MetricsService } from './metrics.service';

/**
 * `GET /health` (`{status}` for anyone; with internal access the database, whether this instance
 * forwards, the backlog and lag) and `GET /metrics` (Prometheus text, internal access only).
 */
@Controller()
export class ObservabilityController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly ds: DataSource,
    private readonly outbox: OutboxRepository,
    private readonly runner: UplinkRunnerService,
    @Inject(UPLINK_CONFIG) private readonly config: UplinkConfig,
  ) {}

  @Get('health')
  async health(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    let postgres: { status: 'up' | 'down'; detail?: string } = { status: 'up' };
    try {
      await this.ds.query('SELECT 1');
    } catch (err) {
      postgres = { status: 'down', detail: (err as Error).message };
    }
    const status = postgres.status === 'down' ? 'error' : 'ok';
    res.status(status === 'error' ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK);
    if (!hasInternalAccess(req, this.config.METRICS_TOKEN)) return { status };
    const uplink = this.runner.enabled ? { enabled: true, active: this.runner.active, ...(postgres.status === 'up' ? await this.refresh() : {}) } : { enabled: false };
    return { status, checks: { postgres }, uplink };
  }

  @Get('metrics')
  @HttpCode(200)
  @Header('Content-Type', 'text/plain; version=0.0.4')
  async metricsText(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<string> {
    assertInternalAccess(req, res, this.config.METRICS_TOKEN);
    if (this.runner.enabled) await this.refresh().catch(() => undefined);
    return this.metrics.registry.metrics();
  }

  /** Backlog, lag and last success from PostgreSQL into the gauges (the outbox is the truth, not this process). */
  private async refresh() {
    const stats = await this.outbox.stats();
    const lastSuccessAt = await this.outbox.lastSuccessAt();
    for (const [type, n] of Object.entries(stats.backlog)) this.metrics.backlog.set({ type }, n);
    const lagS = stats.oldestPendingAt ? Math.max(0, (Date.now() - stats.oldestPendingAt.getTime()) / 1000) : 0;
    this.metrics.lag.set(lagS);
    this.metrics.enterprisesBehind.set(stats.enterprisesBehind);
    this.metrics.lastSuccess.set(lastSuccessAt ? lastSuccessAt.getTime() / 1000 : 0);
    const backlog = Object.values(stats.backlog).reduce((a, b) => a + b, 0);
    return { backlog, backlogByType: stats.backlog, lagSeconds: lagS, enterprisesBehind: stats.enterprisesBehind, lastSuccessAt };
  }
}
