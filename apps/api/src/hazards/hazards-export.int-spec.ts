/**
 * Hazard list export, the register's analysis and the confirmation notices' outbox rows over REST,
 * against real parts: PostgreSQL (own database), Debian's Mosquitto (own port), a real influxd, the
 * api in-process. The analysis histories are committed through `HazardStore` with chosen times so
 * the figures can be counted by hand.
 */
import 'reflect-metadata';
import { applyHazardAction, type HazardAction, type HazardActor, type HazardSnapshot, type NewHazard, reportHazard } from '@sw/hazards';
import { HazardStore } from '@sw/persistence';
import { TestServices, testUscc } from '@sw/testing';
import { parse } from 'csv-parse/sync';
import { Workbook } from 'exceljs';
import { randomUUID } from 'node:crypto';
import { api, type ApiHarness, getFile, startApiHarness, userToken } from '../testing/api-test.factory';

const FORMULA = /^[=+\-@]/;
const CLIENT = { ip: null, userAgent: 'spec' };

describe('hazards: export, analysis, confirmation notices', () => {
  let services: TestServices;
  let h: ApiHarness;
  let entA: string; // enterprise with a formula for a name, 320505
  let entB: string; // 320506
  let reg1: string;
  let reg2: string;
  let reg0506: string;

  const enterprise = async (n: number, name: string, regionCode: string, riskCategories: string[]) => {
    const res = await api(h).post('/enterprises', { name, uscc: testUscc(n), regionCode, riskCategories });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const download = (path: string, token: string) => getFile(h, path, token);
  const csvRows = (body: Buffer): string[][] => parse(body.toString('utf8').replace(/^\uFEFF/, ''), { relaxColumnCount: false }) as string[][];

  beforeAll(async () => {
    services = await TestServices.start('api_hazards_export', { mosquitto: true, influx: true });
    h = await startApiHarness(services);
    entA = await enterprise(71, '=HYPERLINK("http://evil.example","点我")', '320505', ['steel', 'metal_dust']);
    entB = await enterprise(72, '木业有限公司', '320506', ['wood_dust']);
    reg1 = await userToken(h, { username: 'x-reg1', role: 'regulator', regionCode: '3205' });
    reg2 = await userToken(h, { username: 'x-reg2', role: 'regulator', regionCode: '3205' });
    reg0506 = await userToken(h, { username: 'x-reg0506', role: 'regulator', regionCode: '320506' });
  });

  afterAll(() => services?.stop());

  // docs/domain.md: on confirmation the principal, actual controller and industry department are notified
  it('confirming over REST writes the confirmation notices with the event, once: a second confirm is 409 and adds none', async () => {
    await h.ds.query(`INSERT INTO enterprise_contacts (enterprise_id, role, name, phone) VALUES ($1, 'principal', '负责人', '13800009999')`, [entB]);
    const created = await api(h, reg1).post('/hazards', { source: 'inspection', enterpriseId: entB, article: 11, item: 3, description: '除尘器未设泄爆' });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(await h.ds.query(`SELECT 1 FROM notification_outbox WHERE hazard_id = $1`, [id])).toHaveLength(0);
    expect((await api(h, reg1).post(`/hazards/${id}/confirm`)).status).toBe(200);
    expect((await api(h, reg2).post(`/hazards/${id}/confirm`)).status).toBe(409);
    const rows: { dedup_key: string; kind: string }[] = await h.ds.query(`SELECT dedup_key, kind FROM notification_outbox WHERE hazard_id = $1 ORDER BY dedup_key`, [id]);
    // principal on file; actual controller and the industry department with nobody on file: one row each that will fail visibly
    expect(rows.map((r) => r.dedup_key.replace(`hazard:${id}:`, ''))).toEqual([
      'confirmed:actual_controller:sms',
      'confirmed:actual_controller:wechat',
      'confirmed:industry_department:sms',
      'confirmed:industry_department:wechat',
      'confirmed:principal:sms',
      'confirmed:principal:wechat',
    ]);
    expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(['hazard_confirmed']));
  });

  it('exports the filtered list as CSV and XLSX with Chinese headers; a formula-named enterprise and formula-like text are neutralised; audited', async () => {
    const created = await api(h, reg1).post('/hazards', { source: 'inspection', enterpriseId: entA, article: 11, item: 3, description: '@SUM(A1) 除尘器无泄爆', location: '-1+1 车间' });
    expect(created.status).toBe(201);
    const id = created.body.id as string;

    const csv = await download(`/hazards/export?format=csv&source=inspection&regionCode=320505`, reg1);
    expect([csv.status, csv.headers['content-type']]).toEqual([200, 'text/csv; charset=utf-8']);
    const [header, ...rows] = csvRows(csv.body as Buffer);
    expect(header?.slice(0, 6)).toEqual(['隐患编号', '企业名称', '统一社会信用代码', '行政区划代码', '来源', '状态']);
    expect(rows.map((r) => r[0])).toEqual([id]); // only A's inspection hazard: the filters of GET /hazards
    const row = Object.fromEntries(header!.map((k, i) => [k, rows[0]![i]]));
    expect(row).toMatchObject({ 企业名称: `'=HYPERLINK("http://evil.example","点我")`, 隐患描述: `'@SUM(A1) 除尘器无泄爆`, 位置: `'-1+1 车间`, 来源: '督导检查', 状态: '待确认', 判定依据: '第十一条(三)' });
    expect(row['上报时间']).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const shanghai = new Date(created.body.reportedAt as string).toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' });
    expect(row['上报时间']).toBe(shanghai);
    for (const cell of rows.flat()) expect(cell).not.toMatch(FORMULA);

    const xlsx = await download(`/hazards/export?format=xlsx&regionCode=320505`, reg1);
    expect(xlsx.status).toBe(200);
    const wb = new Workbook();
    await wb.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    const values: unknown[] = [];
    sheet.eachRow((r) => r.eachCell((c) => values.push(c.value)));
    expect(values).toContain(`'=HYPERLINK("http://evil.example","点我")`);
    for (const v of values) {
      expect(typeof v === 'string' || typeof v === 'number').toBe(true); // no formula objects
      if (typeof v === 'string') expect(v).not.toMatch(FORMULA);
    }

    // scope: a regulator of 320506 exports none of A's hazards
    // a leading + as well (B's hazard, in 320506)
    expect((await api(h, reg0506).post('/hazards', { source: 'inspection', enterpriseId: entB, article: 11, item: 6, description: '+1 木粉除尘无锁气卸灰', location: '+2 车间' })).status).toBe(201);
    const other = csvRows((await download(`/hazards/export?format=csv`, reg0506)).body as Buffer);
    expect(other.slice(1).some((r) => r[0] === id)).toBe(false);
    expect(other.flat()).toEqual(expect.arrayContaining([`'+1 木粉除尘无锁气卸灰`, `'+2 车间`]));
    for (const cell of other.flat()) expect(cell).not.toMatch(FORMULA);

    const audited: { action: string; data: { format: string; rows: number; sha256: string } }[] = await h.ds.query(
      `SELECT action, data FROM audit_log WHERE action = 'hazard.export' AND outcome = 'ok' ORDER BY id`,
    );
    expect(audited.map((a) => [a.data.format, a.data.rows])).toEqual([
      ['csv', 1],
      ['xlsx', 1],
      ['csv', other.length - 1],
    ]);
    expect(audited[0]!.data.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  describe('analysis', () => {
    const store = () => new HazardStore(h.ds);
    const REG_1: HazardActor = { id: randomUUID(), username: 'r1', role: 'regulator', enterpriseId: null };
    const REG_2: HazardActor = { id: randomUUID(), username: 'r2', role: 'regulator', enterpriseId: null };
    const ent = (enterpriseId: string): HazardActor => ({ id: randomUUID(), username: 'e', role: 'enterprise', enterpriseId });
    const plan = (deadline: string): HazardAction => ({ action: 'plan', measures: 'm', responsible: 'r', deadline });

    /** Commits a hazard and its steps at the given times (UTC). */
    async function history(n: Omit<NewHazard, 'id' | 'description'>, reportedAt: string, steps: [HazardAction, HazardActor, string][]): Promise<HazardSnapshot> {
      const reporter = n.source === 'self_check' ? ent(n.enterpriseId) : REG_1;
      const created = await store().create(reportHazard({ ...n, id: randomUUID(), description: '隐患' }, reporter, reportedAt), CLIENT);
      if (!created.ok) throw new Error(created.reason);
      let hz = created.hazard;
      for (const [action, actor, at] of steps) {
        const out = await store().transition(hz.id, (cur) => applyHazardAction(cur, action, actor, at), CLIENT);
        if (!out.ok) throw new Error(`${action.action}: ${out.reason}`);
        hz = out.hazard;
      }
      return hz;
    }

    beforeAll(async () => {
      const A = { enterpriseId: entA, regionCode: '320505' };
      const B = { enterpriseId: entB, regionCode: '320506' };
      // H1: A, self-check, confirmed 07-02 04:00, signed off 07-12 04:00 → 10 days
      await history({ ...A, source: 'self_check', article: 11, item: 3, categories: ['metal_dust'] }, '2026-07-02T02:00:00Z', [
        [{ action: 'confirm' }, REG_1, '2026-07-02T04:00:00Z'],
        [plan('2026-07-20T00:00:00Z'), ent(entA), '2026-07-03T00:00:00Z'],
        [{ action: 'submit', text: 't', photos: [] }, ent(entA), '2026-07-10T00:00:00Z'],
        [{ action: 'sign_off' }, REG_2, '2026-07-12T04:00:00Z'],
      ]);
      // H2: B, inspection, confirmed 07-06, deadline 07-15, still rectifying → open and overdue
      await history({ ...B, source: 'inspection', article: 11, item: 1, categories: ['wood_dust'] }, '2026-07-05T00:00:00Z', [
        [{ action: 'confirm' }, REG_1, '2026-07-06T00:00:00Z'],
        [plan('2026-07-15T00:00:00Z'), ent(entB), '2026-07-06T01:00:00Z'],
      ]);
      // H3: A, regulator, 第四条(二), rejected
      await history({ ...A, source: 'regulator', article: 4, item: 2, categories: ['steel'] }, '2026-07-08T00:00:00Z', [[{ action: 'reject', reason: '不构成' }, REG_1, '2026-07-09T00:00:00Z']]);
      // H4: A, reported and confirmed in June, signed off 07-26 → 54 days, not counted as reported or confirmed in July
      await history({ ...A, source: 'self_check', article: 11, item: 3, categories: ['metal_dust'] }, '2026-06-01T00:00:00Z', [
        [{ action: 'confirm' }, REG_1, '2026-06-02T00:00:00Z'],
        [plan('2026-07-30T00:00:00Z'), ent(entA), '2026-06-03T00:00:00Z'],
        [{ action: 'submit', text: 't', photos: [] }, ent(entA), '2026-07-20T00:00:00Z'],
        [{ action: 'sign_off' }, REG_2, '2026-07-26T00:00:00Z'],
      ]);
      // H5: A, confirmed 07-26, deadline in August → open, not overdue
      await history({ ...A, source: 'self_check', article: 11, item: 3, categories: ['metal_dust'] }, '2026-07-25T00:00:00Z', [
        [{ action: 'confirm' }, REG_1, '2026-07-26T00:00:00Z'],
        [plan('2026-08-20T00:00:00Z'), ent(entA), '2026-07-26T01:00:00Z'],
      ]);
    });

    it('July 2026 (Asia/Shanghai days) over 3205 equals the figures counted by hand', async () => {
      const res = await api(h, reg1).get('/hazards/analysis?from=2026-07-01&to=2026-08-01');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        period: { from: '2026-06-30T16:00:00.000Z', to: '2026-07-31T16:00:00.000Z' },
        regionCode: null,
        reported: 4, // H1 H2 H3 H5
        bySource: { self_check: 2, inspection: 1, regulator: 1 },
        byCategory: { metal_dust: 2, wood_dust: 1, steel: 1 },
        byArticle: { 第十一条: 3, 第四条: 1 },
        byRegion: { '320505': 3, '320506': 1 },
        byStatus: { signed_off: 1, rectifying: 2, rejected: 1 },
        open: 2, // H2 H5
        overdue: 1, // H2
        confirmed: 3, // H1 H2 H5
        confirmedSignedOff: 1, // H1
        clearanceRate: 0.3333, // 动态清零率 = 1 ÷ 3
        daysToSignOff: { count: 2, median: 32, p90: 54 }, // H1 10, H4 54
      });
    });

    it('narrowed to 320506 by the query, and by a regulator scoped to 320506', async () => {
      const expected = { reported: 1, bySource: { inspection: 1 }, open: 1, overdue: 1, confirmed: 1, confirmedSignedOff: 0, clearanceRate: 0, daysToSignOff: { count: 0, median: null, p90: null } };
      expect((await api(h, reg1).get('/hazards/analysis?from=2026-07-01&to=2026-08-01&regionCode=320506')).body).toMatchObject({ ...expected, regionCode: '320506' });
      expect((await api(h, reg0506).get('/hazards/analysis?from=2026-07-01&to=2026-08-01')).body).toMatchObject(expected);
    });

    it('refuses a period that ends before it starts (400)', async () => {
      expect((await api(h, reg1).get('/hazards/analysis?from=2026-08-01&to=2026-07-01')).status).toBe(400);
    });
  });
});
