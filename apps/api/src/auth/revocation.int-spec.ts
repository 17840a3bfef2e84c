/**
 * Issue 18 (revocation): a token speaks for its user only while the user exists, is enabled and
 * holds the token's version; the admin's disable, role change and password reset kill old tokens
 * and close the user's live-feed sockets, also on another api process (users_changed NOTIFY).
 * Real parts: PostgreSQL (own database), Debian's Mosquitto (anonymous, own port), a real influxd;
 * two api instances in-process on the same database; real `ws` clients.
 */
import 'reflect-metadata';
import { JwtService } from '@nestjs/jwt';
import { randomSecret, TestServices } from '@sw/testing';
import request from 'supertest';
import { api, type ApiHarness, FeedClient, JWT_SECRET, login, startApiHarness } from '../testing/api-test.factory';

describe('token revocation and admin user changes', () => {
  let services: TestServices;
  let h: ApiHarness;
  let other: ApiHarness; // a second api process on the same database
  const sockets: FeedClient[] = [];

  async function feed(harness: ApiHarness, token: string): Promise<FeedClient> {
    const client = await FeedClient.open(`${harness.wsUrl}?token=${token}`);
    sockets.push(client);
    await client.waitFor((f) => f['type'] === 'ready');
    return client;
  }

  async function newUser(username: string): Promise<{ id: string; password: string; token: string }> {
    const password = randomSecret(12);
    const res = await api(h).post('/users', { username, password, role: 'regulator', regionCode: '3205' });
    expect(res.status).toBe(201);
    return { id: res.body.id as string, password, token: await login(h, username, password) };
  }

  const sign = (claims: object) => new JwtService().sign(claims, { secret: JWT_SECRET, expiresIn: 600 });

  beforeAll(async () => {
    services = await TestServices.start('api_revocation', { mosquitto: true, influx: true });
    const env = { LIVE_PING_INTERVAL_MS: '60000' };
    h = await startApiHarness(services, env);
    other = await startApiHarness(services, env);
  });

  afterAll(async () => {
    for (const s of sockets) s.close();
    await services?.stop(); // both apis too
  });

  it('refuses a token signed with the real secret for a user that does not exist, or without a version (401, 4401)', async () => {
    const [admin] = (await h.ds.query(`SELECT id FROM users WHERE username = 'admin'`)) as [{ id: string }];
    const claims = { username: 'admin', role: 'admin', regionCode: null, enterpriseId: null };
    const ghost = sign({ sub: '7a3c2f4e-1b2d-4c5e-8f90-123456789abc', ver: 1, ...claims });
    const unversioned = sign({ sub: admin.id, ...claims });
    const oldVersion = sign({ sub: admin.id, ver: 0, ...claims });
    for (const token of [ghost, unversioned, oldVersion]) {
      const res = await api(h, token).get('/users');
      expect(res.status).toBe(401);
      const socket = await FeedClient.open(`${h.wsUrl}?token=${token}`);
      sockets.push(socket);
      expect(await socket.waitClosed()).toBe(4401);
    }
    expect((await api(h, sign({ sub: admin.id, ver: 1, ...claims })).get('/users')).status).toBe(200); // the control
  });

  it('disabling a user refuses their token at once and closes their sockets on every api process; enabling does not revive it', async () => {
    const u = await newUser('reg-disable');
    expect((await api(h, u.token).get('/enterprises')).status).toBe(200);
    const here = await feed(h, u.token);
    const there = await feed(other, u.token);
    const bystander = await feed(other, h.adminToken);

    const res = await api(h).post(`/users/${u.id}/disable`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: u.id, username: 'reg-disable', disabled: true });
    expect(await here.waitClosed()).toBe(4401); // this process: at once
    expect(await there.waitClosed()).toBe(4401); // the other: on the users_changed notification
    expect((await api(h, u.token).get('/enterprises')).status).toBe(401);
    expect((await api(other, u.token).get('/enterprises')).status).toBe(401);
    const relogin = await api(h, null).post('/auth/token', { username: 'reg-disable', password: u.password });
    expect(relogin.status).toBe(401);

    expect((await api(h).post(`/users/${u.id}/enable`)).body).toMatchObject({ disabled: false });
    expect((await api(h, u.token).get('/enterprises')).status).toBe(401); // the old token stays dead
    expect((await api(h, await login(h, 'reg-disable', u.password)).get('/enterprises')).status).toBe(200);
    bystander.send({ type: 'ping' });
    await bystander.waitFor((f) => f['type'] === 'pong');
    expect(bystander.closeCode).toBeNull();
  });

  it('a user disabled with SQL (e.g. by an operator) is refused and disconnected too', async () => {
    const u = await newUser('reg-sql');
    const socket = await feed(other, u.token);
    await h.ds.query(`UPDATE users SET disabled = true WHERE id = $1`, [u.id]);
    expect(await socket.waitClosed()).toBe(4401);
    expect((await api(other, u.token).get('/enterprises')).status).toBe(401);
  });

  it('a role change takes effect at once: old tokens and sockets die, the new login has the new role', async () => {
    const u = await newUser('reg-role');
    const socket = await feed(h, u.token);
    expect((await api(h, u.token).get('/users')).status).toBe(403);
    const res = await api(h).put(`/users/${u.id}/role`, { role: 'admin' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ role: 'admin', regionCode: null, enterpriseId: null });
    expect(await socket.waitClosed()).toBe(4401);
    expect((await api(h, u.token).get('/users')).status).toBe(401);
    expect((await api(h, await login(h, 'reg-role', u.password)).get('/users')).status).toBe(200);
    const bad = await api(h).put(`/users/${u.id}/role`, { role: 'regulator' });
    expect(bad.status).toBe(400);
    expect((bad.body.message as string[]).some((m) => m.startsWith('regionCode'))).toBe(true);
  });

  it('a password reset kills old tokens and the old password', async () => {
    const u = await newUser('reg-reset');
    const socket = await feed(other, u.token);
    const password = randomSecret(12);
    const res = await api(h).post(`/users/${u.id}/password`, { password });
    expect(res.status).toBe(200);
    expect(res.body.passwordHash).toBeUndefined();
    expect(await socket.waitClosed()).toBe(4401);
    expect((await api(h, u.token).get('/enterprises')).status).toBe(401);
    expect((await api(h, null).post('/auth/token', { username: 'reg-reset', password: u.password })).status).toBe(401);
    expect((await api(h, await login(h, 'reg-reset', password)).get('/enterprises')).status).toBe(200);
    expect((await api(h).post(`/users/${u.id}/password`, { password: 'short' })).status).toBe(400);
  });

  it('only an admin changes users; the last enabled admin cannot be disabled or demoted; unknown ids answer 404', async () => {
    const u = await newUser('reg-plain');
    expect((await api(h, u.token).post(`/users/${u.id}/disable`)).status).toBe(403);
    const idOf = async (username: string) => ((await h.ds.query(`SELECT id FROM users WHERE username = $1`, [username])) as [{ id: string }])[0].id;
    // 'admin' and 'reg-role' (promoted above) are the admins: once 'reg-role' is disabled, 'admin' is the last
    expect((await api(h).post(`/users/${await idOf('reg-role')}/disable`)).status).toBe(200);
    const adminId = await idOf('admin');
    const refused = await api(h).post(`/users/${adminId}/disable`);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toBe('the platform needs at least one enabled admin');
    expect((await api(h).put(`/users/${adminId}/role`, { role: 'regulator', regionCode: '32' })).status).toBe(409);
    expect((await api(h).post('/users/7a3c2f4e-1b2d-4c5e-8f90-123456789abc/disable')).status).toBe(404);
    expect((await api(h).get('/users')).status).toBe(200); // the admin's own token still works
  });

  it('audits each change with its outcome and never the password; the OpenAPI document lists the routes', async () => {
    const rows = (await h.ds.query(`SELECT action, outcome, target_id, data FROM audit_log WHERE action LIKE 'user.%' ORDER BY id`)) as {
      action: string;
      outcome: string;
      target_id: string | null;
      data: Record<string, unknown>;
    }[];
    for (const action of ['user.disable', 'user.enable', 'user.role', 'user.password_reset']) {
      expect(rows.some((r) => r.action === action && r.outcome === 'ok' && r.target_id)).toBe(true);
    }
    expect(rows.some((r) => r.action === 'user.disable' && r.outcome === 'denied')).toBe(true);
    expect(rows.some((r) => r.action === 'user.disable' && r.outcome === 'rejected')).toBe(true);
    expect(rows.filter((r) => r.action === 'user.password_reset').every((r) => r.data['password'] === undefined)).toBe(true);
    const doc = await request(h.baseUrl).get('/docs-json');
    const paths = Object.keys((doc.body as { paths: Record<string, unknown> }).paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/v1/users/{id}/disable', '/api/v1/users/{id}/enable', '/api/v1/users/{id}/role', '/api/v1/users/{id}/password']));
  });
});
