/**
 * Issue 18 item 4 (the audit log as a disk filler) against real parts: PostgreSQL (own database),
 * Debian's Mosquitto, a real influxd; the api in-process.
 */
import 'reflect-metadata';
import { TestServices, testUscc } from '@sw/testing';
import request from 'supertest';
import { ADMIN, api, type ApiHarness, startApiHarness } from '../testing/api-test.factory';
import { AuditRetentionService } from './audit-retention.service';

const MB = 1_000_000;

describe('audit log bounds', () => {
  let services: TestServices;
  let h: ApiHarness;

  beforeAll(async () => {
    services = await TestServices.start('api_audit', { mosquitto: true, influx: true });
    h = await startApiHarness(services);
  });

  afterAll(() => services?.stop());

  const lastId = async () => Number((await h.ds.query(`SELECT coalesce(max(id), 0) AS id FROM audit_log`))[0].id);
  /** The audit rows written after `id`, each with its size as stored text. */
  const rowsAfter = async (id: number): Promise<{ action: string; outcome: string; bytes: number; data: Record<string, unknown> }[]> =>
    h.ds.query(`SELECT action, outcome, octet_length(a::text) AS bytes, data FROM audit_log a WHERE id > $1 ORDER BY id`, [id]);
  const post = (path: string, body: string, token?: string) => {
    const r = request(h.baseUrl).post(`/api/v1${path}`).set('Content-Type', 'application/json');
    return (token ? r.set('Authorization', `Bearer ${token}`) : r).send(body);
  };

  // issue 18 acceptance: a 1 MB unauthenticated body stores ≤ 4 KiB of audit
  it('a 1 MB unauthenticated login stores one row of ≤ 4 KiB: the username cut to 64 characters, never the body', async () => {
    const before = await lastId();
    const wrong = await post('/auth/token', JSON.stringify({ username: ADMIN.username, password: 'wrong-password', junk: 'x'.repeat(MB) }));
    expect(wrong.status).toBe(401);
    const huge = await post('/auth/token', JSON.stringify({ username: 'u'.repeat(MB), password: 'p' }));
    expect(huge.status).toBe(400);
    const rows = await rowsAfter(before);
    expect(rows.map((r) => [r.action, r.outcome])).toEqual([
      ['auth.token', 'denied'],
      ['auth.token', 'rejected'],
    ]);
    for (const r of rows) expect(r.bytes).toBeLessThanOrEqual(4096);
    expect(rows[0]?.data).toEqual({ request: 'POST /api/v1/auth/token', username: ADMIN.username, status: 401, reason: expect.any(String) });
    expect(rows[1]?.data['username']).toBe('u'.repeat(63) + '…');
    expect(JSON.stringify(rows)).not.toContain('xxxx');
  });

  it('a 1 MB body to other routes: unauthenticated stores nothing; authenticated stores only the validated fields, ≤ 4 KiB', async () => {
    const before = await lastId();
    const junk = 'x'.repeat(MB);
    expect((await post('/enterprises', JSON.stringify({ name: 'n', junk }))).status).toBe(401);
    expect((await post('/alarms/00000000-0000-4000-8000-000000000000/ack', JSON.stringify({ comment: junk }))).status).toBe(401);
    expect(await rowsAfter(before)).toEqual([]);

    const refused = await post('/enterprises', JSON.stringify({ name: junk, uscc: testUscc(1), regionCode: '320505', riskCategories: ['steel'] }), h.adminToken);
    expect(refused.status).toBe(400);
    const created = await post('/enterprises', JSON.stringify({ name: '甲企业', uscc: testUscc(2), regionCode: '320505', riskCategories: ['steel'], junk }), h.adminToken);
    expect(created.status).toBe(201);
    const rows = await rowsAfter(before);
    expect(rows.map((r) => [r.action, r.outcome])).toEqual([
      ['enterprise.create', 'rejected'],
      ['enterprise.create', 'ok'],
    ]);
    for (const r of rows) expect(r.bytes).toBeLessThanOrEqual(4096);
    expect(rows[0]?.data).not.toHaveProperty('name'); // refused by the schema: no body at all
    expect(rows[1]?.data).toMatchObject({ name: '甲企业', uscc: testUscc(2) });
    expect(rows[1]?.data).not.toHaveProperty('junk');
  });

  // issue 18 item 4: deeply nested JSON overflowed redact() (500)
  it('10,000 levels of nested JSON answer 400, not 500, and the api stays up', async () => {
    const deep = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    for (const res of [await post('/auth/token', deep), await post('/enterprises', deep, h.adminToken), await post('/alarms/00000000-0000-4000-8000-000000000000/comment', `{"comment":${'['.repeat(10_000)}${']'.repeat(10_000)}}`, h.adminToken)]) {
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, message: 'the JSON body nests deeper than 32 levels' });
    }
    expect((await request(h.baseUrl).post('/api/v1/auth/token').send(ADMIN)).status).toBe(200);
    expect((await api(h).get('/enterprises?pageSize=1')).status).toBe(200);
  });

  it('retention: rows older than AUDIT_RETENTION_DAYS (730) are pruned; not while another instance holds the prune lock', async () => {
    const sut = h.app.get(AuditRetentionService);
    await sut.prune(); // settle the run started at boot
    const insert = (daysAgo: number) =>
      h.ds.query(`INSERT INTO audit_log (at, action, target_type, outcome) VALUES (now() - make_interval(days => $1), 'test.retention', 'test', 'ok') RETURNING id`, [daysAgo]);
    const [[old], [recent]] = [await insert(731), await insert(729)];
    const left = async () => (await h.ds.query(`SELECT id FROM audit_log WHERE action = 'test.retention' ORDER BY id`)).map((r: { id: string }) => Number(r.id));

    const other = h.ds.createQueryRunner(); // another api instance pruning right now
    await other.connect();
    await other.query('SELECT pg_advisory_lock(1765100200)');
    expect(await sut.prune()).toBeNull();
    expect(await left()).toEqual([Number(old.id), Number(recent.id)]);
    await other.query('SELECT pg_advisory_unlock(1765100200)');
    await other.release();

    expect(await sut.prune()).toBe(1);
    expect(await left()).toEqual([Number(recent.id)]);
  });
});
