import { Inject, Injectable } from '@nestjs/common';
import type { PointRecord } from '@sw/persistence';
import { encodePriorityReading, hopKey, hopTrace, inBand, mergeThresholds, POINT_CATALOG, setpointBand, TOPICS, type Quality, type SetpointBand } from '@sw/sensors';
import { OutboundBusService } from '../broker/outbound-bus.service';
import { INGEST_CONFIG, type IngestConfig } from '../config/ingest.config';
import { MetricsService } from '../observability/metrics.service';
import type { PublishTarget } from './reading-publisher.service';

/** What the fast lane remembers of a point: its band and the reading before (as published). */
interface PointLane {
  band: SetpointBand;
  digital: boolean;
  prevTs: number;
  prevReceivedAt: number;
  prevValue: number;
  prevNear: boolean;
}

/**
 * The alarm fast lane (docs/architecture.md): a reading that may change an alarm — near or past a
 * setpoint of the point (catalog defaults with the point's own, from the registry), just after one
 * that was, or a digital point that changed — goes to alerting at once on
 * `internal/priority/{partition}` (QoS 0), ahead of the batch that carries it too. The copy names
 * the point's previous reading, so alerting takes it early only when that one is the last it
 * evaluated; otherwise (a stale view here, a restart, a lost copy) the batched copy counts as usual.
 * Rules ingest does not know of (stored rules with their own setpoints, rates, faults) keep the batch.
 */
@Injectable()
export class PriorityLaneService {
  private readonly lanes = new WeakMap<PointRecord, PointLane>();
  private readonly topics: string[];

  constructor(
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
    private readonly bus: OutboundBusService,
    private readonly metrics: MetricsService,
  ) {
    this.topics = Array.from({ length: config.READING_PARTITIONS }, (_, p) => TOPICS.priority(p));
  }

  /** Called for every accepted reading, before it joins its batch. */
  consider(point: PointRecord, target: PublishTarget, ts: number, value: number, quality: Quality, receivedAt: number): void {
    if (!this.config.PRIORITY_LANE) return;
    let lane = this.lanes.get(point);
    if (lane === undefined) {
      // the first reading of a point (or of a new registry version of it): nothing to name as the one before
      const spec = POINT_CATALOG[point.type];
      lane = { band: setpointBand(mergeThresholds(spec.thresholds ?? null, point.thresholds)), digital: spec.signal === 'digital', prevTs: ts, prevReceivedAt: receivedAt, prevValue: value, prevNear: false };
      lane.prevNear = inBand(lane.band, value);
      this.lanes.set(point, lane);
      return;
    }
    const near = inBand(lane.band, value);
    const urgent = near || lane.prevNear || (lane.digital && value !== lane.prevValue && !(Number.isNaN(value) && Number.isNaN(lane.prevValue)));
    // two readings with the same identity could not be told apart by alerting: the second keeps to the batch
    if (urgent && (ts !== lane.prevTs || receivedAt !== lane.prevReceivedAt)) {
      const payload = encodePriorityReading({ pointId: target.pointId, ts, value, quality, receivedAt, prevTs: lane.prevTs, prevReceivedAt: lane.prevReceivedAt });
      this.bus.publish(this.topics[target.partition] as string, payload, 0);
      this.metrics.priorityReadings.inc();
      if (hopTrace.on && hopTrace.traces(target.pointId)) hopTrace.mark('ingest.publish', hopKey(target.pointId, receivedAt));
    }
    lane.prevTs = ts;
    lane.prevReceivedAt = receivedAt;
    lane.prevValue = value;
    lane.prevNear = near;
  }
}
