import { Inject, Injectable } from '@nestjs/common';
import { encodePointId, hopKey, hopTrace, partitionOf, ReadingBatchEncoder, TOPICS, type Quality } from '@sw/sensors';
import { OutboundBusService } from '../broker/outbound-bus.service';
import { INGEST_CONFIG, type IngestConfig } from '../config/ingest.config';
import { MetricsService } from '../observability/metrics.service';

const MAX_PER_MESSAGE = 1000;

/** Where a point's readings go: its partition and its id as the batch carries it (work done once per point). */
export interface PublishTarget {
  readonly pointId: string;
  readonly partition: number;
  readonly id: Uint8Array;
}

/**
 * Publishes normalized readings for alerting on `internal/readings/{partition}`, batched: all the
 * readings of one event-loop turn go out together (at most 1,000 a message), so a quiet system
 * adds no delay and a busy one sends few large messages instead of one per reading.
 */
@Injectable()
export class ReadingPublisherService {
  private readonly batches: ReadingBatchEncoder[];
  private readonly topics: string[];
  private scheduled = false;
  /** Benchmarks only: keys of traced readings waiting in each partition's batch. */
  private readonly traced: (string[] | undefined)[] = [];

  constructor(
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
    private readonly bus: OutboundBusService,
    private readonly metrics: MetricsService,
  ) {
    this.batches = Array.from({ length: config.READING_PARTITIONS }, () => new ReadingBatchEncoder());
    this.topics = Array.from({ length: config.READING_PARTITIONS }, (_, p) => TOPICS.readings(p));
  }

  /** Callers keep the target per point: the hash and the id's bytes are not worth computing per reading. */
  targetOf(pointId: string): PublishTarget {
    return { pointId, partition: partitionOf(pointId, this.config.READING_PARTITIONS), id: encodePointId(pointId) };
  }

  /** `value` NaN when the reading has none (a bad reading); alerting receives it as null. */
  add(target: PublishTarget, ts: number, value: number, quality: Quality, receivedAt: number): void {
    const p = target.partition;
    const batch = this.batches[p] as ReadingBatchEncoder;
    batch.add(target.id, ts, value, quality, receivedAt);
    if (hopTrace.on && hopTrace.traces(target.pointId)) (this.traced[p] ??= []).push(hopKey(target.pointId, receivedAt));
    if (batch.length >= MAX_PER_MESSAGE) this.send(p);
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
    for (let p = 0; p < this.batches.length; p++) this.send(p);
  }

  private send(p: number): void {
    const batch = this.batches[p] as ReadingBatchEncoder;
    const count = batch.length;
    if (count === 0) return;
    const bytes = batch.finish();
    this.bus.publish(this.topics[p] as string, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 1);
    this.metrics.readingsPublished.inc(count);
    const traced = this.traced[p];
    if (traced) {
      for (const key of traced) hopTrace.mark('ingest.publish', key);
      this.traced[p] = undefined;
    }
  }
}
