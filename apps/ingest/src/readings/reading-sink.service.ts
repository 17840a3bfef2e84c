import { Injectable, Optional } from '@nestjs/common';
import type { GatewayRecord, PointRecord } from '@sw/persistence';
import { hopKey, hopTrace, type Quality } from '@sw/sensors';
import { GatewayStateService } from '../gateways/gateway-state.service';
import { InfluxWriterService } from '../influx/influx-writer.service';
import { linePrefixBytes } from '../influx/line-protocol';
import { PriorityLaneService } from './priority-lane.service';
import { ReadingPublisherService, type PublishTarget } from './reading-publisher.service';

/** What every reading of one point needs, worked out once per registry version of the point. */
interface PointOutlet {
  /** the escaped tag part of its line protocol, as bytes */
  prefix: Uint8Array;
  target: PublishTarget;
}

/**
 * Where every accepted reading goes, whatever brought it (MQTT telemetry or a Modbus poll):
 * InfluxDB, alerting's partition topic, and the gateway's and point's last-seen. Validation is the
 * caller's; this never rejects and never throws.
 */
@Injectable()
export class ReadingSinkService {
  private readonly outlets = new WeakMap<PointRecord, PointOutlet>();

  constructor(
    private readonly influx: InfluxWriterService,
    private readonly publisher: ReadingPublisherService,
    private readonly state: GatewayStateService,
    @Optional() private readonly priority?: PriorityLaneService,
  ) {}

  /**
   * `value` is in the point's unit; NaN only for a `bad` reading that has no value (stored without
   * a `value` field, and published to alerting as null).
   */
  accept(gateway: GatewayRecord, point: PointRecord, value: number, quality: Quality, ts: number, receivedAt: number): void {
    if (hopTrace.on && hopTrace.traces(point.id)) hopTrace.mark('ingest.accept', hopKey(point.id, receivedAt));
    const outlet = this.outletOf(gateway, point);
    this.influx.write(outlet.prefix, value, quality, ts);
    this.priority?.consider(point, outlet.target, ts, value, quality, receivedAt); // the alarm fast lane, ahead of the batch
    this.publisher.add(outlet.target, ts, value, quality, receivedAt);
    this.state.seen(gateway.id, point.id, ts);
  }

  // The registry replaces a PointRecord when the point (or its gateway) changes, so a new version gets a new outlet.
  private outletOf(gateway: GatewayRecord, point: PointRecord): PointOutlet {
    let outlet = this.outlets.get(point);
    if (outlet === undefined) {
      outlet = {
        prefix: linePrefixBytes({ enterprise: gateway.enterpriseId, gateway: gateway.code, point: point.id, type: point.type, region: gateway.regionCode }),
        target: this.publisher.targetOf(point.id),
      };
      this.outlets.set(point, outlet);
    }
    return outlet;
  }
}
