import { Inject, Injectable } from '@nestjs/common';
import { unavailable } from '@sw/errors';
import type { InfluxSeries } from '@sw/persistence';
import { InfluxDB } from 'influx';
import { API_CONFIG, type ApiConfig } from '../config/api.config';

/**
 * InfluxDB over its v1 HTTP API (docs/architecture.md: Stores), read-only for the api: runs the
 * statements of `InfluxReadingsRepository` (the only place InfluxQL is written) and pings.
 */
@Injectable()
export class InfluxService {
  readonly client: InfluxDB;
  readonly database: string;

  constructor(@Inject(API_CONFIG) config: ApiConfig) {
    const url = new URL(config.INFLUX_URL);
    this.database = config.INFLUX_DB;
    this.client = new InfluxDB({
      host: url.hostname,
      port: Number(url.port || (url.protocol === 'https:' ? 443 : 8086)),
      protocol: url.protocol === 'https:' ? 'https' : 'http',
      database: config.INFLUX_DB,
      ...(config.INFLUX_USERNAME && { username: config.INFLUX_USERNAME }),
      ...(config.INFLUX_PASSWORD && { password: config.INFLUX_PASSWORD }),
    });
  }

  /** Runs InfluxQL with epoch=ms; every series of the (single) statement. InfluxDB down → 503. */
  async query(influxQL: string): Promise<InfluxSeries[]> {
    let raw: { results?: { series?: InfluxSeries[]; error?: string }[]; error?: string };
    try {
      raw = (await this.client.queryRaw(influxQL, { precision: 'ms', database: this.database })) as typeof raw;
    } catch (err) {
      throw unavailable(`InfluxDB query failed: ${(err as Error).message}`);
    }
    const result = raw.results?.[0];
    const error = raw.error ?? result?.error;
    // a database that does not exist yet simply has no readings
    if (error && !/database not found/.test(error)) throw unavailable(`InfluxDB: ${error}`);
    return result?.series ?? [];
  }

  /** `/ping`: up with its version, or down. */
  async ping(timeoutMs = 2000): Promise<{ up: boolean; version?: string }> {
    try {
      const [host] = await this.client.ping(timeoutMs);
      return host?.online ? { up: true, version: host.version } : { up: false };
    } catch {
      return { up: false };
    }
  }
}
