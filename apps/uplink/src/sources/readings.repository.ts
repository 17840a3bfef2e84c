import { Inject, Injectable } from '@nestjs/common';
import { InfluxDB } from 'influx';
import { UPLINK_CONFIG, type UplinkConfig } from '../config/uplink.config';

/** Per point and window: the aggregates the province receives (docs/contracts.md §6 `readings`). */
export interface PointAggregate {
  enterpriseId: string;
  pointId: string;
  type: string;
  windowStart: number;
  min: number;
  max: number;
  mean: number;
  last: number;
  count: number;
}

interface Series {
  tags?: Record<string, string>;
  columns: string[];
  values: unknown[][];
}

/** InfluxDB over its v1 API, read-only: the one place of the uplink's InfluxQL. */
@Injectable()
export class ReadingsRepository {
  private readonly client: InfluxDB;

  constructor(@Inject(UPLINK_CONFIG) private readonly config: UplinkConfig) {
    const url = new URL(config.INFLUX_URL);
    this.client = new InfluxDB({
      host: url.hostname,
      port: Number(url.port || (url.protocol === 'https:' ? 443 : 8086)),
      protocol: url.protocol === 'https:' ? 'https' : 'http',
      database: config.INFLUX_DB,
      ...(config.INFLUX_USERNAME && { username: config.INFLUX_USERNAME }),
      ...(config.INFLUX_PASSWORD && { password: config.INFLUX_PASSWORD }),
    });
  }

  /** min/max/mean/last/count of `value` per enterprise, point and window in [fromMs, toMs); throws when InfluxDB fails. */
  async aggregates(fromMs: number, toMs: number, intervalS: number): Promise<PointAggregate[]> {
    const q =
      `SELECT min("value"), max("value"), mean("value"), last("value"), count("value") FROM "reading" ` +
      `WHERE time >= ${fromMs}ms AND time < ${toMs}ms GROUP BY time(${intervalS}s), "enterprise", "point", "type" fill(none)`;
    const raw = (await this.client.queryRaw(q, { precision: 'ms', database: this.config.INFLUX_DB })) as { results?: { series?: Series[]; error?: string }[]; error?: string };
    const result = raw.results?.[0];
    const error = raw.error ?? result?.error;
    if (error && !/database not found/.test(error)) throw new Error(`InfluxDB: ${error}`);
    const out: PointAggregate[] = [];
    for (const s of result?.series ?? []) {
      const tags = s.tags ?? {};
      if (!tags['enterprise'] || !tags['point']) continue;
      for (const v of s.values) {
        const [time, min, max, mean, last, count] = v as [number, number, number, number, number, number];
        if (!count) continue;
        out.push({ enterpriseId: tags['enterprise'], pointId: tags['point'], type: tags['type'] ?? '', windowStart: time, min, max, mean, last, count });
      }
    }
    return out;
  }
}
