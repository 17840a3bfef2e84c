import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { GatewayRecord } from '@sw/persistence';
import {
  checkReadingForPoint,
  decodeTelemetry,
  MessageDeduplicator,
  POINT_CATALOG,
  TOPICS,
  type DecodedTelemetry,
  type ReadingRejection,
} from '@sw/sensors';
import { OutboundBusService } from '../broker/outbound-bus.service';
import { INGEST_CONFIG, type IngestConfig } from '../config/ingest.config';
import { GatewayRegistryService } from '../gateways/gateway-registry.service';
import { MetricsService } from '../observability/metrics.service';
import { ReadingSinkService } from './reading-sink.service';

/**
 * One telemetry message from a gateway: decode and validate (docs/contracts.md §1), drop QoS 1
 * redeliveries, then hand every accepted reading to InfluxDB and to alerting, and tell the
 * gateway why anything was rejected. Never throws: a bad message cannot stop ingest.
 *
 * Read-your-writes: a message naming a point the cached registry does not know waits for the
 * gateway's record from PostgreSQL (a point registered a moment ago, its NOTIFY not applied yet)
 * and is judged against that; the gateway's later messages queue behind it, so order is kept.
 */
@Injectable()
export class TelemetryService {
  private readonly logger = new Logger(TelemetryService.name);
  private readonly dedup = new MessageDeduplicator();

  private readonly waiting = new Map<string, Promise<void>>();
  private readonly retentionMs: number;
  private readonly retentionReason: string;

  constructor(
    @Inject(INGEST_CONFIG) config: IngestConfig,
    private readonly sink: ReadingSinkService,
    private readonly bus: OutboundBusService,
    private readonly metrics: MetricsService,
    @Optional() private readonly registry?: GatewayRegistryService,
  ) {
    this.retentionMs = config.INFLUX_RETENTION_DAYS * 86_400_000;
    this.retentionReason = `ts is older than the ${config.INFLUX_RETENTION_DAYS}-day retention period`;
  }

  /**
   * Answers a promise when the message waits (for the registry, or behind the gateway's earlier
   * message that does): its readings are handed on once it settles. Else they are handed on now.
   */
  handle(gateway: GatewayRecord, payload: Uint8Array, receivedAt = Date.now()): Promise<void> | undefined {
    this.metrics.messagesReceived.inc();
    const msg = decodeTelemetry(payload, receivedAt);
    if (this.dedup.isDuplicate(gateway.code, msg.seq, msg.ts, receivedAt)) {
      this.metrics.messagesDuplicate.inc();
      return undefined;
    }
    const { code } = gateway;
    const queued = this.waiting.get(code);
    if (queued) return this.wait(code, queued.then(() => this.judge(this.registry?.get(code) ?? gateway, msg, receivedAt, true)));
    const later = this.judge(gateway, msg, receivedAt, true);
    return later ? this.wait(code, later) : undefined;
  }

  // Judges the message now, or answers a promise when it waits for the registry first.
  private judge(gateway: GatewayRecord, msg: DecodedTelemetry, receivedAt: number, mayRefresh: boolean): Promise<void> | undefined {
    if (mayRefresh && this.registry && msg.readings.some((r) => !gateway.points.has(r.point))) {
      this.metrics.registryRefreshes.inc();
      return this.registry
        .refresh(gateway.code)
        .catch((err: Error) => void this.logger.warn(`registry refresh of ${gateway.code} failed: ${err.message}`))
        .then((fresh) => void this.judge(fresh ?? gateway, msg, receivedAt, false));
    }
    const errors: ReadingRejection[] = msg.errors;
    let accepted = 0;
    for (const reading of msg.readings) {
      const point = gateway.points.get(reading.point);
      const reason = !point
        ? 'unknown point'
        : reading.ts < receivedAt - this.retentionMs
          ? this.retentionReason
          : checkReadingForPoint(reading, POINT_CATALOG[point.type]);
      if (reason !== null || !point) {
        errors.push({ point: reading.point, reason: reason ?? 'unknown point' });
        continue;
      }
      this.sink.accept(gateway, point, reading.value, reading.quality, reading.ts, receivedAt);
      accepted++;
    }
    this.metrics.readingsReceived.inc(accepted);
    if (errors.length > 0) this.reject(gateway.code, msg.seq, errors);
    return undefined;
  }

  // Later messages of the gateway queue behind `task` until it is done.
  private wait(code: string, task: Promise<unknown>): Promise<void> {
    const settled = task.then(() => undefined).catch((err: Error) => this.logger.error(`telemetry of ${code} after a registry refresh: ${err.message}`));
    this.waiting.set(code, settled);
    void settled.then(() => {
      if (this.waiting.get(code) === settled) this.waiting.delete(code);
    });
    return settled;
  }

  /** A message refused before decoding (e.g. the gateway is not in the registry any more). */
  rejectMessage(code: string, reason: string): void {
    this.reject(code, null, [{ reason }]);
  }

  private reject(code: string, seq: number | null, errors: ReadingRejection[]): void {
    for (const e of errors) this.metrics.readingsRejected.inc({ reason: metricReason(e.reason) });
    this.bus.publish(TOPICS.errors(code), JSON.stringify({ seq, errors }), 1);
    this.logger.debug(`rejected from ${code}: ${errors.length} (${errors[0]?.reason ?? ''})`);
  }
}

/** Keeps the metric's label set small: the reason up to the first detail. */
function metricReason(reason: string): string {
  return reason.split(/[:(]/)[0]?.trim().slice(0, 60) || 'unknown';
}
