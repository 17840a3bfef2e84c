/**
 * Readings history and the connection KPI against real parts: PostgreSQL (own database), a real
 * influxd holding readings (measurement `reading`, tags `point`/`region`, field `value`), Debian's
 * Mosquitto (anonymous, own port); the api in-process.
 */
import 'reflect-metadata';
import { TestServices, testUscc } from '@sw/testing';
import { api, type ApiHarness, startApiHarness, userToken } from '../testing/api-test.factory';

const DB = 'safety_watch';
const END_2026_01_01 = Date.parse('2026-01-01T16:00:00Z'); // end of 2026-01-01 in Asia/Shanghai

describe('readings and KPI', () => {
  let services: TestServices;
  let h: ApiHarness;
  let reg0505: string;
  let reg0506: string;
  const e: Record<string, { id: string; point: string }> = {};

  /** An enterprise with one gateway and one mandatory point, all "registered" long ago. */
  async function enterprise(key: string, n: number, region: string, body: object, firstReadingAt: string | null) {
    const ent = await api(h).post('/enterprises', { name: `企业${key}`, uscc: testUscc(n), regionCode: region, ...body });
    const gw = await api(h).post(`/enterprises/${ent.body.id}/gateways`, { code: `GW-${key}` });
    const pt = await api(h).post(`/gateways/${gw.body.id}/points`, { code: 'P1', type: 'co', name: 'CO', mandatory: true, expectedIntervalS: 60 });
    await h.ds.query(`UPDATE gateways SET first_reading_at = $2 WHERE id = $1`, [gw.body.id, firstReadingAt]);
    await h.ds.query(`UPDATE points SET created_at = '2024-01-01' WHERE id = $1`, [pt.body.id]);
    e[key] = { id: ent.body.id, point: pt.body.id };
  }

  const reading = (key: string, ms: number, value = 1) => `reading,point=${e[key]?.point},region=${key === 'E3' ? '320506' : '320505'} value=${value} ${ms}`;

  beforeAll(async () => {
    services = await TestServices.start('api_kpi', { mosquitto: true, influx: { databases: [DB] } });
    h = await startApiHarness(services, { READINGS_MAX_ROWS: '100' });
    reg0505 = await userToken(h, { username: 'reg0505', role: 'regulator', regionCode: '320505' });
    reg0506 = await userToken(h, { username: 'reg0506', role: 'regulator', regionCode: '320506' });
    await enterprise('E1', 1, '320505', { riskCategories: ['steel'] }, '2025-06-01T00:00:00Z');
    await enterprise('E2', 2, '320505', { riskCategories: ['metal_dust'], dustWorkers: 40 }, '2024-12-15T00:00:00Z');
    await enterprise('E3', 3, '320506', { riskCategories: ['aluminum_casting'] }, null);
    await enterprise('E4', 4, '320506', { riskCategories: ['wood_dust'], dustWorkers: 20 }, '2025-01-01T00:00:00Z');
    await enterprise('E5', 5, '320505', { riskCategories: ['steel'] }, '2025-01-01T00:00:00Z');
    await enterprise('E6', 6, '320505', { riskCategories: ['metal_dust'], dustWorkers: 15 }, '2025-02-01T00:00:00Z');
    await api(h).patch(`/enterprises/${e['E5']?.id}`, { status: 'closed', effectiveDate: '2025-12-01' });
    await api(h).patch(`/enterprises/${e['E6']?.id}`, { status: 'suspended', effectiveDate: '2025-11-01' });
    await services.influx.write(
      DB,
      [reading('E1', END_2026_01_01 - 60_000), reading('E2', END_2026_01_01 - 6 * 3_600_000), reading('E6', END_2026_01_01 - 30_000), reading('E2', Date.parse('2024-12-30T00:00:00Z'))].join('\n'),
    );
  });

  afterAll(() => services?.stop());

  it('GET /kpi/connection as of 2026-01-01 (hand-computed): scope by policy date and status history, connected and online from InfluxDB', async () => {
    const res = await api(h).get('/kpi/connection?regionCode=3205&asOf=2026-01-01');
    expect(res.status).toBe(200);
    // in scope: E1 steel, E2 metal dust ≥ 30, E3 casting, E6 metal dust ≥ 10 (suspended); not E4 (wood < 30), not E5 (closed 2025-12-01)
    // connected (the mandatory point reported within 7 days): E1, E2, E6; online base: E1, E2 (E6 suspended); online: E1 (E2's last reading is 6 h old)
    const group = (inScope: number, connected: number, online: number, onlineRate: number | null) => ({
      inScope, connected, connectionRate: connected / inScope, mandatoryPoints: inScope, reportingPoints: connected, pointConnectionRate: connected / inScope, online, onlineRate, unknownDustWorkers: 0,
    });
    expect(res.body).toEqual({
      regionCode: '3205',
      asOf: '2026-01-01',
      windowDays: 7,
      ...group(4, 3, 1, 0.5),
      byDistrict: [
        { regionCode: '320505', ...group(3, 3, 1, 0.5) },
        { regionCode: '320506', ...group(1, 0, 0, null) },
      ],
      byCategory: [
        { category: 'aluminum_casting', ...group(1, 0, 0, null) },
        { category: 'metal_dust', ...group(2, 2, 0, 0) },
        { category: 'steel', ...group(1, 1, 1, 1) },
      ],
      notConnected: [{ id: e['E3']?.id, name: '企业E3', uscc: testUscc(3), regionCode: '320506', riskCategories: ['aluminum_casting'], registered: true, mandatoryPoints: 1, reportingPoints: 0 }],
      dataGaps: [],
    });
  });

  // issue 14: "as of 2024-12-31" counts the group due by the end of 2024; connected = reported within the last 7 days
  it('policy boundaries: nobody in scope as of 2024-12-30, dust ≥ 30 as of 2024-12-31; one old reading no longer connects', async () => {
    const before = (await api(h).get('/kpi/connection?regionCode=32&asOf=2024-12-30')).body;
    expect(before).toMatchObject({ inScope: 0, connected: 0, connectionRate: null, online: 0, onlineRate: null, byDistrict: [], byCategory: [], notConnected: [] });
    const boundary = (await api(h).get('/kpi/connection?regionCode=32&asOf=2024-12-31')).body;
    expect(boundary).toMatchObject({ inScope: 1, connected: 1, connectionRate: 1, pointConnectionRate: 1, online: 0, onlineRate: 0 }); // E2, read 2024-12-30
    const weekLater = (await api(h).get('/kpi/connection?regionCode=32&asOf=2025-01-06')).body;
    expect(weekLater).toMatchObject({ inScope: 1, connected: 0, connectionRate: 0, pointConnectionRate: 0 }); // its reading is more than 7 days old
    const steelDue = (await api(h).get('/kpi/connection?regionCode=3205&asOf=2025-12-31')).body;
    expect(steelDue).toMatchObject({ inScope: 4 }); // E1, E2, E3, E6 (E5 closed 2025-12-01)
  });

  it('an enterprise with an unknown dust-worker count is listed as a data gap, not counted as 0', async () => {
    const ent = await api(h).post('/enterprises', { name: '企业E7', uscc: testUscc(7), regionCode: '320506', riskCategories: ['metal_dust'] });
    expect(ent.status).toBe(201);
    const res = (await api(h).get('/kpi/connection?regionCode=320506&asOf=2026-01-01')).body;
    expect(res).toMatchObject({ inScope: 1, unknownDustWorkers: 1, dataGaps: [{ id: ent.body.id, name: '企业E7', gap: 'dust_workers_unknown' }] });
    await h.ds.query('DELETE FROM enterprises WHERE id = $1', [ent.body.id]);
  });

  it('today: online judged now from last_seen_at; a regulator gets its own region by default, 403 beyond it', async () => {
    await h.ds.query(`UPDATE points SET last_seen_at = now() - interval '30 seconds' WHERE id = $1`, [e['E1']?.point]);
    await h.ds.query(`UPDATE points SET last_seen_at = now() - interval '10 minutes' WHERE id = $1`, [e['E2']?.point]);
    await h.ds.query(`UPDATE points SET last_seen_at = now() - interval '1 day' WHERE id = $1`, [e['E6']?.point]);
    const today = (await api(h, reg0505).get('/kpi/connection')).body;
    expect(today).toMatchObject({ regionCode: '320505', inScope: 3, connected: 3, online: 1, onlineRate: 0.5 }); // E1, E2, E6 (E5 closed)
    expect((await api(h, reg0506).get('/kpi/connection?asOf=2026-01-01')).body).toMatchObject({ regionCode: '320506', inScope: 1, connected: 0 });
    expect((await api(h, reg0505).get('/kpi/connection?regionCode=3205')).status).toBe(403);
    expect((await api(h, reg0505).get('/kpi/connection?regionCode=320506')).status).toBe(403);
    const entUser = await userToken(h, { username: 'ent-1', role: 'enterprise', enterpriseId: e['E1']?.id as string });
    expect((await api(h, entUser).get('/kpi/connection')).status).toBe(403);
    expect((await api(h).get('/kpi/connection?asOf=2026-02-30')).status).toBe(400);
    expect((await api(h).get('/kpi/connection?regionCode=99999')).status).toBe(400);
  });

  it('GET /points/{id}/readings: raw and bucketed from InfluxDB, capped, validated, scoped', async () => {
    const t0 = Date.parse('2026-11-27T00:00:00Z');
    const lines = Array.from({ length: 120 }, (_, i) => reading('E1', t0 + i * 30_000, i)); // every 30 s for an hour
    await services.influx.write(DB, lines.join('\n'));
    const point = e['E1']?.point as string;
    const from = new Date(t0).toISOString();
    const to = new Date(t0 + 3_600_000).toISOString();
    const raw = await api(h, reg0505).get(`/points/${point}/readings?from=${from}&to=${to}`);
    expect(raw.status).toBe(200);
    expect(raw.body).toMatchObject({ pointId: point, unit: 'ppm', every: null, truncated: true });
    expect(raw.body.readings).toHaveLength(100); // READINGS_MAX_ROWS
    expect(raw.body.readings[0]).toEqual({ ts: from, value: 0 });
    const buckets = await api(h, reg0505).get(`/points/${point}/readings?from=${from}&to=${to}&every=10m`);
    expect(buckets.body.readings).toHaveLength(6);
    expect(buckets.body.readings[0]).toEqual({ ts: from, mean: 9.5, min: 0, max: 19, count: 20 });
    expect(buckets.body.truncated).toBe(false);
    expect((await api(h).get(`/points/${point}/readings?from=${from}&to=${to}&every=1s`)).status).toBe(400); // 3600 buckets > 100
    for (const q of ['every=5x', 'every=0m', `from=${to}&to=${from}`, 'from=last-week']) expect([q, (await api(h).get(`/points/${point}/readings?${q}`)).status]).toEqual([q, 400]);
    expect((await api(h, reg0506).get(`/points/${point}/readings`)).status).toBe(404);
    expect((await api(h).get(`/points/${e['E3']?.point}/readings`)).body).toMatchObject({ readings: [], truncated: false });
  });
});
