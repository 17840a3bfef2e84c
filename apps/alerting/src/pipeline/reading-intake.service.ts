import { Injectable, Logger } from '@nestjs/common';
import { decodeReadingBatch, hopKey, hopTrace, type NormalizedReading } from '@sw/sensors';
import { MetricsService } from '../observability/metrics.service';
import { TimerService } from '../timers/timer.service';
import { EvaluationService } from './evaluation.service';
import { PartitionOwnershipService } from './partition-ownership.service';

/** The `internal/readings/{p}` handler: decode a batch of an owned partition and evaluate it now. */
@Injectable()
export class ReadingIntakeService {
  private readonly logger = new Logger(ReadingIntakeService.name);

  constructor(
    private readonly ownership: PartitionOwnershipService,
    private readonly evaluation: EvaluationService,
    private readonly timers: TimerService,
    private readonly metrics: MetricsService,
  ) {}

  /** Settles when what the batch caused is committed (the broker acknowledges it then); null when nothing to wait for. */
  handle(topic: string, payload: Buffer): Promise<void> | null {
    const partition = this.ownership.partitionOfTopic(topic);
    if (partition === null || !this.ownership.owns(partition)) return null;
    let readings: NormalizedReading[];
    try {
      readings = decodeReadingBatch(payload);
    } catch (err) {
      this.metrics.batchesRejected.inc();
      this.logger.warn(`dropped a reading batch on ${topic}: ${(err as Error).message}`);
      return null;
    }
    if (hopTrace.on) for (const r of readings) if (hopTrace.traces(r.pointId)) hopTrace.mark('alerting.receive', hopKey(r.pointId, r.receivedAt));
    return this.evaluation.onReadings(readings, this.timers.now());
  }
}
