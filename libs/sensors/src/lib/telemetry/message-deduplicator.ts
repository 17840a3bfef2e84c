/** Options of {@link MessageDeduplicator}. */
export interface MessageDeduplicatorOptions {
  /** How long a message is remembered, in ms (default 10 min, docs/contracts.md §1). */
  windowMs?: number;
  /** At most this many messages remembered per gateway (default 1,000); the oldest go first. */
  maxPerGateway?: number;
}

const DEFAULT_WINDOW_MS = 600_000; // 10 min
// 1,000 covers a full window at one message every 0.6 s; faster gateways keep a shorter window,
// still far longer than a QoS 1 redelivery takes.
const DEFAULT_MAX_PER_GATEWAY = 1_000;
// Redeliveries queue a receipt each; past this many stale ones the oldest messages go early (a
// gateway redelivering in a loop cannot grow its queue without bound).
const RECEIPT_SLACK = 1_024;

/**
 * Recognises QoS 1 redeliveries (docs/contracts.md §1): a message that repeats both the `seq` and the
 * message `ts` of one received from the same gateway within the window is a duplicate. A message
 * without `seq` or without `ts` is never a duplicate, so a gateway that restarts its `seq` loses
 * nothing.
 *
 * Memory is bounded: each gateway keeps at most `maxPerGateway` (seq, ts) pairs in receipt
 * order (and at most 1,024 receipts more), entries older than the window are dropped on that gateway's next message, and every
 * window all gateways are swept so a silent one is dropped entirely. So memory ≤ gateways heard
 * within the last window × `maxPerGateway` entries. Time is passed in; nothing reads a clock.
 *
 * Receipt order is a queue beside the lookup map, not the map's own order: dropping the oldest
 * entries of a JavaScript Map leaves holes that every later walk from its start steps over again,
 * which made a full gateway cost O(maxPerGateway) a message.
 */
export class MessageDeduplicator {
  private readonly windowMs: number;
  private readonly maxPerGateway: number;
  private readonly seen = new Map<string, GatewayWindow>();
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
    let window = this.seen.get(gatewayCode);
    if (window === undefined) {
      window = new GatewayWindow();
      this.seen.set(gatewayCode, window);
    } else {
      window.expire(now - this.windowMs);
    }
    return window.receive(seq, ts, now, this.maxPerGateway);
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
    for (const window of this.seen.values()) total += window.size;
    return total;
  }

  private sweepIfDue(now: number): void {
    if (now - this.lastSweepAt < this.windowMs) return;
    this.lastSweepAt = now;
    for (const [gateway, window] of this.seen) {
      window.expire(now - this.windowMs);
      if (window.size === 0) this.seen.delete(gateway);
    }
  }
}

/**
 * One gateway's messages. Every receipt is queued in order with a serial number (serials in the
 * queue are consecutive, so a serial finds its queue slot); `bySeq` maps a seq to the serial of the
 * latest receipt with that seq. No key string is built per message: only when a gateway reuses a
 * seq within the window (it restarted its count) does the older message move to `others`, keyed
 * `${seq}/${ts}`. A redelivered message is queued again as the newest; its older queue entry, no
 * longer the latest, is skipped when it leaves the queue.
 */
class GatewayWindow {
  private readonly bySeq = new Map<number, number>();
  private readonly others = new Map<string, number>();
  private seqs: number[] = [];
  private tss: number[] = [];
  private ats: number[] = [];
  private head = 0;
  private firstSerial = 0; // serial of seqs[head]

  get size(): number {
    return this.bySeq.size + this.others.size;
  }

  /**
   * Whether (seq, ts) is remembered; then remembers it as received at `now`, keeping at most `max`
   * messages (and, against a gateway redelivering in a loop, at most `max` + 1,024 receipts).
   */
  receive(seq: number, ts: number, now: number, max: number): boolean {
    const latest = this.bySeq.get(seq);
    const latestTs = latest === undefined ? 0 : this.tsOf(latest);
    const inSeq = latest !== undefined && latestTs === ts;
    const otherKey = !inSeq && this.others.size > 0 ? `${seq}/${ts}` : null;
    const inOthers = otherKey !== null && this.others.has(otherKey);
    const serial = this.firstSerial + this.seqs.length - this.head;
    if (inOthers) this.others.set(otherKey, serial);
    else {
      // another message with this seq (a restarted count) goes beside it
      if (!inSeq && latest !== undefined) this.others.set(`${seq}/${latestTs}`, latest);
      this.bySeq.set(seq, serial);
    }
    this.seqs.push(seq);
    this.tss.push(ts);
    this.ats.push(now);
    while (this.size > max || this.seqs.length - this.head > max + RECEIPT_SLACK) this.dropOldest();
    return inSeq || inOthers;
  }

  /** Drops the receipts at or before `before`. */
  expire(before: number): void {
    while (this.head < this.seqs.length && (this.ats[this.head] as number) <= before) this.dropOldest();
  }

  private tsOf(serial: number): number {
    return this.tss[this.head + serial - this.firstSerial] as number;
  }

  private dropOldest(): void {
    const seq = this.seqs[this.head] as number;
    const serial = this.firstSerial;
    if (this.bySeq.get(seq) === serial) this.bySeq.delete(seq);
    else if (this.others.size > 0) {
      const key = `${seq}/${this.tss[this.head] as number}`;
      if (this.others.get(key) === serial) this.others.delete(key);
    }
    this.head++;
    this.firstSerial++;
    // compact now and then: amortized O(1), and the queue never holds more than twice what is live
    if (this.head >= 64 && this.head * 2 >= this.seqs.length) {
      this.seqs = this.seqs.slice(this.head);
      this.tss = this.tss.slice(this.head);
      this.ats = this.ats.slice(this.head);
      this.head = 0;
    }
  }
}
