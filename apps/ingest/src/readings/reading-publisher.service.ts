import { Inject, Injectable } from '@nestjs/common';
import { encodeReadingBatch, partitionOf, TOPICS, type NormalizedReading } from '@sw/sensors';
import { OutboundBusService } from '../broker/outbound-bus.service';
import { INGEST_CONFIG, type IngestConfig } from '../config/ingest.config';
import { MetricsService } from '../observability/metrics.service';

const MAX_PER_MESSAGE = 1000;

/**
 * Publishes normalized readings for alerting on `internal/readings/{partition}`, batched: all the
 * readings of one event-loop turn go out together (at most 1,000 a message), so a quiet system
 * adds no delay and a busy one sends few large messages instead of one per reading.
 */
@Injectable()
export class ReadingPublisherService {
  private readonly buffers: NormalizedReading[][];
  private scheduled = false;

  constructor(
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
    private readonly bus: OutboundBusService,
    private readonly metrics: MetricsService,
  ) {
    this.buffers = Array.from({ length: config.READING_PARTITIONS }, () => []);
  }

  add(reading: NormalizedReading): void {
    const p = partitionOf(reading.pointId, this.config.READING_PARTITIONS);
    const buffer = this.buffers[p] as NormalizedReading[];
    buffer.push(reading);
    if (buffer.length >= MAX_PER_MESSAGE) this.send(p);
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
    for (let p = 0; p < this.buffers.length; p++) this.send(p);
  }

  private send(p: number): void {
    const buffer = this.buffers[p] as NormalizedReading[];
    if (buffer.length === 0) return;
    this.buffers[p] = [];
    this.bus.publish(TOPICS.readings(p), encodeReadingBatch(buffer), 1);
    this.metrics.readingsPublished.inc(buffer.length);
  }
}
