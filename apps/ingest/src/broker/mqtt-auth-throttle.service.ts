import { Inject, Injectable } from '@nestjs/common';
import { type AttemptCounter, type AttemptLimit, charged, waitOf } from '@sw/persistence';
import { INGEST_CONFIG, type IngestConfig } from '../config/ingest.config';

const MAX_LOCK_MS = 15 * 60_000;
const FORGET_AFTER_MS = 3_600_000;
const MAX_ENTRIES = 100_000;
/** How long an attempt may wait for a check slot before it is refused (an MQTT client's connect timeout is about 30 s). */
const ADMIT_WAIT_MS = 20_000;

/** How an admitted attempt ended: a wrong secret is a failure; an error (PostgreSQL away) is neither. */
export type AttemptOutcome = 'ok' | 'failed' | 'error';

/**
 * Failed MQTT logins (issue 18: the service password had no attempt limit), in memory per ingest
 * process, with the same counters as the api's login throttle: per username and IP, after
 * MQTT_AUTH_MAX_FAILURES failures, and per IP after MQTT_AUTH_IP_MAX_FAILURES, every attempt
 * waits 1 s, 2 s, 4 s … up to 15 min, refused without any check meanwhile.
 *
 * Parallel attempts cannot outrun the limit: an attempt being checked (the argon2 check of a
 * gateway takes time) holds a slot of each of its counters, and a counter lets at most
 * `max − failures` attempts be checked at once (one at a time once its lock has run out). Attempts beyond that wait for a slot instead of
 * being refused, so a plant's gateways reconnecting together behind one NAT address (or a fleet
 * after an ingest restart) all log in, while 30 parallel guesses still cost at most `max` checks:
 * the first ones fail, the counter locks, and the waiting ones are refused unchecked.
 */
@Injectable()
export class MqttAuthThrottle {
  private readonly counters = new Map<string, AttemptCounter>();
  private readonly inFlight = new Map<string, number>();
  private readonly waiters = new Map<string, (() => void)[]>();

  constructor(@Inject(INGEST_CONFIG) private readonly config: IngestConfig) {}

  /**
   * Admits one attempt (true: check it, then call {@link settle} exactly once) or refuses it (false:
   * a counter is locked, or no slot freed within ADMIT_WAIT_MS).
   */
  async take(username: string, ip: string): Promise<boolean> {
    const limits = this.limits(username, ip);
    const deadline = Date.now() + ADMIT_WAIT_MS;
    for (;;) {
      const now = Date.now();
      if (limits.some((l) => waitOf(l, this.counter(l.key, now), now) > 0)) return false;
      const full = limits.find((l) => (this.inFlight.get(l.key) ?? 0) >= Math.max(1, l.max - this.recentFailures(l, now)));
      if (!full) break;
      if (now >= deadline) return false;
      await this.slotFreed(full.key, deadline - now);
    }
    if (this.counters.size > MAX_ENTRIES) this.prune(Date.now());
    for (const l of limits) this.inFlight.set(l.key, (this.inFlight.get(l.key) ?? 0) + 1);
    return true;
  }

  /** Ends an admitted attempt: a failure is charged to its counters, a success clears its username's. */
  settle(username: string, ip: string, outcome: AttemptOutcome): void {
    const now = Date.now();
    for (const l of this.limits(username, ip)) {
      const left = (this.inFlight.get(l.key) ?? 1) - 1;
      if (left > 0) this.inFlight.set(l.key, left);
      else this.inFlight.delete(l.key);
      if (outcome === 'failed') this.counters.set(l.key, charged(l, this.counter(l.key, now), now));
      else if (outcome === 'ok' && l.key.startsWith('user\u0000')) this.counters.delete(l.key);
      const waiting = this.waiters.get(l.key);
      this.waiters.delete(l.key);
      for (const wake of waiting ?? []) wake();
    }
  }

  private slotFreed(key: string, maxWaitMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, maxWaitMs);
      timer.unref();
      const list = this.waiters.get(key) ?? [];
      list.push(() => {
        clearTimeout(timer);
        resolve();
      });
      this.waiters.set(key, list);
    });
  }

  private recentFailures(limit: AttemptLimit, now: number): number {
    const c = this.counters.get(limit.key);
    return c && now - c.lastAt <= limit.periodMs ? c.failures : 0;
  }

  private limits(username: string, ip: string): AttemptLimit[] {
    return [
      { key: `user\u0000${username}\u0000${ip}`, mode: 'backoff', max: this.config.MQTT_AUTH_MAX_FAILURES, periodMs: FORGET_AFTER_MS, capMs: MAX_LOCK_MS },
      { key: `ip\u0000${ip}`, mode: 'backoff', max: this.config.MQTT_AUTH_IP_MAX_FAILURES, periodMs: FORGET_AFTER_MS, capMs: MAX_LOCK_MS },
    ];
  }

  private counter(key: string, now: number): AttemptCounter {
    return this.counters.get(key) ?? { failures: 0, windowStart: now, lockedUntil: null, lastAt: now };
  }

  private prune(now: number): void {
    for (const [key, c] of this.counters) {
      if ((c.lockedUntil === null || c.lockedUntil <= now) && now - c.lastAt > FORGET_AFTER_MS) this.counters.delete(key);
    }
  }
}
