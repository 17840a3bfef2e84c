import { Injectable } from '@nestjs/common';
import { checkPostgres, type DependencyCheck, type HealthReport, type ObservabilityProbe } from '@sw/platform';
import { DataSource } from 'typeorm';
import { GatewayRegistryService } from '../gateways/gateway-registry.service';
import { InfluxWriterService } from '../influx/influx-writer.service';
import { MetricsService } from './metrics.service';

/** What ingest's `/health` and `/metrics` report (served by the shell's `ObservabilityController`, libs/platform). */
@Injectable()
export class ObservabilityService implements ObservabilityProbe {
  constructor(
    private readonly metricsService: MetricsService,
    private readonly influx: InfluxWriterService,
    private readonly ds: DataSource,
    private readonly registry: GatewayRegistryService,
  ) {}

  async health(): Promise<HealthReport> {
    const [postgres, influxdb] = await Promise.all([checkPostgres(this.ds), this.checkInflux()]);
    // InfluxDB being down is degraded, not dead: readings are spooled meanwhile.
    const status = postgres.status === 'up' ? (influxdb.status === 'up' ? 'ok' : 'degraded') : 'error';
    return {
      status,
      details: () => ({
        checks: { postgres, influxdb },
        spool: { batches: this.influx.spooledBatches, pendingReadings: this.influx.pending, heldReadings: this.influx.heldReadings },
        registry: { gateways: this.registry.size },
      }),
    };
  }

  metrics(): Promise<string> {
    return this.metricsService.registry.metrics();
  }

  private async checkInflux(): Promise<DependencyCheck> {
    try {
      const hosts = await this.influx.influx.ping(2000);
      const host = hosts[0];
      return host?.online ? { status: 'up', detail: host.version } : { status: 'down', detail: 'no answer to /ping' };
    } catch (err) {
      return { status: 'down', detail: (err as Error).message };
    }
  }
}
