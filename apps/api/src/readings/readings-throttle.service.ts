import { Inject, Injectable } from '@nestjs/common';
import { API_CONFIG, type ApiConfig } from '../config/api.config';

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * A token bucket per user for history queries (issue 18: unlimited 400-day aggregations): up to
 * READINGS_BURST queries at once, refilled at READINGS_RATE_PER_MIN. In this process's memory: with
 * N api processes behind a balancer a user gets at most N times the rate, which bounds the load
 * per process all the same. Idle full buckets are dropped so the map stays small.
 */
@Injectable()
export class ReadingsThrottleService {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one token for `userId`: 0 when granted, else the ms until one is available. */
  take(userId: string): number {
    const capacity = this.config.READINGS_BURST;
    const perMs = this.config.READINGS_RATE_PER_MIN / 60_000;
    const now = this.now();
    const b = this.buckets.get(userId) ?? { tokens: capacity, at: now };
    b.tokens = Math.min(capacity, b.tokens + (now - b.at) * perMs);
    b.at = now;
    this.buckets.set(userId, b);
    if (this.buckets.size > 10_000) this.sweep(now, capacity, perMs);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - b.tokens) / perMs);
  }

  private sweep(now: number, capacity: number, perMs: number): void {
    for (const [id, b] of this.buckets) if (b.tokens + (now - b.at) * perMs >= capacity) this.buckets.delete(id);
  }
}
