/**
 * HazardStore against real PostgreSQL (own database, migrations): a transition is one transaction
 * — hazard row, event row and audit row commit together or not at all — and concurrent actions on
 * one hazard are serialized by the row lock, so exactly one of two racing confirmations wins.
 */
import { applyHazardAction, type HazardActor, reportHazard } from '@sw/hazards';
import { createTestDatabase, testUscc, type TestDatabase } from '@sw/testing';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../data-source.factory';
import { RegistryService } from '../registry/registry.service';
import { HazardStore } from './hazard-store';

describe(HazardStore.name, () => {
  let db: TestDatabase;
  let ds: DataSource;
  let sut: HazardStore;
  let enterpriseId: string;
  const client = { ip: '127.0.0.1', userAgent: 'hazard-store-spec' };
  const ent = (): HazardActor => ({ id: '00000000-0000-4000-8000-0000000000e1', username: 'ent', role: 'enterprise', enterpriseId });
  const reg = (n: number): HazardActor => ({ id: `00000000-0000-4000-8000-00000000000${n}`, username: `reg${n}`, role: 'regulator', enterpriseId: null });
  let seq = 0;

  beforeAll(async () => {
    db = await createTestDatabase('hazard_store');
    ds = await createDataSource({ url: db.url, poolSize: 5 }).initialize();
    sut = new HazardStore(ds);
    enterpriseId = (await new RegistryService(ds).createEnterprise({ name: '隐患测试', uscc: testUscc(901), regionCode: '320505', riskCategories: ['metal_dust'] })).id;
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  async function reported(): Promise<string> {
    const id = `00000000-0000-4000-a000-${String(++seq).padStart(12, '0')}`;
    const r = reportHazard({ id, enterpriseId, regionCode: '320505', source: 'self_check', article: 11, item: 3, categories: ['metal_dust'], description: '无泄爆' }, ent(), new Date().toISOString());
    const out = await sut.create(r, client);
    if (!out.ok) throw new Error(out.reason);
    return id;
  }

  const counts = async (id: string) => {
    const [row] = (await ds.query(
      `SELECT (SELECT count(*) FROM hazard_events WHERE hazard_id = $1::uuid) AS events, (SELECT count(*) FROM audit_log WHERE target_id = $1::text) AS audits, (SELECT status FROM hazards WHERE id = $1::uuid) AS status`,
      [id],
    )) as [{ events: string; audits: string; status: string }];
    return { events: Number(row.events), audits: Number(row.audits), status: row.status };
  };

  it('create writes the hazard, its `reported` event and an audit row', async () => {
    const id = await reported();
    expect(await counts(id)).toEqual({ events: 1, audits: 1, status: 'reported' });
    expect(await sut.events(id)).toMatchObject([{ event: 'reported', from: null, to: 'reported', actor: { username: 'ent' } }]);
  });

  it('a failure inside the transaction rolls back the update, the event and the audit row', async () => {
    const id = await reported();
    await expect(
      sut.transition(id, (h) => applyHazardAction(h, { action: 'confirm' }, reg(1), new Date().toISOString()), client, async () => {
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(await counts(id)).toEqual({ events: 1, audits: 1, status: 'reported' });
    expect((await sut.get(id))?.status).toBe('reported');
  });

  it('a refused action writes nothing and answers its code', async () => {
    const id = await reported();
    const out = await sut.transition(id, (h) => applyHazardAction(h, { action: 'sign_off' }, reg(1), new Date().toISOString()), client);
    expect(out).toMatchObject({ ok: false, code: 'invalid_state' });
    expect(await counts(id)).toEqual({ events: 1, audits: 1, status: 'reported' });
    expect(await sut.transition('00000000-0000-4000-a000-ffffffffffff', (h) => applyHazardAction(h, { action: 'confirm' }, reg(1), ''), client)).toMatchObject({ ok: false, code: 'not_found' });
  });

  it('two regulators confirming at once: the row lock lets one win, the other sees `confirmed`', async () => {
    const id = await reported();
    const outs = await Promise.all([1, 2].map((n) => sut.transition(id, (h) => applyHazardAction(h, { action: 'confirm' }, reg(n), new Date().toISOString()), client)));
    expect(outs.map((o) => (o.ok ? 'ok' : o.code)).sort()).toEqual(['invalid_state', 'ok']);
    expect(await counts(id)).toEqual({ events: 2, audits: 2, status: 'confirmed' });
  });
});
