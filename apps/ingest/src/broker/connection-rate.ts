/**
 * New MQTT connections per remote address: a token bucket per IP (`ratePerS` sustained, `burst`
 * at once). A reconnect storm after an ingest restart stays within the burst of the NAT address a
 * plant's gateways share; a single host opening sockets in a loop is refused after it.
 */
export class ConnectionRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly ratePerS: number,
    private readonly burst: number,
    private readonly maxTracked = 100_000,
  ) {}

  /** Takes one token for `address`; false when its bucket is empty. `now` in milliseconds. */
  take(address: string, now: number): boolean {
    const bucket = this.buckets.get(address);
    if (!bucket) {
      if (this.buckets.size >= this.maxTracked) this.forgetFull(now);
      this.buckets.set(address, { tokens: this.burst - 1, at: now });
      return true;
    }
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.ratePerS);
    bucket.at = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Addresses whose bucket has refilled carry no state worth keeping. */
  private forgetFull(now: number): void {
    for (const [address, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * this.ratePerS >= this.burst) this.buckets.delete(address);
    }
    if (this.buckets.size >= this.maxTracked) this.buckets.clear(); // only under an address-spraying flood
  }
}
