/** Options of {@link MessageDeduplicator}. */
export interface MessageDeduplicatorOptions {
  /** How long a message is remembered, in ms (default 10 min, CONTRACTS.md §1). */
  windowMs?: number;
  /** At most this many messages remembered per gateway (default 1,000); the oldest go first. */
  maxPerGateway?: number;
}

const DEFAULT_WINDOW_MS = 600_000; // 10 min
// 1,000 covers a full window at one message every 0.6 s; faster gateways keep a shorter window,
// still far longer than a QoS 1 redelivery takes.
const DEFAULT_MAX_PER_GATEWAY = 1_000;

/**
 * Recognises QoS 1 redeliveries (CONTRACTS.md §1): a message that repeats both the `seq` and the
 * message `ts` of one received from the same gateway within the window is a duplicate. A message
 * without `seq` or without `ts` is never a duplicate, so a gateway that restarts its `seq` loses
 * nothing.
 *
 * Memory is bounded: each gateway keeps at most `maxPerGateway` (seq, ts) pairs in insertion
 * order, entries older than the window are dropped on that gateway's next message, and every
 * window all gateways are swept so a silent one is dropped entirely. So memory ≤ gateways heard
 * within the last window × `maxPerGateway` entries. Time is passed in; nothing reads a clock.
 */
export class MessageDeduplicator {
  private readonly windowMs: number;
  private readonly maxPerGateway: number;
  // gateway code → `${seq}/${ts}` → time last received; Map order = time order
  private readonly seen = new Map<string, Map<string, number>>();
  private lastSweepAt = -Infinity;

  constructor(opts: MessageDeduplicatorOptions = {}) {
    this.windowMs = opts.windowMs ?? DEFAULT_WINDOW_MS;
    this.maxPerGateway = opts.maxPerGateway ?? DEFAULT_MAX_PER_GATEWAY;
    if (!(this.windowMs > 0)) throw new RangeError('windowMs must be positive');
    if (!Number.isInteger(this.maxPerGateway) || this.maxPerGateway < 1) {
      throw new RangeError('maxPerGateway must be a positive integer');
    }
  }

  /** Whether this message is a duplicate; either way it is remembered as received at `now` (epoch ms). */
  isDuplicate(gatewayCode: string, seq: number | null, ts: number | null, now: number): boolean {
    this.sweepIfDue(now);
    if (seq === null || ts === null) return false;
    let messages = this.seen.get(gatewayCode);
    if (messages === undefined) {
      messages = new Map();
      this.seen.set(gatewayCode, messages);
    } else {
      this.expire(messages, now);
    }
    const key = `${seq}/${ts}`;
    const duplicate = messages.delete(key); // re-inserted below, as the newest
    messages.set(key, now);
    if (messages.size > this.maxPerGateway) this.dropOldest(messages);
    return duplicate;
  }

  /** Drops everything remembered for a gateway (e.g. when it is deleted). */
  forget(gatewayCode: string): void {
    this.seen.delete(gatewayCode);
  }

  /** How many gateways have messages remembered (for metrics and tests). */
  get gatewayCount(): number {
    return this.seen.size;
  }

  /** How many messages are remembered over all gateways (for metrics and tests). */
  get size(): number {
    let total = 0;
    for (const messages of this.seen.values()) total += messages.size;
    return total;
  }

  private expire(messages: Map<string, number>, now: number): void {
    for (const [key, at] of messages) {
      if (now - at < this.windowMs) return;
      messages.delete(key);
    }
  }

  private dropOldest(messages: Map<string, number>): void {
    const oldest = messages.keys().next();
    if (!oldest.done) messages.delete(oldest.value);
  }

  private sweepIfDue(now: number): void {
    if (now - this.lastSweepAt < this.windowMs) return;
    this.lastSweepAt = now;
    for (const [gateway, messages] of this.seen) {
      this.expire(messages, now);
      if (messages.size === 0) this.seen.delete(gateway);
    }
  }
}
