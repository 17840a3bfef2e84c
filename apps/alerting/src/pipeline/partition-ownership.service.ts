import { Inject, Injectable } from '@nestjs/common';
import { TOPICS, partitionOf } from '@sw/sensors';
import { ALERTING_CONFIG, type AlertingConfig } from '../config/alerting.config';

const READINGS_PREFIX = TOPICS.readings(0).slice(0, -1); // internal/readings/

/**
 * Which reading partitions (internal/readings/{p}, p = hash(point) mod P) this instance evaluates:
 * the state of a point lives in exactly one process. PartitionLeaseService decides which (PostgreSQL
 * advisory-lock leases; a lone instance holds all of them) and calls PartitionHandoverService.acquire
 * / release with the partitions it wins or hands over.
 */
@Injectable()
export class PartitionOwnershipService {
  readonly partitions: number;
  private readonly owned = new Set<number>();

  constructor(@Inject(ALERTING_CONFIG) config: AlertingConfig) {
    this.partitions = config.READING_PARTITIONS;
  }

  all(): number[] {
    return Array.from({ length: this.partitions }, (_, p) => p);
  }

  own(partitions: readonly number[]): void {
    for (const p of partitions) this.owned.add(p);
  }

  disown(partitions: readonly number[]): void {
    for (const p of partitions) this.owned.delete(p);
  }

  owns(partition: number): boolean {
    return this.owned.has(partition);
  }

  partitionOfPoint(pointId: string): number {
    return partitionOf(pointId, this.partitions);
  }

  ownsPoint(pointId: string | null): pointId is string {
    return pointId !== null && this.owned.has(partitionOf(pointId, this.partitions));
  }

  /** The partition of a readings topic, or null for any other topic. */
  partitionOfTopic(topic: string): number | null {
    if (!topic.startsWith(READINGS_PREFIX)) return null;
    const p = Number(topic.slice(READINGS_PREFIX.length));
    return Number.isInteger(p) && p >= 0 && p < this.partitions ? p : null;
  }
}
