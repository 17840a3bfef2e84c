import { type AttemptCounter, type AttemptLimit, charged, waitOf } from './login-attempts.repository';

describe('login attempt counters', () => {
  const backoff: AttemptLimit = { key: 'user:x', mode: 'backoff', max: 3, periodMs: 3_600_000, capMs: 15 * 60_000 };
  const window: AttemptLimit = { key: 'global', mode: 'window', max: 2, periodMs: 60_000, capMs: 60_000 };
  const fresh = (now: number): AttemptCounter => ({ failures: 0, windowStart: now, lockedUntil: null, lastAt: now });

  it('backoff: admits max attempts, then locks 1 s, 2 s, 4 s … from the charge that reached the limit', () => {
    let now = 1_000_000;
    let c = fresh(now);
    for (let i = 0; i < 2; i++) {
      expect(waitOf(backoff, c, now)).toBe(0);
      c = charged(backoff, c, now);
    }
    expect(c.lockedUntil).toBeNull();
    c = charged(backoff, c, now); // the 3rd attempt is charged before its password is checked
    expect(waitOf(backoff, c, now)).toBe(1000);
    now += 1000;
    expect(waitOf(backoff, c, now)).toBe(0);
    c = charged(backoff, c, now);
    expect(waitOf(backoff, c, now)).toBe(2000);
    now += 2000;
    c = charged(backoff, c, now);
    expect(waitOf(backoff, c, now)).toBe(4000);
  });

  it('backoff: caps the lock at capMs and starts again after periodMs without attempts', () => {
    const now = 1_000_000;
    let c: AttemptCounter = { failures: 40, windowStart: now, lockedUntil: null, lastAt: now };
    c = charged(backoff, c, now);
    expect(waitOf(backoff, c, now)).toBe(15 * 60_000);
    const later = now + 3_600_001;
    c = charged(backoff, { ...c, lockedUntil: null }, later);
    expect(c.failures).toBe(1);
    expect(waitOf(backoff, c, later)).toBe(0);
  });

  it('window: at most max per window, refused until the window ends, then a new window', () => {
    const now = 5_000_000;
    let c = charged(window, charged(window, fresh(now), now), now + 10);
    expect(waitOf(window, c, now + 20)).toBe(60_000 - 20);
    expect(waitOf(window, c, now + 60_000)).toBe(0);
    c = charged(window, c, now + 60_000);
    expect(c).toMatchObject({ failures: 1, windowStart: now + 60_000 });
  });
});
