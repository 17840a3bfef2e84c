import { Controller, Get, Header, HttpCode, HttpStatus, Inject, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../auth/auth.decorator';
import { BrokerService } from '../broker/broker.service';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { InfluxService } from '../readings/influx.service';
import { assertInternalAccess, hasInternalAccess } from './internal-access.guard';
import { MetricsService } from './metrics.service';

type Check = { status: 'up' | 'down'; detail?: string };

/**
 * `GET /health` (liveness; each dependency and its error text only with internal access) and
 * `GET /metrics` (Prometheus text, internal access only: see `hasInternalAccess`).
 */
@ApiExcludeController()
@Public()
@Controller()
export class ObservabilityController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly ds: DataSource,
    private readonly influx: InfluxService,
    private readonly broker: BrokerService,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  @Get('health')
  async health(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const [postgres, influxdb] = await Promise.all([this.checkPostgres(), this.checkInflux()]);
    const broker: Check = this.broker.connected ? { status: 'up' } : { status: 'down', detail: 'no session with the broker' };
    // PostgreSQL is the ledger: without it nothing works. Without InfluxDB only history is gone,
    // without the broker live events still come from this process's own commits and PostgreSQL.
    const status = postgres.status === 'down' ? 'error' : influxdb.status === 'up' && broker.status === 'up' ? 'ok' : 'degraded';
    res.status(status === 'error' ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK);
    return hasInternalAccess(req, this.config.METRICS_TOKEN) ? { status, checks: { postgres, influxdb, broker } } : { status };
  }

  @Get('metrics')
  @HttpCode(200)
  @Header('Content-Type', 'text/plain; version=0.0.4')
  metricsText(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<string> {
    assertInternalAccess(req, res, this.config.METRICS_TOKEN);
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

  private async checkInflux(): Promise<Check> {
    const ping = await this.influx.ping();
    return ping.up ? { status: 'up', ...(ping.version && { detail: ping.version }) } : { status: 'down', detail: 'no answer to /ping' };
  }
}
