/**
 * Issue 18 (login throttle): an attempt is charged before the password hash is verified, per
 * username and IP, per IP and globally, in PostgreSQL so every api process shares the counters.
 * Real parts: PostgreSQL (own database), Debian's Mosquitto (anonymous, own port), a real influxd;
 * two api instances in-process on one database (a third for the global limit). Client IPs come from X-Forwarded-For
 * (TRUST_PROXY=loopback), the way a reverse proxy reports them.
 */
import 'reflect-metadata';
import { TestServices } from '@sw/testing';
import request from 'supertest';
import { ADMIN, type ApiHarness, startApiHarness } from '../testing/api-test.factory';

describe('login throttle (shared, charged before argon2)', () => {
  let services: TestServices;
  let h: ApiHarness;
  let other: ApiHarness; // a second api process on the same database, with a small global limit

  const attempt = (harness: ApiHarness, username: string, password: string, ip: string) =>
    request(harness.baseUrl).post('/api/v1/auth/token').set('X-Forwarded-For', ip).send({ username, password });

  async function verifications(harness: ApiHarness): Promise<number> {
    const text = (await request(harness.baseUrl).get('/metrics')).text;
    return Number(/^api_login_verifications_total (\d+)/m.exec(text)?.[1] ?? 'NaN');
  }

  beforeAll(async () => {
    services = await TestServices.start('api_throttle', { mosquitto: true, influx: true });
    // a first lock of 60 s: the burst below takes longer than 1 s on a busy machine, and the lock
    // must not run out (and admit the next attempt by design) before the burst is over
    const env = { TRUST_PROXY: 'loopback', LOGIN_MAX_FAILURES: '5', LOGIN_IP_MAX_FAILURES: '8', LOGIN_BACKOFF_BASE_MS: '60000' };
    h = await startApiHarness(services, env);
    other = await startApiHarness(services, env);
  });

  afterAll(() => services?.stop()); // both apis too

  it('50 parallel wrong logins for one username and IP cost at most LOGIN_MAX_FAILURES password checks', async () => {
    const before = await verifications(h);
    const answers = await Promise.all(Array.from({ length: 50 }, () => attempt(h, ADMIN.username, 'wrong-password', '198.51.100.1')));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(45);
    expect((await verifications(h)) - before).toBe(5);
    const locked = answers.find((r) => r.status === 429);
    expect(Number(locked?.headers['retry-after'])).toBeGreaterThan(50);
    // the lock is shared: the other process refuses the same username and IP, even the right password
    expect((await attempt(other, ADMIN.username, ADMIN.password, '198.51.100.1')).status).toBe(429);
    expect((await attempt(other, ADMIN.username, ADMIN.password, '198.51.100.2')).status).toBe(200);
  });

  it('locks an IP trying many usernames after LOGIN_IP_MAX_FAILURES, and only that IP', async () => {
    for (let i = 0; i < 8; i++) expect((await attempt(h, `nobody-${i}`, 'whatever-123', '203.0.113.9')).status).toBe(401);
    const fresh = await attempt(other, 'someone-new', 'whatever-123', '203.0.113.9');
    expect(fresh.status).toBe(429);
    expect(fresh.body.message).toMatch(/^too many failed logins; retry in \d+ s$/);
    expect((await attempt(h, ADMIN.username, ADMIN.password, '203.0.113.9')).status).toBe(429);
    expect((await attempt(h, 'someone-new', 'whatever-123', '203.0.113.10')).status).toBe(401);
  });

  it('a success gives its charge back and clears the username-and-IP counter', async () => {
    for (let i = 0; i < 4; i++) expect((await attempt(h, ADMIN.username, 'wrong-password', '192.0.2.44')).status).toBe(401);
    expect((await attempt(h, ADMIN.username, ADMIN.password, '192.0.2.44')).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await attempt(h, ADMIN.username, 'wrong-password', '192.0.2.44')).status).toBe(401);
    const rows = (await h.ds.query(`SELECT key, failures FROM login_attempts WHERE key = 'ip:192.0.2.44'`)) as { failures: number }[];
    expect(rows).toEqual([{ key: 'ip:192.0.2.44', failures: 8 }]); // 4 + 4 failures; the success was given back
  });

  it('refuses everyone for the rest of the window past LOGIN_GLOBAL_MAX_FAILURES', async () => {
    await h.ds.query(`DELETE FROM login_attempts WHERE key = 'global'`); // the failures above count too
    const global = await startApiHarness(services, { TRUST_PROXY: 'loopback', LOGIN_GLOBAL_MAX_FAILURES: '3', LOGIN_GLOBAL_WINDOW_S: '3600' });
    try {
      for (let i = 0; i < 3; i++) expect((await attempt(global, `spray-${i}`, 'whatever-123', `192.0.2.${100 + i}`)).status).toBe(401);
      const res = await attempt(global, ADMIN.username, ADMIN.password, '192.0.2.200');
      expect(res.status).toBe(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(3000);
    } finally {
      await global.close();
    }
  });
});
