// For specs: a timer driver whose clock moves only when the test says so (no sleeps).
import { setImmediate as turn } from 'node:timers/promises';
import type { TimerDriver } from '@sw/sensors';

export class FakeTimerDriver implements TimerDriver {
  private pending: { id: number; at: number; fn: () => void }[] = [];
  private nextId = 1;
  /** setTimeout calls so far: the timer service arms one platform timer, not one per deadline. */
  armed = 0;

  constructor(private t: number) {}

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    this.armed++;
    const id = this.nextId++;
    this.pending.push({ id, at: this.t + ms, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending = this.pending.filter((p) => p.id !== handle);
  }

  get scheduled(): number {
    return this.pending.length;
  }

  /** Moves the clock to `to`, running every platform timer due on the way, in order. */
  advanceTo(to: number): void {
    for (;;) {
      const next = this.next(to);
      if (!next) break;
      this.fire(next);
    }
    this.t = to;
  }

  /**
   * `advanceTo` for code that awaits between its timers (an async loop): before each due timer,
   * and at the end, lets every promise already settled run on (one event-loop turn; no wall-clock wait).
   */
  async advanceToAsync(to: number): Promise<void> {
    for (;;) {
      await turn();
      const next = this.next(to);
      if (!next) break;
      this.fire(next);
    }
    this.t = to;
    await turn();
  }

  /** `advanceToAsync(now + ms)`. */
  advanceBy(ms: number): Promise<void> {
    return this.advanceToAsync(this.t + ms);
  }

  private next(to: number): { id: number; at: number; fn: () => void } | undefined {
    let next: { id: number; at: number; fn: () => void } | undefined;
    for (const p of this.pending) if (p.at <= to && (!next || p.at < next.at)) next = p;
    return next;
  }

  private fire(next: { id: number; at: number; fn: () => void }): void {
    this.pending = this.pending.filter((p) => p !== next);
    this.t = Math.max(this.t, next.at);
    next.fn();
  }
}
