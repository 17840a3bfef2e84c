import { Inject, Injectable } from '@nestjs/common';
import { invalid, rateLimited } from '@sw/errors';
import { InfluxReadingsRepository, type Principal, type ScopedPoint } from '@sw/persistence';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { everyMs } from './readings.dto';
import { ReadingsThrottleService } from './readings-throttle.service';

const DEFAULT_SPAN_MS = 86_400_000; // without `from`: the last 24 h
/** The scan estimate assumes a reading a minute at least: gateways often report faster than expected. */
const SCAN_INTERVAL_CAP_S = 60;

export interface RawReading {
  ts: string;
  value: number;
  quality?: string;
}

export interface ReadingBucket {
  ts: string;
  mean: number;
  min: number;
  max: number;
  count: number;
}

/** docs/contracts.md §4 readings answer; `truncated` tells that raw readings stopped at the row cap. */
export interface ReadingsAnswer {
  pointId: string;
  unit: string;
  every: string | null;
  from: string;
  to: string;
  readings: RawReading[] | ReadingBucket[];
  truncated: boolean;
}

/** A point's history from InfluxDB: measurement `reading`, tag `point`, field `value` (docs/architecture.md). */
@Injectable()
export class ReadingsService {
  constructor(
    private readonly readings: InfluxReadingsRepository,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly throttle: ReadingsThrottleService,
  ) {}

  /** Rate-limited per user (429 with Retry-After); bucketed queries bounded by the readings they would scan (400). */
  async history(p: Principal, point: ScopedPoint, q: { from?: Date; to?: Date; every?: string }): Promise<ReadingsAnswer> {
    const waitMs = this.throttle.take(p.id);
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      throw rateLimited(`too many history queries; retry in ${seconds} s`, seconds);
    }
    const to = q.to ?? new Date();
    const from = q.from ?? new Date(to.getTime() - DEFAULT_SPAN_MS);
    if (from >= to) throw invalid('from must be before to');
    if (q.every) this.boundScan(point, from, to);
    const base = { pointId: point.id, unit: point.unit, every: q.every ?? null, from: from.toISOString(), to: to.toISOString() };
    if (q.every) return { ...base, readings: await this.buckets(point.id, from, to, q.every), truncated: false };
    const max = this.config.READINGS_MAX_ROWS;
    const rows = (await this.readings.raw(point.id, from.getTime(), to.getTime(), max + 1)).map(({ t, value, quality }): RawReading => ({
      ts: new Date(t).toISOString(),
      value,
      ...(quality !== null && quality !== 'good' && { quality }),
    }));
    return { ...base, readings: rows.slice(0, max), truncated: rows.length > max };
  }

  /**
   * Raw queries stop at READINGS_MAX_ROWS (InfluxDB reads them in time order and stops); an
   * aggregation reads every reading of the span, so its span is bounded by the readings it would
   * scan: span ÷ the point's expected interval.
   */
  private boundScan(point: ScopedPoint, from: Date, to: Date): void {
    const intervalS = Math.max(1, Math.min(point.expectedIntervalS, SCAN_INTERVAL_CAP_S));
    const estimated = Math.ceil((to.getTime() - from.getTime()) / (intervalS * 1000));
    const max = this.config.READINGS_MAX_SCAN_ROWS;
    if (estimated > max) {
      const days = Math.floor((max * intervalS) / 86_400);
      throw invalid(`from–to would aggregate about ${estimated} readings of this point (one per ${intervalS} s); at most ${max}: choose a span of at most ${days} days`);
    }
  }

  private async buckets(pointId: string, from: Date, to: Date, every: string): Promise<ReadingBucket[]> {
    const count = Math.ceil((to.getTime() - from.getTime()) / everyMs(every));
    if (count > this.config.READINGS_MAX_ROWS) {
      throw invalid(`from–to at every ${every} is ${count} buckets; at most ${this.config.READINGS_MAX_ROWS}: choose a larger every`);
    }
    return (await this.readings.buckets(pointId, from.getTime(), to.getTime(), every)).map(({ t, ...bucket }) => ({ ts: new Date(t).toISOString(), ...bucket }));
  }
}
