/**
 * Enterprises, gateways and points over REST against real parts: PostgreSQL (own database),
 * Debian's Mosquitto (anonymous, own port) as the broker, a real influxd; the api in-process.
 * docs/contracts.md §4: every CRUD call, validation 400s, and 404 for out-of-scope ids.
 */
import 'reflect-metadata';
import { verifySecret } from '@sw/persistence';
import { TestServices, testUscc } from '@sw/testing';
import { api, type ApiHarness, startApiHarness, userToken } from '../testing/api-test.factory';

const CO_THRESHOLDS = { high: { yellow: 24, orange: 160 }, deadband: 0.5 };

describe('registry REST', () => {
  let services: TestServices;
  let h: ApiHarness;
  let reg0505: string; // regulator of district 320505
  let reg0506: string;
  let entA: string; // user of enterprise A (320505)
  const ids = { a: '', b: '', c: '', gwA: '', pointA: '' };
  const secrets = { first: '', rotated: '' };

  beforeAll(async () => {
    services = await TestServices.start('api_registry', { mosquitto: true, influx: true });
    h = await startApiHarness(services);
    reg0505 = await userToken(h, { username: 'reg0505', role: 'regulator', regionCode: '320505' });
    reg0506 = await userToken(h, { username: 'reg0506', role: 'regulator', regionCode: '320506' });
  });

  afterAll(() => services?.stop());

  it('POST /enterprises: 201 for admin and for a regulator inside its region, 403 outside it', async () => {
    const a = await api(h, reg0505).post('/enterprises', { name: '甲钢铁', uscc: testUscc(1), regionCode: '320505', riskCategories: ['steel'], dustWorkers: 12 });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ id: expect.any(String), name: '甲钢铁', regionCode: '320505', status: 'operating', riskCategories: ['steel'], dustWorkers: 12 });
    ids.a = a.body.id;
    const b = await api(h).post('/enterprises', { name: '乙铝业', uscc: testUscc(2), regionCode: '320505', riskCategories: ['aluminum_casting'] });
    const c = await api(h, reg0506).post('/enterprises', { name: '丙粉尘', uscc: testUscc(3), regionCode: '320506', riskCategories: ['metal_dust'], dustWorkers: 40 });
    expect([b.status, c.status]).toEqual([201, 201]);
    ids.b = b.body.id;
    ids.c = c.body.id;
    const outside = await api(h, reg0505).post('/enterprises', { name: '丁', uscc: testUscc(4), regionCode: '320506', riskCategories: ['steel'] });
    expect(outside.status).toBe(403);
    entA = await userToken(h, { username: 'ent-a', role: 'enterprise', enterpriseId: ids.a });
    expect((await api(h, entA).post('/enterprises', { name: '戊', uscc: testUscc(5), regionCode: '320505', riskCategories: ['steel'] })).status).toBe(403);
  });

  it('POST /enterprises: 400 with every reason; 409 for a duplicate uscc', async () => {
    const bad = await api(h).post('/enterprises', { name: '', uscc: '91110108551385082A', regionCode: '3205', riskCategories: ['coal'], status: 'gone' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    for (const field of ['name', 'uscc', 'regionCode', 'riskCategories', 'status']) {
      expect((bad.body.message as string[]).some((m) => m.startsWith(field))).toBe(true);
    }
    expect((await api(h).post('/enterprises', 'not json' as unknown as object).set('Content-Type', 'application/json')).status).toBe(400);
    const dup = await api(h).post('/enterprises', { name: '重复', uscc: testUscc(1), regionCode: '320505', riskCategories: ['steel'] });
    expect(dup.status).toBe(409);
  });

  it('GET /enterprises: scoped, paged, filtered', async () => {
    const all = await api(h).get('/enterprises?pageSize=2');
    expect(all.body).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(all.body.items).toHaveLength(2);
    const mine = await api(h, reg0505).get('/enterprises');
    expect(mine.body.items.map((e: { id: string }) => e.id).sort()).toEqual([ids.a, ids.b].sort());
    const own = await api(h, entA).get('/enterprises');
    expect(own.body).toMatchObject({ total: 1, items: [{ id: ids.a }] });
    expect((await api(h).get('/enterprises?category=metal_dust')).body.total).toBe(1);
    expect((await api(h).get('/enterprises?regionCode=320600')).body.total).toBe(0);
    expect((await api(h).get('/enterprises?pageSize=501')).status).toBe(400);
    expect((await api(h).get('/enterprises?page=0')).status).toBe(400);
  });

  it('GET /enterprises/{id}: 404 out of scope (enterprise user vs another enterprise; regulator 320505 vs 320506)', async () => {
    expect((await api(h, entA).get(`/enterprises/${ids.a}`)).status).toBe(200);
    const foreign = await api(h, entA).get(`/enterprises/${ids.b}`);
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual({ statusCode: 404, error: 'Not Found', message: `enterprise ${ids.b} not found` });
    expect((await api(h, reg0505).get(`/enterprises/${ids.c}`)).status).toBe(404);
    expect((await api(h, reg0506).get(`/enterprises/${ids.c}`)).status).toBe(200);
    expect((await api(h).get('/enterprises/not-a-uuid')).status).toBe(400);
  });

  it('PATCH /enterprises/{id}: fields, status history with effectiveDate, scope and role limits', async () => {
    const res = await api(h, reg0505).patch(`/enterprises/${ids.b}`, { status: 'closed', effectiveDate: '2025-06-30', employees: 80 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'closed', employees: 80 });
    const one = await api(h).get(`/enterprises/${ids.b}`);
    expect(one.body.statusHistory.map((s: { status: string; effectiveDate: string }) => [s.status, s.effectiveDate])).toEqual([
      ['closed', '2025-06-30'],
      ['operating', expect.any(String)],
    ]);
    expect((await api(h, reg0505).patch(`/enterprises/${ids.c}`, { name: 'x' })).status).toBe(404);
    expect((await api(h, reg0505).patch(`/enterprises/${ids.a}`, { regionCode: '320506' })).status).toBe(403);
    expect((await api(h, entA).patch(`/enterprises/${ids.a}`, { employees: 100 })).status).toBe(200);
    expect((await api(h, entA).patch(`/enterprises/${ids.a}`, { status: 'closed' })).status).toBe(403);
    expect((await api(h).patch(`/enterprises/${ids.a}`, { effectiveDate: '2025-01-01' })).status).toBe(400); // without status
    expect((await api(h).patch(`/enterprises/${ids.a}`, { status: 'suspended', effectiveDate: '2999-01-01' })).status).toBe(400);
    expect((await api(h).patch(`/enterprises/${ids.a}`, { status: 'suspended', effectiveDate: '2025-02-30' })).status).toBe(400);
    expect((await api(h).patch(`/enterprises/${ids.a}`, { uscc: testUscc(3) })).status).toBe(409);
  });

  it('gateways: create (mqtt password once), list, get, rotate, patch, delete; 404 out of scope', async () => {
    const created = await api(h, reg0505).post(`/enterprises/${ids.a}/gateways`, { code: 'GW-A1', protocol: 'mqtt' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ code: 'GW-A1', protocol: 'mqtt', enterpriseId: ids.a, mqtt: { username: 'GW-A1', password: expect.any(String) } });
    expect(created.body.secretHash).toBeUndefined();
    ids.gwA = created.body.id;
    const got = await api(h, entA).get(`/gateways/${ids.gwA}`);
    expect(got.status).toBe(200);
    expect(got.body.mqtt).toBeUndefined();
    expect((await api(h, reg0506).get(`/gateways/${ids.gwA}`)).status).toBe(404);
    expect((await api(h, entA).get(`/enterprises/${ids.a}/gateways`)).body).toMatchObject({ total: 1, items: [{ code: 'GW-A1' }] });

    expect((await api(h).post(`/enterprises/${ids.a}/gateways`, { code: 'x', protocol: 'zigbee' })).status).toBe(400);
    expect((await api(h).post(`/enterprises/${ids.a}/gateways`, { code: 'GW-A1' })).status).toBe(409);
    expect((await api(h, reg0506).post(`/enterprises/${ids.a}/gateways`, { code: 'GW-A2' })).status).toBe(404);
    expect((await api(h, entA).post(`/enterprises/${ids.a}/gateways`, { code: 'GW-A3' })).status).toBe(403);

    const rotated = await api(h, reg0505).post(`/gateways/${ids.gwA}/credentials`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.mqtt.password).not.toBe(created.body.mqtt.password);
    secrets.first = created.body.mqtt.password;
    secrets.rotated = rotated.body.mqtt.password;
    expect((await api(h, entA).post(`/gateways/${ids.gwA}/credentials`)).status).toBe(403);
    expect((await api(h, reg0506).post(`/gateways/${ids.gwA}/credentials`)).status).toBe(404);

    const modbus = await api(h).post(`/enterprises/${ids.a}/gateways`, { code: 'MB-1', protocol: 'modbus-tcp', modbus: { host: '10.1.2.3' } });
    expect(modbus.status).toBe(201);
    expect(modbus.body.mqtt).toBeUndefined();
    const patched = await api(h).patch(`/gateways/${modbus.body.id}`, { modbus: { host: '10.1.2.4', port: 1502 } });
    expect(patched.body.modbus).toMatchObject({ host: '10.1.2.4', port: 1502, unitId: 1 });
    expect((await api(h).patch(`/gateways/${ids.gwA}`, { modbus: { host: 'h' } })).status).toBe(400);
    // issue 18: no polling of the metadata service or public addresses (MODBUS_ALLOWED_CIDRS)
    const metadata = await api(h).post(`/enterprises/${ids.a}/gateways`, { code: 'MB-META', protocol: 'modbus-tcp', modbus: { host: '169.254.169.254' } });
    expect(metadata.status).toBe(400);
    expect(metadata.body.message).toMatch(/modbus host 169\.254\.169\.254 is outside MODBUS_ALLOWED_CIDRS/);
    expect((await api(h).patch(`/gateways/${modbus.body.id}`, { modbus: { host: '8.8.8.8' } })).status).toBe(400);
    expect((await api(h).patch(`/gateways/${modbus.body.id}`, { modbus: { host: 'localhost' } })).status).toBe(200);
    expect((await api(h).patch(`/gateways/${modbus.body.id}`, { code: 'NEW' })).status).toBe(400);
    expect((await api(h, reg0506).delete(`/gateways/${modbus.body.id}`)).status).toBe(404);
    expect((await api(h).delete(`/gateways/${modbus.body.id}`)).status).toBe(204);
    expect((await api(h).get(`/gateways/${modbus.body.id}`)).status).toBe(404);
  });

  it('rotation: only the new secret verifies against the stored hash; attempts are audited, refused ones too', async () => {
    const [{ secret_hash: hash }] = (await h.ds.query(`SELECT secret_hash FROM gateways WHERE id = $1`, [ids.gwA])) as [{ secret_hash: string }];
    expect(await verifySecret(hash, secrets.first)).toBe(false);
    expect(await verifySecret(hash, secrets.rotated)).toBe(true);
    const rows: { action: string; outcome: string; target_id: string; username: string }[] = await h.ds.query(
      `SELECT action, outcome, target_id, username FROM audit_log WHERE action = 'gateway.rotate_credentials' ORDER BY id`,
    );
    expect(rows.map((r) => [r.outcome, r.username, r.target_id])).toEqual([
      ['ok', 'reg0505', ids.gwA],
      ['denied', 'ent-a', ids.gwA],
      ['denied', 'reg0506', ids.gwA],
    ]);
  });

  it('points: create with catalog type, unit and checked thresholds; get, list, patch, delete', async () => {
    const created = await api(h, reg0505).post(`/gateways/${ids.gwA}/points`, { code: 'CO-01', type: 'co', name: '一氧化碳', mandatory: true, thresholds: CO_THRESHOLDS });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ code: 'CO-01', type: 'co', unit: 'ppm', mandatory: true, expectedIntervalS: 60, thresholds: CO_THRESHOLDS });
    ids.pointA = created.body.id;
    const bad = [
      { code: 'X1', type: 'plutonium', name: 'x' },
      { code: 'X2', type: 'co', unit: 'Pa', name: 'x' },
      { code: 'X3', type: 'co', name: 'x', thresholds: { high: { yellow: 200, orange: 160 } } }, // orange must be above yellow
      { code: 'X4', type: 'co', name: 'x', thresholds: { high: { purple: 1 } } },
      { code: 'X5', type: 'co', name: 'x', expectedIntervalS: 0 },
      { code: '-bad', type: 'co', name: 'x' },
    ];
    for (const body of bad) expect([body.code, (await api(h).post(`/gateways/${ids.gwA}/points`, body)).status]).toEqual([body.code, 400]);
    expect((await api(h).post(`/gateways/${ids.gwA}/points`, { code: 'CO-01', type: 'co', name: 'dup' })).status).toBe(409);
    expect((await api(h, entA).post(`/gateways/${ids.gwA}/points`, { code: 'CO-02', type: 'co', name: 'x' })).status).toBe(403);

    expect((await api(h, entA).get(`/points/${ids.pointA}`)).body).toMatchObject({ id: ids.pointA, enterpriseId: ids.a });
    expect((await api(h, reg0506).get(`/points/${ids.pointA}`)).status).toBe(404);
    expect((await api(h, entA).get(`/gateways/${ids.gwA}/points`)).body).toMatchObject({ total: 1 });

    const patched = await api(h, reg0505).patch(`/points/${ids.pointA}`, { thresholds: { high: { yellow: 30, orange: 150 } }, location: '煤气柜', expectedIntervalS: 30 });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ thresholds: { high: { yellow: 30, orange: 150 } }, location: '煤气柜', expectedIntervalS: 30 });
    expect((await api(h).patch(`/points/${ids.pointA}`, { type: 'o2' })).status).toBe(400);
    expect((await api(h).patch(`/points/${ids.pointA}`, { thresholds: { low: { orange: 50 }, high: { orange: 40 } } })).status).toBe(400);
    expect((await api(h, entA).patch(`/points/${ids.pointA}`, { name: 'x' })).status).toBe(403);
    expect((await api(h, reg0506).patch(`/points/${ids.pointA}`, { name: 'x' })).status).toBe(404);

    const extra = await api(h).post(`/gateways/${ids.gwA}/points`, { code: 'SPARK-1', type: 'spark_detected', name: '火花' });
    expect([extra.status, extra.body.unit]).toEqual([201, '']);
    expect((await api(h, reg0506).delete(`/points/${extra.body.id}`)).status).toBe(404);
    expect((await api(h, reg0505).delete(`/points/${extra.body.id}`)).status).toBe(204);
    expect((await api(h).get(`/points/${extra.body.id}`)).status).toBe(404);
  });
});
