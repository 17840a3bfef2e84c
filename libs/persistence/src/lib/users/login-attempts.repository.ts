import type { DataSource } from 'typeorm';

/**
 * One counter of failed logins. `backoff`: after `max` failures every attempt locks the key for
 * `baseMs` · 2^(failures − max), up to `capMs`; the counter is forgotten after `periodMs` without attempts.
 * `window`: at most `max` failures per fixed window of `periodMs`.
 */
export interface AttemptLimit {
  key: string;
  mode: 'backoff' | 'window';
  max: number;
  periodMs: number;
  capMs: number;
  /** backoff: the first lock (then doubling); 1 s unless set */
  baseMs?: number;
}

export interface AttemptCounter {
  failures: number;
  windowStart: number;
  lockedUntil: number | null;
  lastAt: number;
}

/** Milliseconds until `limit` admits an attempt (0 = now), given its counter at `now`. */
export function waitOf(limit: AttemptLimit, c: AttemptCounter, now: number): number {
  if (limit.mode === 'window') {
    if (now >= c.windowStart + limit.periodMs) return 0;
    return c.failures >= limit.max ? c.windowStart + limit.periodMs - now : 0;
  }
  return c.lockedUntil !== null && c.lockedUntil > now ? c.lockedUntil - now : 0;
}

/** The counter after one more (presumed failed) attempt at `now`, which `waitOf` admitted. */
export function charged(limit: AttemptLimit, c: AttemptCounter, now: number): AttemptCounter {
  if (limit.mode === 'window') {
    const fresh = now >= c.windowStart + limit.periodMs;
    return { failures: (fresh ? 0 : c.failures) + 1, windowStart: fresh ? now : c.windowStart, lockedUntil: null, lastAt: now };
  }
  const failures = (now - c.lastAt > limit.periodMs ? 0 : c.failures) + 1;
  const over = failures - limit.max;
  const lockedUntil = over >= 0 ? now + Math.min((limit.baseMs ?? 1000) * 2 ** over, limit.capMs) : null;
  return { failures, windowStart: c.windowStart, lockedUntil, lastAt: now };
}

interface AttemptRow {
  key: string;
  failures: number;
  window_start: Date;
  locked_until: Date | null;
  last_at: Date;
  now: Date;
}

/**
 * Failed-login counters in PostgreSQL, shared by every api process (issue 18). An attempt is
 * charged to all its counters before the password is verified, in one transaction holding their
 * rows locked (always in key order, so concurrent attempts cannot deadlock): of N parallel
 * attempts at most `max` get through, and either every counter is charged or none. A successful
 * login gives its charge back.
 */
export class LoginAttemptsRepository {
  constructor(private readonly ds: DataSource) {}

  /** Charges one attempt to every limit and answers 0, or answers the wait (ms) and charges nothing. */
  async take(limits: readonly AttemptLimit[]): Promise<number> {
    const byKey = new Map(limits.map((l) => [l.key, l]));
    const keys = [...byKey.keys()].sort();
    return this.ds.transaction(async (m) => {
      await m.query(`INSERT INTO login_attempts (key) SELECT k FROM unnest($1::text[]) AS k ORDER BY k COLLATE "C" ON CONFLICT (key) DO NOTHING`, [keys]);
      const rows: AttemptRow[] = await m.query(
        `SELECT key, failures, window_start, locked_until, last_at, now() AS now FROM login_attempts WHERE key = ANY($1) ORDER BY key COLLATE "C" FOR UPDATE`,
        [keys],
      );
      const now = rows[0]?.now.getTime() ?? Date.now();
      const counters = rows.map((r) => ({ limit: byKey.get(r.key) as AttemptLimit, counter: counterOf(r) }));
      const wait = Math.max(0, ...counters.map(({ limit, counter }) => waitOf(limit, counter, now)));
      if (wait > 0) return wait;
      const next = counters.map(({ limit, counter }) => ({ key: limit.key, ...charged(limit, counter, now) }));
      await m.query(
        `UPDATE login_attempts t SET failures = v.f, window_start = v.w, locked_until = v.l, last_at = v.a
         FROM unnest($1::text[], $2::int[], $3::timestamptz[], $4::timestamptz[], $5::timestamptz[]) AS v(k, f, w, l, a) WHERE t.key = v.k`,
        [next.map((n) => n.key), next.map((n) => n.failures), next.map((n) => new Date(n.windowStart)), next.map((n) => (n.lockedUntil === null ? null : new Date(n.lockedUntil))), next.map((n) => new Date(n.lastAt))],
      );
      return 0;
    });
  }

  /**
   * Gives a successful attempt's charge back: `reset` keys are forgotten, the others lose one
   * failure (and the lock that failure set, if it drops below its limit).
   */
  async refund(limits: readonly AttemptLimit[], reset: readonly string[]): Promise<void> {
    if (reset.length > 0) await this.ds.query(`DELETE FROM login_attempts WHERE key = ANY($1)`, [reset]);
    const rest = limits.filter((l) => !reset.includes(l.key));
    if (rest.length === 0) return;
    await this.ds.query(
      `UPDATE login_attempts t SET failures = greatest(t.failures - 1, 0),
         locked_until = CASE WHEN t.failures - 1 < v.max THEN NULL ELSE t.locked_until END
       FROM unnest($1::text[], $2::int[]) AS v(k, max) WHERE t.key = v.k`,
      [rest.map((l) => l.key), rest.map((l) => l.max)],
    );
  }

  /** Deletes counters quiet for `quietMs` and not locked; answers how many. */
  async prune(quietMs: number): Promise<number> {
    const [, count] = (await this.ds.query(
      `DELETE FROM login_attempts WHERE last_at < now() - $1 * interval '1 millisecond' AND (locked_until IS NULL OR locked_until < now())
         AND window_start < now() - $1 * interval '1 millisecond'`,
      [quietMs],
    )) as [unknown, number];
    return count;
  }
}

function counterOf(r: AttemptRow): AttemptCounter {
  return { failures: r.failures, windowStart: r.window_start.getTime(), lockedUntil: r.locked_until?.getTime() ?? null, lastAt: r.last_at.getTime() };
}
