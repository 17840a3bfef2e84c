/**
 * 检修 filing (issue 14) against real parts: PostgreSQL (own database), Debian's Mosquitto (own
 * port), a real influxd; the api in-process. Alarms are raised the way alerting does
 * (`applyConditionChange` committed by `AlarmStore.transition`). That an approved window ends at its
 * `maintenance_until` with no data arriving is alerting's timer, proven in apps/alerting's int-spec.
 */
import 'reflect-metadata';
import { TestServices, testUscc } from '@sw/testing';
import { type AlarmSubject, api, type ApiHarness, raiseAlarm, startApiHarness, userToken } from '../testing/api-test.factory';

describe('maintenance (检修) requests and windows', () => {
  let services: TestServices;
  let h: ApiHarness;
  let reg0505: string;
  let reg0506: string;
  let ent: string;
  let mandatory: AlarmSubject;
  let optionalPointId: string;

  const alarmOf = async (id: string) => (await api(h).get(`/alarms/${id}`)).body as { suppressed: boolean; events: { event: string }[] };
  const maintenanceUntil = async (pointId: string) => ((await h.ds.query(`SELECT maintenance_until FROM points WHERE id = $1`, [pointId])) as [{ maintenance_until: Date | null }])[0].maintenance_until;

  beforeAll(async () => {
    services = await TestServices.start('api_maintenance', { mosquitto: true, influx: true });
    h = await startApiHarness(services, { MAINTENANCE_REQUEST_MAX_MINUTES: '240' });
    const e = await api(h).post('/enterprises', { name: '检修测试铝业有限公司', uscc: testUscc(41), regionCode: '320505', riskCategories: ['aluminum_casting'] });
    const g = await api(h).post(`/enterprises/${e.body.id}/gateways`, { code: 'GW-M' });
    const p1 = await api(h).post(`/gateways/${g.body.id}/points`, { code: 'CO-01', type: 'co', name: '一氧化碳', mandatory: true });
    const p2 = await api(h).post(`/gateways/${g.body.id}/points`, { code: 'T-01', type: 'temperature', name: '环境温度', unit: '°C' });
    expect([p1.status, p2.status]).toEqual([201, 201]);
    mandatory = { enterpriseId: e.body.id, gatewayId: g.body.id, pointId: p1.body.id, regionCode: '320505' };
    optionalPointId = p2.body.id;
    reg0505 = await userToken(h, { username: 'reg0505', role: 'regulator', regionCode: '320505' });
    reg0506 = await userToken(h, { username: 'reg0506', role: 'regulator', regionCode: '320506' });
    ent = await userToken(h, { username: 'ent-m', role: 'enterprise', enterpriseId: e.body.id });
  });

  afterAll(() => services?.stop());

  it("an enterprise's request on a mandatory point suppresses nothing until a regulator approves it", async () => {
    const alarm = await raiseAlarm(h.store, mandatory, { tier: 'orange' });
    const filed = await api(h, ent).post(`/points/${mandatory.pointId}/maintenance`, { minutes: 120, reason: '更换一氧化碳探头' });
    expect(filed.status).toBe(202);
    expect(filed.body).toMatchObject({ status: 'pending', request: { kind: 'request', status: 'pending', mandatory: true, minutes: 120, requestedByName: 'ent-m', windowStart: null } });
    // pending: nothing suppressed, no window on the point
    expect(await maintenanceUntil(mandatory.pointId)).toBeNull();
    expect((await alarmOf(alarm.id)).suppressed).toBe(false);
    expect((await alarmOf(alarm.id)).events.map((ev) => ev.event)).not.toContain('suppressed');
    expect((await api(h, reg0505).get('/maintenance-requests?status=pending')).body.map((r: { id: string }) => r.id)).toEqual([filed.body.request.id]);

    // only a regulator of the region approves
    expect((await api(h, ent).post(`/maintenance-requests/${filed.body.request.id}/approve`, {})).status).toBe(403);
    expect((await api(h, reg0506).post(`/maintenance-requests/${filed.body.request.id}/approve`, {})).status).toBe(404);
    expect((await alarmOf(alarm.id)).suppressed).toBe(false);

    const approved = await api(h, reg0505).post(`/maintenance-requests/${filed.body.request.id}/approve`, { note: '同意，检修后复测' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ alarmsSuppressed: 1, request: { status: 'approved', decidedByName: 'reg0505', decisionNote: '同意，检修后复测' } });
    const { windowStart, windowEnd } = approved.body.request as { windowStart: string; windowEnd: string };
    expect(Date.parse(windowEnd) - Date.parse(windowStart)).toBe(120 * 60_000); // the minutes asked, from the approval
    expect((await maintenanceUntil(mandatory.pointId))?.toISOString()).toBe(windowEnd);
    expect((await alarmOf(alarm.id)).suppressed).toBe(true);
    expect((await api(h, reg0505).post(`/maintenance-requests/${filed.body.request.id}/approve`, {})).status).toBe(409);

    // the board's list: running windows on mandatory points
    const active = (await api(h, reg0505).get('/maintenance-requests?active=true')).body;
    expect(active).toMatchObject([{ id: filed.body.request.id, mandatory: true, pointCode: 'CO-01', enterpriseName: '检修测试铝业有限公司' }]);

    // ending early is always allowed and recorded
    expect((await api(h, ent).delete(`/points/${mandatory.pointId}/maintenance`)).status).toBe(200);
    expect((await alarmOf(alarm.id)).suppressed).toBe(false);
    expect((await api(h, reg0505).get('/maintenance-requests?active=true')).body).toEqual([]);
    expect((await api(h, reg0505).get(`/maintenance-requests/${filed.body.request.id}`)).body.endedEarlyAt).toEqual(expect.any(String));
  });

  it('a request is at most MAINTENANCE_REQUEST_MAX_MINUTES; rejected and withdrawn requests never suppress', async () => {
    expect((await api(h, ent).post(`/points/${mandatory.pointId}/maintenance`, { minutes: 241, reason: '长时间检修' })).status).toBe(400);
    const a = (await api(h, ent).post(`/points/${mandatory.pointId}/maintenance`, { minutes: 60, reason: '标定' })).body.request.id as string;
    const b = (await api(h, ent).post(`/points/${mandatory.pointId}/maintenance`, { minutes: 60, reason: '标定' })).body.request.id as string;
    expect((await api(h, ent).post(`/maintenance-requests/${a}/reject`, { note: '不同意' })).status).toBe(403);
    expect((await api(h, reg0505).post(`/maintenance-requests/${a}/reject`, {})).status).toBe(400); // a reason is required
    expect((await api(h, reg0505).post(`/maintenance-requests/${a}/reject`, { note: '生产期间不得停用' })).body).toMatchObject({ status: 'rejected', decisionNote: '生产期间不得停用' });
    expect((await api(h, ent).post(`/maintenance-requests/${b}/cancel`)).body).toMatchObject({ status: 'cancelled' });
    expect((await api(h, reg0505).post(`/maintenance-requests/${a}/approve`, {})).status).toBe(409);
    expect(await maintenanceUntil(mandatory.pointId)).toBeNull();
  });

  it('a regulator suppresses a mandatory point directly (audited); an enterprise its optional point, as before', async () => {
    const direct = await api(h, reg0505).post(`/points/${mandatory.pointId}/maintenance`, { minutes: 30, reason: '执法检查停用' });
    expect(direct.status).toBe(200);
    expect(direct.body).toMatchObject({ status: 'approved', request: { kind: 'direct', status: 'approved', mandatory: true, requestedByName: 'reg0505', decidedByName: 'reg0505' } });
    expect(await maintenanceUntil(mandatory.pointId)).not.toBeNull();
    const own = await api(h, ent).post(`/points/${optionalPointId}/maintenance`, { minutes: 600, reason: '停产检修' });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ status: 'approved', request: { kind: 'direct', mandatory: false } });
    const audit: { action: string; outcome: string; username: string }[] = await h.ds.query(
      `SELECT action, outcome, username FROM audit_log WHERE action LIKE 'point.maint%' OR action LIKE 'maintenance.%' ORDER BY id`,
    );
    expect(audit).toEqual(expect.arrayContaining([{ action: 'point.maintenance_start', outcome: 'ok', username: 'reg0505' }, { action: 'maintenance.approve', outcome: 'ok', username: 'reg0505' }, { action: 'maintenance.reject', outcome: 'ok', username: 'reg0505' }]));
  });
});
