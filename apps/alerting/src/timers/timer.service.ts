import { Inject, Injectable, Logger } from '@nestjs/common';
import { TIMER_DRIVER, type TimerDriver } from './clock.types';
import { TimerHeap, type HeapPositions } from './timer-heap';

/** Called for a key whose deadline `at` has come (`now` ≥ `at`). */
export type DueHandler<K> = (key: K, at: number, now: number) => void;

// setTimeout keeps 32-bit delays; a longer wait is re-armed when it ends.
const MAX_DELAY_MS = 2 ** 31 - 1;
// After a long pause (GC, a restart with many overdue timers) fire in slices so I/O keeps flowing.
const MAX_FIRES_PER_TURN = 5_000;

/** One kind of deadline (rule timers, alarm timers, maintenance ends): its keys and what to do when due. */
export class TimerLane<K> {
  private readonly heap: TimerHeap<K>;

  constructor(
    readonly name: string,
    private readonly onDue: DueHandler<K>,
    private readonly onEarlier: (at: number) => void,
    private readonly logger: Logger,
    positions?: HeapPositions<K>,
  ) {
    this.heap = new TimerHeap<K>(positions);
  }

  get size(): number {
    return this.heap.size;
  }

  get(key: K): number | undefined {
    return this.heap.get(key);
  }

  set(key: K, at: number): void {
    this.heap.set(key, at);
    this.onEarlier(at);
  }

  delete(key: K): void {
    this.heap.delete(key);
  }

  peekAt(): number {
    return this.heap.peekAt();
  }

  /** Fires up to `budget` due keys; answers how many fired. */
  fireDue(now: number, budget: number): number {
    let fired = 0;
    while (fired < budget) {
      const e = this.heap.popDue(now);
      if (!e) break;
      fired++;
      try {
        this.onDue(e.key, e.at, now);
      } catch (err) {
        this.logger.error(`${this.name} timer failed: ${(err as Error).stack ?? String(err)}`);
      }
    }
    return fired;
  }
}

/**
 * Every deadline of the process in min-heaps (one per lane) behind ONE platform timer, armed for
 * the earliest deadline. Setting a later deadline costs a heap update and no timer call, so the hot
 * path (a reading moving a point's offline deadline) stays cheap.
 */
@Injectable()
export class TimerService {
  private readonly logger = new Logger(TimerService.name);
  private readonly lanes: TimerLane<never>[] = [];
  private handle: unknown = null;
  private armedAt = Infinity;
  private stopped = false;
  private firing = false;
  /** How late the last fired deadline was, ms (the timer part of /health's lag). */
  lastLateMs = 0;

  constructor(@Inject(TIMER_DRIVER) private readonly driver: TimerDriver) {}

  now(): number {
    return this.driver.now();
  }

  /** A lane; `positions` lets keys carry their heap position themselves (see `OWN_POSITION`). */
  lane<K>(name: string, onDue: DueHandler<K>, positions?: HeapPositions<K>): TimerLane<K> {
    const lane = new TimerLane<K>(name, onDue, (at) => this.armFor(at), this.logger, positions);
    this.lanes.push(lane as unknown as TimerLane<never>);
    return lane;
  }

  /** Pending deadlines over all lanes. */
  get size(): number {
    return this.lanes.reduce((n, lane) => n + lane.size, 0);
  }

  sizeOf(name: string): number {
    return this.lanes.find((l) => l.name === name)?.size ?? 0;
  }

  stop(): void {
    this.stopped = true;
    if (this.handle !== null) this.driver.clearTimeout(this.handle);
    this.handle = null;
  }

  private armFor(at: number): void {
    // the armed timer fires first and re-arms; while firing, one re-arm at the end does for all
    if (this.stopped || this.firing || at >= this.armedAt) return;
    if (this.handle !== null) this.driver.clearTimeout(this.handle);
    this.armedAt = at;
    const delay = Math.min(MAX_DELAY_MS, Math.max(0, at - this.driver.now()));
    this.handle = this.driver.setTimeout(() => this.fire(), delay);
  }

  private fire(): void {
    this.handle = null;
    this.armedAt = Infinity;
    if (this.stopped) return;
    const now = this.driver.now();
    const earliest = this.earliest();
    if (earliest <= now) this.lastLateMs = now - earliest;
    let budget = MAX_FIRES_PER_TURN;
    this.firing = true;
    try {
      for (const lane of this.lanes) budget -= lane.fireDue(now, budget);
    } finally {
      this.firing = false;
    }
    this.armFor(this.earliest());
  }

  private earliest(): number {
    return this.lanes.reduce((min, lane) => Math.min(min, lane.peekAt()), Infinity);
  }
}
