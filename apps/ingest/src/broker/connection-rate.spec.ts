import { ConnectionRateLimiter } from './connection-rate';

describe(ConnectionRateLimiter.name, () => {
  it('lets a burst through, then the sustained rate per address', () => {
    // issue 18 item 2: a per-IP connection rate
    const sut = new ConnectionRateLimiter(2, 3);
    const t0 = 1_000_000;
    expect([1, 2, 3, 4].map(() => sut.take('10.0.0.1', t0))).toEqual([true, true, true, false]);
    expect(sut.take('10.0.0.2', t0)).toBe(true); // another address has its own bucket
    expect(sut.take('10.0.0.1', t0 + 499)).toBe(false);
    expect(sut.take('10.0.0.1', t0 + 500)).toBe(true); // 2 per second: one token per 500 ms
    expect(sut.take('10.0.0.1', t0 + 10_000)).toBe(true);
  });

  it('never holds more than the burst, however long an address was away', () => {
    const sut = new ConnectionRateLimiter(100, 2);
    sut.take('a', 0);
    expect([1, 2, 3].map(() => sut.take('a', 3_600_000))).toEqual([true, true, false]);
  });

  it('bounds the addresses it tracks, forgetting refilled buckets first', () => {
    const sut = new ConnectionRateLimiter(1, 1, 2);
    expect(sut.take('a', 0)).toBe(true);
    expect(sut.take('b', 0)).toBe(true);
    expect(sut.take('c', 5_000)).toBe(true); // a and b refilled: forgotten
    expect(sut.take('c', 5_000)).toBe(false); // c's own bucket is kept
  });
});
