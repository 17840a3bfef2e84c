import { Controller, Get, Header, HttpCode, HttpStatus, Inject, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { INGEST_CONFIG, type IngestConfig } from '../config/ingest.config';
import { GatewayRegistryService } from '../gateways/gateway-registry.service';
import { InfluxWriterService } from '../influx/influx-writer.service';
import { assertInternalAccess, hasInternalAccess } from './internal-access.guard';
import { MetricsService } from './metrics.service';

type Check = { status: 'up' | 'down'; detail?: string };

/**
 * `GET /health` (liveness; each dependency and its error text only with internal access) and
 * `GET /metrics` (Prometheus text, internal access only: see `hasInternalAccess`).
 */
@Controller()
export class ObservabilityController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly influx: InfluxWriterService,
    private readonly ds: DataSource,
    private readonly registry: GatewayRegistryService,
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
  ) {}

  @Get('health')
  async health(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const [postgres, influxdb] = await Promise.all([this.checkPostgres(), this.checkInflux()]);
    // InfluxDB being down is degraded, not dead: readings are spooled meanwhile.
    const status = postgres.status === 'up' ? (influxdb.status === 'up' ? 'ok' : 'degraded') : 'error';
    res.status(status === 'error' ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK);
    if (!hasInternalAccess(req, this.config.METRICS_TOKEN)) return { status };
    return {
      status,
      checks: { postgres, influxdb },
      spool: { batches: this.influx.spooledBatches, pendingReadings: this.influx.pending },
      registry: { gateways: this.registry.size },
    };
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
    try {
      const hosts = await this.influx.influx.ping(2000);
      const host = hosts[0];
      return host?.online ? { status: 'up', detail: host.version } : { status: 'down', detail: 'no answer to /ping' };
    } catch (err) {
      return { status: 'down', detail: (err as Error).message };
    }
  }
}
