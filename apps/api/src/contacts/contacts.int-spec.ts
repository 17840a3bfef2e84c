/**
 * Notification contacts REST (scoped, validated, audited) and the notification timeline on
 * `GET /alarms/{id}`, against real PostgreSQL, Mosquitto and influxd; the api in-process.
 */
import 'reflect-metadata';
import { notified, type AlarmSnapshot } from '@sw/rules';
import request from 'supertest';
import { TestServices, testUscc } from '@sw/testing';
import { api, type ApiHarness, raiseAlarm, startApiHarness, userToken } from '../testing/api-test.factory';

describe('contacts REST and the notification timeline', () => {
  let services: TestServices;
  let h: ApiHarness;
  let entA: { id: string; pointId: string; gatewayId: string };
  let entB: string;
  let reg0505: string;
  let userA: string;

  const officer = { name: '张安全', phone: '13900001111', wecomRobotToken: 'a1b2c3d4-robot', wechatOpenid: 'oAbc_123456' };

  beforeAll(async () => {
    services = await TestServices.start('api_contacts', { mosquitto: true, influx: true });
    h = await startApiHarness(services);
    const a = await api(h).post('/enterprises', { name: '企业甲', uscc: testUscc(41), regionCode: '320505', riskCategories: ['steel'] });
    const g = await api(h).post(`/enterprises/${a.body.id}/gateways`, { code: 'GW-CONTACT' });
    const p = await api(h).post(`/gateways/${g.body.id}/points`, { code: 'IL-01', type: 'interlock_bypassed', name: '联锁旁路' });
    entA = { id: a.body.id, gatewayId: g.body.id, pointId: p.body.id };
    entB = (await api(h).post('/enterprises', { name: '企业乙', uscc: testUscc(42), regionCode: '320506', riskCategories: ['steel'] })).body.id;
    reg0505 = await userToken(h, { username: 'reg0505c', role: 'regulator', regionCode: '320505' });
    userA = await userToken(h, { username: 'ent-a-c', role: 'enterprise', enterpriseId: entA.id });
  });

  afterAll(() => services?.stop());

  it('GET/PUT /enterprises/{id}/contacts: replaced, validated, scoped, audited', async () => {
    expect((await api(h).get(`/enterprises/${entA.id}/contacts`)).body).toEqual({ enterpriseId: entA.id, safetyOfficer: null, principal: null });
    const put = await api(h, reg0505).put(`/enterprises/${entA.id}/contacts`, { safetyOfficer: officer, principal: { name: '李负责', phone: '+8613800002222' } });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ enterpriseId: entA.id, safetyOfficer: officer, principal: { name: '李负责', phone: '+8613800002222', wecomRobotToken: null, wechatOpenid: null } });
    expect((await api(h, userA).get(`/enterprises/${entA.id}/contacts`)).body.safetyOfficer).toEqual(officer);
    const rows = (await h.ds.query(`SELECT role, phone, wecom_key FROM enterprise_contacts WHERE enterprise_id = $1 ORDER BY role`, [entA.id])) as unknown[];
    expect(rows).toEqual([
      { role: 'principal', phone: '+8613800002222', wecom_key: null },
      { role: 'safety_officer', phone: '13900001111', wecom_key: 'a1b2c3d4-robot' },
    ]);

    for (const bad of [{ safetyOfficer: { name: 'x', phone: '12345' }, principal: null }, { safetyOfficer: { name: '无联系方式' }, principal: null }, { safetyOfficer: null }, { safetyOfficer: null, principal: null, extra: 1 }]) {
      expect((await api(h).put(`/enterprises/${entA.id}/contacts`, bad)).status).toBe(400);
    }
    expect((await api(h, reg0505).get(`/enterprises/${entB}/contacts`)).status).toBe(404); // out of scope: as if missing
    expect((await api(h, reg0505).put(`/enterprises/${entB}/contacts`, { safetyOfficer: null, principal: null })).status).toBe(404);

    const audit = (await h.ds.query(`SELECT * FROM audit_log WHERE action = 'enterprise.contacts.replace' ORDER BY at`)) as Record<string, unknown>[];
    expect(audit.map((a) => a['outcome'])).toEqual(['ok', 'rejected', 'rejected', 'rejected', 'rejected', 'denied']);
  });

  it('GET/PUT /regions/{code}/duty-officers: district and city, regulators in their region only', async () => {
    const put = await api(h).put('/regions/320505/duty-officers', { officers: [{ name: '区值班一', phone: '13700000001' }, { name: '区值班二', wechatOpenid: 'oDuty_000002' }] });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ regionCode: '320505', level: 'district', officers: [{ name: '区值班一' }, { name: '区值班二', wechatOpenid: 'oDuty_000002' }] });
    expect((await api(h).put('/regions/320500/duty-officers', { officers: [{ name: '市值班', phone: '13600000001' }] })).body).toMatchObject({ regionCode: '3205', level: 'city' });
    expect((await api(h, reg0505).get('/regions/320505/duty-officers')).body.officers).toHaveLength(2);
    expect((await api(h, reg0505).get('/regions/3205/duty-officers')).status).toBe(403);
    expect((await api(h, reg0505).put('/regions/320506/duty-officers', { officers: [] })).status).toBe(403);
    expect((await api(h, userA).get('/regions/320505/duty-officers')).status).toBe(403);
    expect((await api(h).get('/regions/32/duty-officers')).status).toBe(400);
    expect((await api(h).put('/regions/320505/duty-officers', { officers: [{ name: '' }] })).status).toBe(400);
  });

  it('GET/PUT /regions/{code}/industry-departments: one per risk category, validated, regulators in their region only, audited', async () => {
    expect((await api(h).get('/regions/320505/industry-departments')).body).toEqual({ regionCode: '320505', level: 'district', departments: [] });
    const dept = { category: 'metal_dust', department: '区工业和信息化局', name: '王科长', phone: '13500000001', wechatOpenid: 'oDept_000001' };
    const put = await api(h, reg0505).put('/regions/320505/industry-departments', { departments: [dept, { category: 'steel', department: '区发展改革局', name: '赵科长', wecomRobotToken: 'dept-robot-1' }] });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({
      regionCode: '320505',
      level: 'district',
      departments: [
        { ...dept, wecomRobotToken: null },
        { category: 'steel', department: '区发展改革局', name: '赵科长', phone: null, wecomRobotToken: 'dept-robot-1', wechatOpenid: null },
      ],
    });
    expect((await h.ds.query(`SELECT region_code, category, department, phone FROM industry_departments ORDER BY category`)) as unknown[]).toEqual([
      { region_code: '320505', category: 'metal_dust', department: '区工业和信息化局', phone: '13500000001' },
      { region_code: '320505', category: 'steel', department: '区发展改革局', phone: null },
    ]);
    expect((await api(h).put('/regions/320500/industry-departments', { departments: [{ ...dept, category: 'wood_dust' }] })).body).toMatchObject({ regionCode: '3205', level: 'city' });

    for (const bad of [
      { departments: [{ ...dept, phone: '12345' }] }, // not a mobile
      { departments: [{ category: 'steel', department: '局', name: '无联系方式' }] }, // no way to reach
      { departments: [dept, { ...dept, name: '重复' }] }, // two for one category
      { departments: [{ ...dept, category: 'chemicals' }] }, // not a platform category
      { departments: [{ ...dept, department: '' }] },
      { departments: [dept], extra: 1 },
    ]) {
      expect((await api(h, reg0505).put('/regions/320505/industry-departments', bad)).status).toBe(400);
    }
    expect((await api(h, reg0505).put('/regions/320506/industry-departments', { departments: [] })).status).toBe(403);
    expect((await api(h, reg0505).get('/regions/3205/industry-departments')).status).toBe(403);
    expect((await api(h, userA).get('/regions/320505/industry-departments')).status).toBe(403);
    expect((await api(h).get('/regions/32/industry-departments')).status).toBe(400);
    expect((await api(h).get('/regions/320505/industry-departments')).body.departments).toHaveLength(2); // the refused writes changed nothing

    const audit = (await h.ds.query(`SELECT outcome FROM audit_log WHERE action = 'region.industry_departments.replace' ORDER BY at`)) as { outcome: string }[];
    expect(audit.map((a) => a.outcome)).toEqual(['ok', 'ok', 'rejected', 'rejected', 'rejected', 'rejected', 'rejected', 'rejected', 'denied']);
  });

  it('the contacts routes are in the OpenAPI document', async () => {
    const doc = await request(h.baseUrl).get('/docs-json');
    const paths = Object.keys((doc.body as { paths?: Record<string, unknown> }).paths ?? {});
    expect(paths).toEqual(expect.arrayContaining(['/api/v1/enterprises/{id}/contacts', '/api/v1/regions/{code}/duty-officers', '/api/v1/regions/{code}/industry-departments']));
  });

  it('GET /alarms/{id} shows the notification timeline (notified events with channel, recipient, outcome, reason)', async () => {
    const alarm = await raiseAlarm(h.store, { enterpriseId: entA.id, gatewayId: entA.gatewayId, pointId: entA.pointId, regionCode: '320505' }, { tier: 'red' });
    for (const [channel, outcome, reason] of [
      ['aliyun-sms', 'failed', 'aliyun ServiceUnavailable; retry in 2 s'],
      ['tencent-sms', 'sent', 'key x'],
      ['aliyun-sms', 'delivered', 'receipt'],
    ] as const) {
      const r = await h.store.transition({ id: alarm.id }, '320505', (a) => notified(a as AlarmSnapshot, { at: Date.now(), channel, recipient: 'safety_officer 张安全', outcome, reason }));
      expect(r.ok).toBe(true);
    }
    const res = await api(h, userA).get(`/alarms/${alarm.id}`);
    expect(res.status).toBe(200);
    const timeline = (res.body.events as { event: string; data: Record<string, unknown> }[]).filter((e) => e.event === 'notified').map((e) => e.data);
    expect(timeline).toEqual([
      { channel: 'aliyun-sms', recipient: 'safety_officer 张安全', outcome: 'failed', reason: 'aliyun ServiceUnavailable; retry in 2 s' },
      { channel: 'tencent-sms', recipient: 'safety_officer 张安全', outcome: 'sent', reason: 'key x' },
      { channel: 'aliyun-sms', recipient: 'safety_officer 张安全', outcome: 'delivered', reason: 'receipt' },
    ]);
  });
});
