/**
 * HazardNoticesRepository against real PostgreSQL (own database, migrations): confirmation notices
 * commit or roll back with the `confirmed` event; the overdue sweep runs under an advisory lock
 * (a second instance sweeping at the same time does nothing) and queues each overdue day once.
 */
import { applyHazardAction, type HazardAction, type HazardActor, reportHazard } from '@sw/hazards';
import { createTestDatabase, testUscc, type TestDatabase } from '@sw/testing';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../data-source.factory';
import { RegistryService } from '../registry/registry.service';
import { HazardNoticesRepository } from './hazard-notices.repository';
import { HazardStore } from './hazard-store';

const LOCK = 424_242;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe(HazardNoticesRepository.name, () => {
  let db: TestDatabase;
  let ds: DataSource;
  let sut: HazardNoticesRepository;
  let store: HazardStore;
  let enterpriseId: string;
  const client = { ip: null, userAgent: 'hazard-notices-spec' };
  const ent = (): HazardActor => ({ id: '00000000-0000-4000-8000-0000000000e1', username: 'ent', role: 'enterprise', enterpriseId });
  const reg: HazardActor = { id: '00000000-0000-4000-8000-000000000001', username: 'reg1', role: 'regulator', enterpriseId: null };
  const T0 = Date.parse('2026-12-01T00:00:00.000Z');
  let seq = 0;

  beforeAll(async () => {
    db = await createTestDatabase('hazard_notices_repo');
    ds = await createDataSource({ url: db.url, poolSize: 5 }).initialize();
    sut = new HazardNoticesRepository(ds);
    store = new HazardStore(ds, sut.onEvent);
    enterpriseId = (await new RegistryService(ds).createEnterprise({ name: '通知测试', uscc: testUscc(902), regionCode: '320505', riskCategories: ['metal_dust'] })).id;
    await ds.query(`INSERT INTO enterprise_contacts (enterprise_id, role, name, phone) VALUES ($1, 'principal', '负责人', '13800000001')`, [enterpriseId]);
    await ds.query(`INSERT INTO duty_officers (region_code, position, name, phone) VALUES ('320505', 0, '值班一', '13700000001'), ('320505', 1, '值班二', '13700000002')`);
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  const keys = async (hazardId: string, kind: string) =>
    ((await ds.query(`SELECT dedup_key FROM notification_outbox WHERE hazard_id = $1 AND kind = $2 ORDER BY dedup_key`, [hazardId, kind])) as { dedup_key: string }[]).map((r) =>
      r.dedup_key.replace(`hazard:${hazardId}:`, ''),
    );

  async function hazard(steps: [HazardAction, HazardActor, number][]): Promise<string> {
    const id = `00000000-0000-4000-b000-${String(++seq).padStart(12, '0')}`;
    const r = reportHazard({ id, enterpriseId, regionCode: '320505', source: 'self_check', article: 11, item: 3, categories: ['metal_dust'], description: '无泄爆' }, ent(), new Date(T0).toISOString());
    if (!(await store.create(r, client)).ok) throw new Error('create');
    for (const [action, actor, at] of steps) {
      const out = await store.transition(id, (cur) => applyHazardAction(cur, action, actor, new Date(at).toISOString()), client);
      if (!out.ok) throw new Error(out.reason);
    }
    return id;
  }

  it('confirmation notices roll back with a confirmation that fails later in its transaction', async () => {
    const id = await hazard([]);
    await expect(
      store.transition(id, (cur) => applyHazardAction(cur, { action: 'confirm' }, reg, new Date(T0 + 1).toISOString()), client, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await keys(id, 'hazard_confirmed')).toEqual([]);
    const ok = await store.transition(id, (cur) => applyHazardAction(cur, { action: 'confirm' }, reg, new Date(T0 + 2).toISOString()), client);
    expect(ok.ok).toBe(true);
    // industry department: no contact of that role on file, so the district's duty officers stand in
    expect(await keys(id, 'hazard_confirmed')).toEqual([
      'confirmed:actual_controller:sms',
      'confirmed:actual_controller:wechat',
      'confirmed:industry_department#320505.0:sms',
      'confirmed:industry_department#320505.0:wechat',
      'confirmed:industry_department#320505.1:sms',
      'confirmed:industry_department#320505.1:wechat',
      'confirmed:principal:sms',
      'confirmed:principal:wechat',
    ]);
  });

  it('the sweep: nothing while another instance holds the lock; then day n once for every duty officer of the district', async () => {
    const deadline = T0 + HOUR;
    const id = await hazard([
      [{ action: 'confirm' }, reg, T0 + 1],
      [{ action: 'plan', measures: 'm', responsible: 'r', deadline: new Date(deadline).toISOString() }, ent(), T0 + 2],
    ]);
    const other = new Client({ connectionString: db.url });
    await other.connect();
    try {
      await other.query('SELECT pg_advisory_lock($1)', [LOCK]);
      expect(await sut.sweepOverdue(() => deadline + DAY + 1, LOCK)).toBeNull();
      expect(await keys(id, 'hazard_overdue')).toEqual([]);
      await other.query('SELECT pg_advisory_unlock($1)', [LOCK]);
    } finally {
      await other.end();
    }
    expect(await sut.sweepOverdue(() => deadline + DAY - 1, LOCK)).toBe(0);
    expect(await sut.sweepOverdue(() => deadline + DAY + 1, LOCK)).toBeGreaterThanOrEqual(1);
    await sut.sweepOverdue(() => deadline + 2 * DAY - 1, LOCK); // same day again
    expect(await keys(id, 'hazard_overdue')).toEqual([
      'overdue:d1:district_duty_officer#320505.0:sms',
      'overdue:d1:district_duty_officer#320505.0:wechat',
      'overdue:d1:district_duty_officer#320505.1:sms',
      'overdue:d1:district_duty_officer#320505.1:wechat',
    ]);
    await sut.sweepOverdue(() => deadline + 2 * DAY, LOCK);
    expect((await keys(id, 'hazard_overdue')).filter((k) => k.startsWith('overdue:d2:'))).toHaveLength(4);
  });
});
