/**
 * GET /api/v1/uplink/status against real PostgreSQL (own database), Debian's Mosquitto and a real
 * influxd; the api in-process. The outbox rows are written here as apps/uplink writes them
 * (its own spec, apps/uplink/src/uplink.int-spec.ts, runs the real uplink).
 */
import 'reflect-metadata';
import { TestServices, testUscc } from '@sw/testing';
import { api, type ApiHarness, startApiHarness, userToken } from '../testing/api-test.factory';

describe('GET /api/v1/uplink/status', () => {
  let services: TestServices;
  let h: ApiHarness;

  beforeAll(async () => {
    services = await TestServices.start('api_uplink', { mosquitto: true, influx: true });
    h = await startApiHarness(services);
  });

  afterAll(() => services?.stop());

  it('says off before any uplink ran, then backlog, lag and the last failure; regulators and admins only', async () => {
    expect((await api(h).get('/uplink/status')).body).toMatchObject({ enabled: false, backlog: 0, lagSeconds: 0, lastSuccessAt: null });
    const ent = await api(h).post('/enterprises', { name: '上报企业', uscc: testUscc(1), regionCode: '320505', riskCategories: ['steel'] });
    expect(ent.status).toBe(201);
    await h.ds.query(`INSERT INTO uplink_status (id, adapter, endpoint, last_failure_at, last_error, failures) VALUES (1, 'generic-json', 'https://province.test/v1/batches', now(), '503 UNAVAILABLE', 4)`);
    await h.ds.query(
      `INSERT INTO uplink_outbox (enterprise_id, seq, type, message_id, source_at, payload, delivered_at) VALUES
         ($1, 1, 'enterprise', 'enterprise:1', now() - interval '2 hours', '{}', now() - interval '90 minutes'),
         ($1, 2, 'readings', 'readings:1', now() - interval '10 minutes', '{}', NULL),
         ($1, 3, 'alarm_event', 'alarm_event:1', now() - interval '5 minutes', '{}', NULL)`,
      [ent.body.id],
    );
    const res = await api(h).get('/uplink/status');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      enabled: true,
      adapter: 'generic-json',
      backlog: 2,
      backlogByType: { enterprise: 0, readings: 1, alarm_event: 1, hazard_event: 0 },
      enterprisesBehind: 1,
      lastError: '503 UNAVAILABLE',
      failures: 4,
      deliveredLastHour: 0,
    });
    expect(res.body.lagSeconds).toBeGreaterThanOrEqual(599);
    expect(res.body.lagSeconds).toBeLessThan(700);
    const regulator = await userToken(h, { username: 'reg-uplink', role: 'regulator', regionCode: '320505' });
    expect((await api(h, regulator).get('/uplink/status')).status).toBe(200);
    const enterpriseUser = await userToken(h, { username: 'ent-uplink', role: 'enterprise', enterpriseId: ent.body.id });
    expect((await api(h, enterpriseUser).get('/uplink/status')).status).toBe(403);
    expect((await api(h, null).get('/uplink/status')).status).toBe(401);
  });
});
