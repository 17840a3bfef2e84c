/**
 * The mandatory set (必选) over REST against real parts: PostgreSQL (own database), Debian's
 * Mosquitto (own port) as the broker, a real influxd; the api in-process. Issue 14: registering an
 * enterprise offers its categories' set; the enterprise and the ledger list show 必选 n/m 已接入;
 * a point that depends on a context signal its gateway lacks says so (未接入工况信号).
 */
import 'reflect-metadata';
import { TestServices, testUscc } from '@sw/testing';
import pg from 'pg';
import { api, type ApiHarness, startApiHarness } from '../testing/api-test.factory';

describe('mandatory set REST', () => {
  let services: TestServices;
  let h: ApiHarness;

  beforeAll(async () => {
    services = await TestServices.start('api_template_points', { mosquitto: true, influx: true });
    h = await startApiHarness(services);
  });

  afterAll(() => services?.stop());

  it('creates the aluminium casting set on a gateway once, counts 必选 registered and connected, and flags points without a context signal', async () => {
    const ent = await api(h).post('/enterprises', { name: '铝加工甲', uscc: testUscc(801), regionCode: '320505', riskCategories: ['aluminum_casting'] });
    const gw = await api(h).post(`/enterprises/${ent.body.id}/gateways`, { code: 'AL-GW', protocol: 'mqtt' });
    expect((await api(h).get(`/enterprises/${ent.body.id}`)).body.mandatoryConnected).toEqual({ registered: 0, connected: 0, required: 6 });

    const made = await api(h).post(`/enterprises/${ent.body.id}/template-points`, { gatewayId: gw.body.id });
    expect(made.status).toBe(201);
    expect(made.body.created.map((p: { code: string }) => p.code).sort()).toEqual(['CAST', 'CAST-IL', 'CW-F', 'CW-P', 'ML-MOULD', 'ML-OUT']);
    expect(made.body.created.every((p: { mandatory: boolean }) => p.mandatory)).toBe(true);
    expect(made.body.created.find((p: { code: string }) => p.code === 'CW-P')).toMatchObject({ type: 'water_pressure', unit: 'MPa', expectedIntervalS: 5, missingContext: null });
    expect(made.body.mandatoryConnected).toEqual({ registered: 6, connected: 0, required: 6 });
    const again = await api(h).post(`/enterprises/${ent.body.id}/template-points`, { gatewayId: gw.body.id });
    expect(again.body).toMatchObject({ created: [], mandatoryConnected: { registered: 6 } });
    expect(again.body.skipped).toHaveLength(6);

    // two points have reported: 必选 2/6 已接入, on the enterprise and in the ledger list
    const client = new pg.Client({ connectionString: services.db.url });
    await client.connect();
    await client.query(`UPDATE points SET last_seen_at = now() WHERE gateway_id = $1 AND code IN ('CW-P', 'CW-F')`, [gw.body.id]);
    await client.end();
    expect((await api(h).get(`/enterprises/${ent.body.id}`)).body.mandatoryConnected).toEqual({ registered: 6, connected: 2, required: 6 });
    const list = await api(h).get('/enterprises');
    expect(list.body.items.find((e: { id: string }) => e.id === ent.body.id).mandatoryConnected).toEqual({ registered: 6, connected: 2, required: 6 });

    // a second gateway with cooling water but no casting_active: its rules run ungated (未接入工况信号)
    const bare = await api(h).post(`/enterprises/${ent.body.id}/gateways`, { code: 'AL-GW2', protocol: 'mqtt' });
    const flow = await api(h).post(`/gateways/${bare.body.id}/points`, { code: 'F1', type: 'water_flow', name: '冷却水流量' });
    expect(flow.body.missingContext).toBe('casting_active');
    expect((await api(h).get(`/points/${flow.body.id}`)).body.missingContext).toBe('casting_active');
    const co = (await api(h).get(`/gateways/${bare.body.id}/points`)).body.items[0];
    expect(co).toMatchObject({ code: 'F1', missingContext: 'casting_active' });
  });

  it('refuses a gateway of another enterprise and lists the sets with their sources', async () => {
    const a = await api(h).post('/enterprises', { name: '粉尘乙', uscc: testUscc(802), regionCode: '320505', riskCategories: ['metal_dust'], dustWorkers: 40 });
    const b = await api(h).post('/enterprises', { name: '木业丙', uscc: testUscc(803), regionCode: '320505', riskCategories: ['wood_dust'], dustWorkers: 40 });
    const gwB = await api(h).post(`/enterprises/${b.body.id}/gateways`, { code: 'WOOD-GW', protocol: 'mqtt' });
    expect((await api(h).post(`/enterprises/${a.body.id}/template-points`, { gatewayId: gwB.body.id })).status).toBe(404);
    const sets = await api(h).get('/point-templates');
    expect(sets.body.templates.map((t: { category: string }) => t.category)).toEqual(expect.arrayContaining(['steel', 'aluminum_casting', 'metal_dust', 'wood_dust']));
    expect(sets.body.templates.every((t: { publishedList: boolean }) => t.publishedList === false)).toBe(true);
    expect((await api(h).get('/point-templates?categories=wood_dust')).body.points).toHaveLength(6);
  });
});
