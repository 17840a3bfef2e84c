/**
 * Stored rules over REST (docs/contracts.md §4) against real parts: PostgreSQL (own database), Debian's
 * Mosquitto (anonymous, own port), a real influxd; the api in-process. Definitions are checked by
 * `validateRule` of libs/rules; scope decides who reads and who writes.
 */
import 'reflect-metadata';
import { TestServices, testUscc } from '@sw/testing';
import { type AlarmSubject, api, type ApiHarness, seedSubject, seedTwoDistricts, startApiHarness } from '../testing/api-test.factory';

const RATE = { kind: 'rate', direction: 'drop', percent: 30, withinS: 10, tier: 'red' };

describe('rules REST', () => {
  let services: TestServices;
  let h: ApiHarness;
  let reg0505: string;
  let reg0506: string;
  let entA: string;
  let a: AlarmSubject;
  let c: AlarmSubject;
  const ids = { pointRule: '', region32: '', region0505: '', region0506: '' };

  const subject = (n: number, region: string, code: string) =>
    seedSubject(h, { n, uscc: testUscc(n), regionCode: region, gatewayCode: code, riskCategories: ['aluminum_casting'], point: { code: 'FLOW-1', type: 'water_flow', name: '结晶器冷却水' } });

  beforeAll(async () => {
    services = await TestServices.start('api_rules', { mosquitto: true, influx: true });
    h = await startApiHarness(services);
    ({ a, c, reg0505, reg0506, entA } = await seedTwoDistricts(h, subject));
  });

  afterAll(() => services?.stop());

  it('POST /rules: point, enterprise and region scopes; id and pointId come from the row', async () => {
    const point = await api(h, reg0505).post('/rules', { name: '冷却水突降', scope: { type: 'point', pointId: a.pointId }, definition: { ...RATE, id: 'ignored', pointId: 'ignored' } });
    expect(point.status).toBe(201);
    expect(point.body).toMatchObject({ id: expect.any(String), name: '冷却水突降', enabled: true, scope: { type: 'point', pointId: a.pointId }, definition: RATE });
    expect(point.body.definition.id).toBeUndefined();
    ids.pointRule = point.body.id;
    const ent = await api(h, reg0505).post('/rules', { name: '企业规则', scope: { type: 'enterprise', enterpriseId: a.enterpriseId, pointType: 'water_flow' }, definition: RATE, enabled: false });
    expect([ent.status, ent.body.enabled]).toEqual([201, false]);
    const r32 = await api(h).post('/rules', { name: '省级', scope: { type: 'region', regionCode: '320000', pointType: 'water_flow' }, definition: RATE });
    expect([r32.status, r32.body.scope.regionCode]).toEqual([201, '32']);
    ids.region32 = r32.body.id;
    ids.region0505 = (await api(h, reg0505).post('/rules', { name: '区级', scope: { type: 'region', regionCode: '320505', pointType: 'water_flow' }, definition: RATE })).body.id;
    ids.region0506 = (await api(h, reg0506).post('/rules', { name: '邻区', scope: { type: 'region', regionCode: '320506', pointType: 'water_flow' }, definition: RATE })).body.id;
    const combined = await api(h, reg0505).post('/rules', {
      name: '组合',
      scope: { type: 'point', pointId: a.pointId },
      definition: { kind: 'combined', op: 'and', tier: 'red', conditions: [{ value: { point: a.pointId }, op: '<=', setpoint: 10 }] },
    });
    expect(combined.status).toBe(201);
  });

  it('POST /rules: 400 for invalid definitions and foreign points, 403 outside the region or for an enterprise user', async () => {
    const cases: [object, number][] = [
      [{ name: 'x', scope: { type: 'point', pointId: a.pointId }, definition: { kind: 'nope' } }, 400],
      [{ name: 'x', scope: { type: 'point', pointId: a.pointId }, definition: { kind: 'rate', direction: 'drop', tier: 'red' } }, 400],
      [{ name: 'x', scope: { type: 'enterprise', enterpriseId: a.enterpriseId, pointType: 'water_flow' }, definition: { kind: 'combined', op: 'or', tier: 'red', conditions: [{ value: { point: a.pointId }, op: '>=', setpoint: 1 }] } }, 400],
      [{ name: 'x', scope: { type: 'enterprise', enterpriseId: a.enterpriseId, pointType: 'unobtainium' }, definition: RATE }, 400],
      [{ name: 'x', scope: { type: 'point', pointId: c.pointId }, definition: RATE }, 400], // not in 320505's scope
      [{ name: 'x', scope: { type: 'point', pointId: a.pointId }, definition: { ...RATE, gate: { pointId: c.pointId } } }, 400],
      [{ name: 'x', scope: { type: 'point', pointId: a.pointId }, definition: { ...RATE, gate: { pointId: 'CASTING-1' } } }, 400], // a code, not an id
      [{ name: 'x', scope: { type: 'region', regionCode: '3205', pointType: 'water_flow' }, definition: RATE }, 403],
      [{ name: 'x', scope: { type: 'region', regionCode: '3206', pointType: 'water_flow' }, definition: RATE }, 403],
      [{ name: 'x', scope: { type: 'galaxy' }, definition: RATE }, 400],
    ];
    for (const [body, status] of cases) expect([body, (await api(h, reg0505).post('/rules', body)).status]).toEqual([body, status]);
    const bad = await api(h, reg0505).post('/rules', cases[1]?.[0] as object);
    expect((bad.body.message as string[]).some((m) => m.startsWith('definition'))).toBe(true);
    expect((await api(h, entA).post('/rules', { name: 'x', scope: { type: 'point', pointId: a.pointId }, definition: RATE })).status).toBe(403);
  });

  it('GET /rules: what reaches into the scope; GET /rules/{id}: 404 outside it', async () => {
    const names = async (token: string) => ((await api(h, token).get('/rules')).body.items as { name: string }[]).map((r) => r.name).sort();
    expect(await names(reg0505)).toEqual(['企业规则', '冷却水突降', '区级', '省级', '组合'].sort());
    expect(await names(reg0506)).toEqual(['省级', '邻区'].sort());
    expect(await names(entA)).toEqual(['企业规则', '冷却水突降', '区级', '省级', '组合'].sort());
    expect((await api(h).get('/rules?pageSize=2')).body).toMatchObject({ total: 6, pageSize: 2, items: [{}, {}] });
    expect((await api(h, reg0506).get(`/rules/${ids.pointRule}`)).status).toBe(404);
    expect((await api(h, entA).get(`/rules/${ids.pointRule}`)).status).toBe(200);
    expect((await api(h, entA).get(`/rules/${ids.region0506}`)).status).toBe(404);
  });

  it('PUT and DELETE /rules/{id}: inside the region only; audited', async () => {
    const replaced = await api(h, reg0505).put(`/rules/${ids.pointRule}`, { name: '冷却水突降 25%', scope: { type: 'point', pointId: a.pointId }, definition: { ...RATE, percent: 25 } });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ name: '冷却水突降 25%', definition: { percent: 25 } });
    expect(replaced.body.updatedAt > replaced.body.createdAt).toBe(true);
    expect((await api(h, reg0505).put(`/rules/${ids.region32}`, { name: 'mine now', scope: { type: 'region', regionCode: '320505', pointType: 'water_flow' }, definition: RATE })).status).toBe(403);
    expect((await api(h, reg0505).delete(`/rules/${ids.region32}`)).status).toBe(403);
    expect((await api(h, reg0506).delete(`/rules/${ids.pointRule}`)).status).toBe(404);
    expect((await api(h, entA).delete(`/rules/${ids.pointRule}`)).status).toBe(403);
    expect((await api(h, reg0505).put(`/rules/${ids.pointRule}`, { name: 'x', scope: { type: 'point', pointId: a.pointId }, definition: { kind: 'rate' } })).status).toBe(400);
    expect((await api(h, reg0505).delete(`/rules/${ids.region0505}`)).status).toBe(204);
    expect((await api(h, reg0505).get(`/rules/${ids.region0505}`)).status).toBe(404);
    const rows: { action: string; outcome: string }[] = await h.ds.query(`SELECT action, outcome FROM audit_log WHERE target_type = 'rule' ORDER BY id`);
    const outcomes = (action: string) => rows.filter((r) => r.action === action).map((r) => r.outcome);
    expect(outcomes('rule.create').filter((o) => o === 'ok')).toHaveLength(6);
    expect(outcomes('rule.create')).toEqual(expect.arrayContaining(['rejected', 'denied']));
    expect(outcomes('rule.replace')).toEqual(['ok', 'denied', 'rejected']);
    expect(outcomes('rule.delete')).toEqual(['denied', 'denied', 'denied', 'ok']);
  });
});
