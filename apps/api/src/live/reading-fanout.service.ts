import { Injectable, Logger } from '@nestjs/common';
import { decodeReadingBatch, TOPICS } from '@sw/sensors';
import { BrokerService } from '../broker/broker.service';
import { type LiveClient, sendFrame } from './live-client.types';

/**
 * The `readings` channel (docs/contracts.md §5): live values of followed points from ingest's
 * normalized readings on `internal/readings/+`. The api subscribes to those topics only while
 * some socket follows a point, so an idle api does not decode every reading of the platform.
 */
@Injectable()
export class ReadingFanoutService {
  private readonly logger = new Logger(ReadingFanoutService.name);
  private readonly followers = new Map<string, Set<LiveClient>>();
  private onSlow: (client: LiveClient) => void = () => undefined;
  private subscribed = false;

  constructor(private readonly broker: BrokerService) {}

  setSlowConsumerHandler(onSlow: (client: LiveClient) => void): void {
    this.onSlow = onSlow;
  }

  follow(client: LiveClient, pointIds: readonly string[]): void {
    for (const id of pointIds) {
      client.points.add(id);
      const set = this.followers.get(id);
      if (set) set.add(client);
      else this.followers.set(id, new Set([client]));
    }
    if (this.followers.size > 0 && !this.subscribed) {
      this.subscribed = true;
      this.broker.subscribe(TOPICS.readingsAll, 0, (_t, payload) => this.onBatch(payload));
    }
  }

  /** Stops following the given points (all of the client's when none are given). */
  unfollow(client: LiveClient, pointIds?: readonly string[]): void {
    for (const id of pointIds ?? [...client.points]) {
      client.points.delete(id);
      const set = this.followers.get(id);
      set?.delete(client);
      if (set?.size === 0) this.followers.delete(id);
    }
    if (this.followers.size === 0 && this.subscribed) {
      this.subscribed = false;
      this.broker.unsubscribe(TOPICS.readingsAll);
    }
  }

  private onBatch(payload: Buffer): void {
    let readings;
    try {
      readings = decodeReadingBatch(payload);
    } catch (err) {
      this.logger.warn(`ignored a reading batch: ${(err as Error).message}`);
      return;
    }
    for (const r of readings) {
      const clients = this.followers.get(r.pointId);
      if (!clients) continue;
      const frame = { type: 'reading', pointId: r.pointId, ts: new Date(r.ts).toISOString(), value: r.value, quality: r.quality };
      for (const client of clients) sendFrame(client, frame, this.onSlow);
    }
  }
}
