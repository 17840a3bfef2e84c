/**
 * Auth, users and the admin bootstrap against real parts: PostgreSQL (own database), Debian's
 * Mosquitto as the broker (anonymous, own port), a real influxd. The api runs in-process.
 */
import 'reflect-metadata';
import { createTestDatabase, holdFor, TestServices } from '@sw/testing';
import request from 'supertest';
import { apiConfigSchema } from '../config/api.config';
import { bootstrapApi } from '../main';
import { ADMIN, api, type ApiHarness, JWT_SECRET, login, SERVICE_PASSWORD, startApiHarness } from '../testing/api-test.factory';

describe('auth and users', () => {
  let services: TestServices;
  let h: ApiHarness;

  beforeAll(async () => {
    services = await TestServices.start('api_auth', { mosquitto: true, influx: true });
    h = await startApiHarness(services);
  });

  afterAll(() => services?.stop());

  it('created the first admin from ADMIN_USERNAME/ADMIN_PASSWORD and issues HS256 tokens', async () => {
    const res = await request(h.baseUrl).post('/api/v1/auth/token').send(ADMIN);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ accessToken: expect.any(String), expiresIn: 8 * 3600 });
    const header = JSON.parse(Buffer.from((res.body.accessToken as string).split('.')[0] as string, 'base64url').toString());
    expect(header.alg).toBe('HS256');
  });

  it('docs/contracts.md §4: refuses to start without an admin when ADMIN_* are unset (no default password)', async () => {
    const empty = await createTestDatabase('api_noadmin');
    try {
      const config = apiConfigSchema.parse({
        DATABASE_URL: empty.url,
        BROKER_URL: services.mosquitto.url,
        INFLUX_URL: services.influx.url,
        SERVICE_MQTT_PASSWORD: SERVICE_PASSWORD,
        JWT_SECRET,
        API_PORT: '0',
        API_BIND: '127.0.0.1',
        LOG_LEVEL: 'silent',
      });
      await expect(bootstrapApi(config)).rejects.toThrow(/ADMIN_USERNAME and ADMIN_PASSWORD/);
    } finally {
      await empty.drop();
    }
  });

  it('answers 401 for a wrong password and backs off after repeated failures (per username and IP)', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await request(h.baseUrl).post('/api/v1/auth/token').send({ username: ADMIN.username, password: 'wrong-password' });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'invalid username or password' });
    }
    const locked = await request(h.baseUrl).post('/api/v1/auth/token').send(ADMIN);
    expect(locked.status).toBe(429);
    const retryAfterS = Number(locked.headers['retry-after']);
    expect(retryAfterS).toBeGreaterThanOrEqual(1);
    const other = await request(h.baseUrl).post('/api/v1/auth/token').send({ username: 'nobody', password: 'whatever-123' });
    expect(other.status).toBe(401); // another username is not locked
    await holdFor(retryAfterS * 1000 + 100, 'the lock lasts as long as Retry-After said; the backoff is time-based');
    expect((await request(h.baseUrl).post('/api/v1/auth/token').send(ADMIN)).status).toBe(200);
  });

  it('needs a bearer token everywhere but /auth/token, /health and /metrics', async () => {
    const res = await request(h.baseUrl).get('/api/v1/enterprises');
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('Unauthorized');
    expect((await request(h.baseUrl).get('/api/v1/enterprises').set('Authorization', 'Bearer nonsense')).status).toBe(401);
    expect((await request(h.baseUrl).get('/health')).status).toBe(200);
    expect((await request(h.baseUrl).get('/metrics')).text).toContain('api_http_requests_total');
  });

  it('creates users of each role (admin only) and normalizes a regulator prefix: 320500 → 3205', async () => {
    const ent = await api(h).post('/enterprises', { name: '甲企业', uscc: '91110108551385082Q', regionCode: '320505', riskCategories: ['steel'] });
    expect(ent.status).toBe(201);
    const reg = await api(h).post('/users', { username: 'reg3205', password: 'regulator-pass-1', role: 'regulator', regionCode: '320500' });
    expect(reg.status).toBe(201);
    expect(reg.body).toMatchObject({ username: 'reg3205', role: 'regulator', regionCode: '3205', enterpriseId: null });
    expect(reg.body.passwordHash).toBeUndefined();
    const entUser = await api(h).post('/users', { username: 'ent-a', password: 'enterprise-pass-1', role: 'enterprise', enterpriseId: ent.body.id });
    expect(entUser.status).toBe(201);
    const list = await api(h).get('/users?pageSize=10');
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ total: 3, page: 1, pageSize: 10 });
    expect(list.body.items.map((u: { username: string }) => u.username)).toEqual(['admin', 'ent-a', 'reg3205']);

    const regToken = await login(h, 'reg3205', 'regulator-pass-1');
    expect((await api(h, regToken).post('/users', { username: 'x-user', password: 'x-password-123', role: 'admin' })).status).toBe(403);
    expect((await api(h, regToken).get('/users')).status).toBe(403);
  });

  it('validates user bodies with 400 and every reason', async () => {
    const cases = [
      [{ username: 'ab', password: 'short', role: 'admin' }, ['username', 'password']],
      [{ username: 'reg-x', password: 'long-enough-1', role: 'regulator' }, ['regionCode']],
      [{ username: 'reg-y', password: 'long-enough-1', role: 'regulator', regionCode: '3205050' }, ['regionCode']],
      [{ username: 'ent-x', password: 'long-enough-1', role: 'enterprise' }, ['enterpriseId']],
      [{ username: 'adm-x', password: 'long-enough-1', role: 'root' }, ['role']],
    ] as const;
    for (const [body, fields] of cases) {
      const res = await api(h).post('/users', body);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('Bad Request');
      for (const f of fields) expect((res.body.message as string[]).some((m) => m.startsWith(f))).toBe(true);
    }
    const dup = await api(h).post('/users', { username: 'reg3205', password: 'regulator-pass-1', role: 'regulator', regionCode: '32' });
    expect(dup.status).toBe(409);
    const noEnt = await api(h).post('/users', { username: 'ent-z', password: 'long-enough-1', role: 'enterprise', enterpriseId: '00000000-0000-4000-8000-000000000000' });
    expect(noEnt.status).toBe(400);
  });

  it('serves the OpenAPI document at /docs and /docs-json', async () => {
    const json = await request(h.baseUrl).get('/docs-json');
    expect(json.status).toBe(200);
    expect(Object.keys(json.body.paths)).toEqual(expect.arrayContaining(['/api/v1/auth/token', '/api/v1/alarms/{id}/ack', '/api/v1/kpi/connection']));
    expect((await request(h.baseUrl).get('/docs')).status).toBe(200);
  });

  it('records user creation and logins in the audit log', async () => {
    const rows: { action: string; outcome: string; username: string | null; ip: string | null; user_agent: string | null; data: Record<string, unknown> }[] =
      await h.ds.query(`SELECT action, outcome, username, ip, user_agent, data FROM audit_log ORDER BY id`);
    const created = rows.find((r) => r.action === 'user.create' && r.outcome === 'ok');
    expect(created).toMatchObject({ username: 'admin', ip: expect.stringContaining('127.0.0.1') });
    expect(created?.data['password']).toBeUndefined();
    expect(rows.some((r) => r.action === 'auth.token' && r.outcome === 'denied')).toBe(true);
    expect(rows.some((r) => r.action === 'user.create' && r.outcome === 'denied' && r.username === 'reg3205')).toBe(true);
    expect(rows.some((r) => r.action === 'user.create' && r.outcome === 'rejected')).toBe(true);
  });
});
