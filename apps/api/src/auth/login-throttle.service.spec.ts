import { LoginThrottle } from './login-throttle.service';

describe(LoginThrottle.name, () => {
  let now: number;
  let sut: LoginThrottle;

  beforeEach(() => {
    now = 1_000_000;
    sut = new LoginThrottle(3, () => now);
  });

  it('lets the first failures through, then backs off 1 s, 2 s, 4 s … per username and IP', () => {
    for (let i = 0; i < 2; i++) sut.failed('admin', '10.0.0.1');
    expect(sut.retryAfterMs('admin', '10.0.0.1')).toBe(0);
    sut.failed('admin', '10.0.0.1');
    expect(sut.retryAfterMs('admin', '10.0.0.1')).toBe(1000);
    sut.failed('admin', '10.0.0.1');
    expect(sut.retryAfterMs('admin', '10.0.0.1')).toBe(2000);
    sut.failed('admin', '10.0.0.1');
    expect(sut.retryAfterMs('admin', '10.0.0.1')).toBe(4000);
    expect(sut.retryAfterMs('admin', '10.0.0.2')).toBe(0);
    expect(sut.retryAfterMs('other', '10.0.0.1')).toBe(0);
    now += 4000;
    expect(sut.retryAfterMs('admin', '10.0.0.1')).toBe(0);
  });

  it('caps the wait at 15 minutes and forgets the counter after a success', () => {
    for (let i = 0; i < 40; i++) sut.failed('Admin', 'ip');
    expect(sut.retryAfterMs('admin', 'ip')).toBe(LoginThrottle.MAX_LOCK_MS);
    sut.succeeded('admin', 'ip');
    expect(sut.retryAfterMs('admin', 'ip')).toBe(0);
  });
});
