import { Injectable } from '@nestjs/common';
import { brokerCheck, checkPostgres, type DependencyCheck, type HealthReport, type ObservabilityProbe } from '@sw/platform';
import { DataSource } from 'typeorm';
import { BrokerService } from '../broker/broker.service';
import { InfluxService } from '../readings/influx.service';
import { MetricsService } from './metrics.service';

/** What the api's `/health` and `/metrics` report (served by `ObservabilityController`, the shell's). */
@Injectable()
export class ObservabilityService implements ObservabilityProbe {
  constructor(
    private readonly metricsService: MetricsService,
    private readonly ds: DataSource,
    private readonly influx: InfluxService,
    private readonly broker: BrokerService,
  ) {}

  async health(): Promise<HealthReport> {
    const [postgres, influxdb] = await Promise.all([checkPostgres(this.ds), this.checkInflux()]);
    const broker = brokerCheck(this.broker.connected);
    // PostgreSQL is the ledger: without it nothing works. Without InfluxDB only history is gone,
    // without the broker live events still come from this process's own commits and PostgreSQL.
    const status = postgres.status === 'down' ? 'error' : influxdb.status === 'up' && broker.status === 'up' ? 'ok' : 'degraded';
    return { status, details: () => ({ checks: { postgres, influxdb, broker } }) };
  }

  metrics(): Promise<string> {
    return this.metricsService.registry.metrics();
  }

  private async checkInflux(): Promise<DependencyCheck> {
    const ping = await this.influx.ping();
    return ping.up ? { status: 'up', ...(ping.version && { detail: ping.version }) } : { status: 'down', detail: 'no answer to /ping' };
  }
}
