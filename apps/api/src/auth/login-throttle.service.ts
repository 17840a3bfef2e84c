/**
 * Failed logins per username and IP (in memory, per process): after `maxFailures` failures the
 * next attempt waits 2^(n − maxFailures) s, doubling up to 15 min. A success clears the counter.
 * Entries are forgotten once their lock has passed and they have been quiet for an hour.
 */
export class LoginThrottle {
  private readonly entries = new Map<string, { failures: number; lockedUntil: number; lastAt: number }>();
  static readonly MAX_LOCK_MS = 15 * 60_000;
  private static readonly FORGET_AFTER_MS = 3_600_000;

  constructor(
    private readonly maxFailures: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until the next attempt is allowed (0 = now). */
  retryAfterMs(username: string, ip: string): number {
    const e = this.entries.get(keyOf(username, ip));
    return e ? Math.max(0, e.lockedUntil - this.now()) : 0;
  }

  failed(username: string, ip: string): void {
    const key = keyOf(username, ip);
    const now = this.now();
    const e = this.entries.get(key) ?? { failures: 0, lockedUntil: 0, lastAt: now };
    e.failures += 1;
    e.lastAt = now;
    const over = e.failures - this.maxFailures;
    if (over >= 0) e.lockedUntil = now + Math.min(1000 * 2 ** over, LoginThrottle.MAX_LOCK_MS);
    this.entries.set(key, e);
    if (this.entries.size > 10_000) this.prune();
  }

  succeeded(username: string, ip: string): void {
    this.entries.delete(keyOf(username, ip));
  }

  private prune(): void {
    const now = this.now();
    for (const [key, e] of this.entries) {
      if (e.lockedUntil <= now && now - e.lastAt > LoginThrottle.FORGET_AFTER_MS) this.entries.delete(key);
    }
  }
}

function keyOf(username: string, ip: string): string {
  return `${username.toLowerCase()}\u0000${ip}`;
}
