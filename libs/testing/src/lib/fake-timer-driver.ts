// For specs: a timer driver whose clock moves only when the test says so (no sleeps).
import type { TimerDriver } from '../timers/clock.types';

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
      const next = this.pending.filter((p) => p.at <= to).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.pending = this.pending.filter((p) => p !== next);
      this.t = Math.max(this.t, next.at);
      next.fn();
    }
    this.t = to;
  }
}
