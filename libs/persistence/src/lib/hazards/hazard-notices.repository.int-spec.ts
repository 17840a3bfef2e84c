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
  it('行业管理部门: the rows of the hazard\'s categories, the district\'s before the city\'s, one person once; the duty officers only when none is on file', async () => {
    await ds.query(
      `INSERT INTO industry_departments (region_code, category, department, name, phone) VALUES
         ('320505', 'metal_dust', '区工业和信息化局', '王科长', '13500000001'),
         ('320505', 'wood_dust', '区工业和信息化局', '王科长', '13500000001'),
         ('3205', 'wood_dust', '市工业和信息化局', '市科长', '13500000009'),
         ('320505', 'steel', '区发展改革局', '赵科长', '13500000003')`,
    );
    const confirmed = async (categories: string[]) => {
      const id = `00000000-0000-4000-b000-${String(++seq).padStart(12, '0')}`;
      const r = reportHazard({ id, enterpriseId, regionCode: '320505', source: 'self_check', article: 11, item: 6, categories, description: '无锁气卸灰' }, ent(), new Date(T0).toISOString());
      if (!(await store.create(r, client)).ok) throw new Error('create');
      const out = await store.transition(id, (cur) => applyHazardAction(cur, { action: 'confirm' }, reg, new Date(T0 + HOUR).toISOString()), client);
      if (!out.ok) throw new Error(out.reason);
      return (await keys(id, 'hazard_confirmed')).filter((k) => k.includes('industry_department'));
    };
    // metal and wood dust both name 王科长 of the district: told once; the city and 赵科长 (steel) are not
    expect(await confirmed(['metal_dust', 'wood_dust'])).toEqual(['confirmed:industry_department#320505.metal_dust:sms', 'confirmed:industry_department#320505.metal_dust:wechat']);
    // wood dust without a district row: the city's
    await ds.query(`DELETE FROM industry_departments WHERE region_code = '320505' AND category = 'wood_dust'`);
    expect(await confirmed(['wood_dust'])).toEqual(['confirmed:industry_department#3205.wood_dust:sms', 'confirmed:industry_department#3205.wood_dust:wechat']);
    // a category nobody is on file for: the district's duty officers stand in
    await ds.query(`DELETE FROM industry_departments`);
    expect(await confirmed(['wood_dust'])).toEqual([
      'confirmed:industry_department#320505.0:sms',
      'confirmed:industry_department#320505.0:wechat',
      'confirmed:industry_department#320505.1:sms',
      'confirmed:industry_department#320505.1:wechat',
    ]);
  });
});
