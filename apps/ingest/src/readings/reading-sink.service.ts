import { Injectable } from '@nestjs/common';
import type { GatewayRecord, PointRecord } from '@sw/persistence';
import type { Quality } from '@sw/sensors';
import { GatewayStateService } from '../gateways/gateway-state.service';
import { InfluxWriterService } from '../influx/influx-writer.service';
import { linePrefix, readingLine } from '../influx/line-protocol';
import { ReadingPublisherService } from './reading-publisher.service';

/**
 * Where every accepted reading goes, whatever brought it (MQTT telemetry or a Modbus poll):
 * InfluxDB, alerting's partition topic, and the gateway's and point's last-seen. Validation is the
 * caller's; this never rejects and never throws.
 */
@Injectable()
export class ReadingSinkService {
  /** The escaped tag part is the same for every reading of a point: built once per registry version of it. */
  private readonly prefixes = new WeakMap<PointRecord, string>();

  constructor(
    private readonly influx: InfluxWriterService,
    private readonly publisher: ReadingPublisherService,
    private readonly state: GatewayStateService,
  ) {}

  /**
   * `value` is in the point's unit; NaN only for a `bad` reading that has no value (stored without
   * a `value` field, and published to alerting as null).
   */
  accept(gateway: GatewayRecord, point: PointRecord, value: number, quality: Quality, ts: number, receivedAt: number): void {
    this.influx.write(readingLine(this.prefixOf(gateway, point), value, quality, ts));
    this.publisher.add({ pointId: point.id, gatewayId: gateway.id, enterpriseId: gateway.enterpriseId, ts, value, quality, receivedAt });
    this.state.seen(gateway.id, point.id, ts);
  }

  private prefixOf(gateway: GatewayRecord, point: PointRecord): string {
    let prefix = this.prefixes.get(point);
    if (prefix === undefined) {
      prefix = linePrefix({ enterprise: gateway.enterpriseId, gateway: gateway.code, point: point.id, type: point.type, region: gateway.regionCode });
      this.prefixes.set(point, prefix);
    }
    return prefix;
  }
}
