/**
 * Period KPIs and the half-year report on a constructed history, against real parts: PostgreSQL
 * (own database; alarm event times and a 检修 window written directly), a real influxd holding the
 * readings the online rate is judged by (issue 14: by data, not by gateway session),
 * Debian's Mosquitto; the api in-process; the PDF checked with poppler (pdftotext, pdftoppm) and
 * the XLSX read back with exceljs. Page PNGs land in tmp/report/ for a person to look at.
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, InfluxdProcess, MosquittoProcess, type TestDatabase, testUscc } from '@sw/testing';
import { Workbook } from 'exceljs';
import request from 'supertest';
import { type AlarmSubject, api, type ApiHarness, clearAlarm, raiseAlarm, startApi } from '../testing/api-test.factory';

const OUT = join(__dirname, '../../../../tmp/report');
const sh = (local: string) => Date.parse(`${local}+08:00`); // an Asia/Shanghai wall-clock time

describe('period KPIs and the half-year report', () => {
  let db: TestDatabase;
  let mosquitto: MosquittoProcess;
  let influx: InfluxdProcess;
  let h: ApiHarness;
  const s: Record<string, AlarmSubject> = {};

  async function enterprise(key: string, n: number, region: string, body: object, firstReadingAt: string | null): Promise<AlarmSubject> {
    const ent = await api(h).post('/enterprises', { name: `${key}金属制品有限公司`, uscc: testUscc(n), regionCode: region, ...body });
    const gw = await api(h).post(`/enterprises/${ent.body.id}/gateways`, { code: `GW-R${n}` });
    const pt = await api(h).post(`/gateways/${gw.body.id}/points`, { code: 'CO-01', type: 'co', name: '一氧化碳', mandatory: true, expectedIntervalS: 3600 });
    await h.ds.query(`UPDATE gateways SET first_reading_at = $2 WHERE id = $1`, [gw.body.id, firstReadingAt]);
    await h.ds.query(`UPDATE points SET created_at = '2024-01-01' WHERE id = $1`, [pt.body.id]);
    await h.ds.query(`UPDATE enterprise_status_changes SET effective_date = '2024-01-01' WHERE enterprise_id = $1`, [ent.body.id]);
    return { enterpriseId: ent.body.id, gatewayId: gw.body.id, pointId: pt.body.id, regionCode: region };
  }
  /** Hourly readings of the enterprise's mandatory point (expectedIntervalS 3600 → offline window 3 h) from `from` up to `to`, both included. */
  const hourly = (key: string, from: number, to: number) => {
    const lines: string[] = [];
    for (let t = from; t <= to; t += 3_600_000) lines.push(`reading,point=${s[key]?.pointId},region=${s[key]?.regionCode} value=1 ${t}`);
    return influx.write('safety_watch', lines.join('\n'));
  };
  // a gateway session alone (no data) must not count as online
  const session = (key: string, online: boolean, at: number) =>
    h.ds.query(`INSERT INTO gateway_state_changes (gateway_id, online, cause, at) VALUES ($1, $2, 'state', $3)`, [s[key]?.gatewayId, online, new Date(at)]);
  async function raise(key: string, ruleId: string, tier: 'red' | 'orange' | 'yellow', at: number) {
    const alarm = await raiseAlarm(h.store, s[key] as AlarmSubject, { ruleId, tier, at });
    await eventAt(alarm.id, 'raised', at);
    return alarm;
  }
  const eventAt = (alarmId: string, event: string, at: number) => h.ds.query(`UPDATE alarm_events SET at = $3 WHERE alarm_id = $1 AND event = $2`, [alarmId, event, new Date(at)]);

  beforeAll(async () => {
    db = await createTestDatabase('api_reports');
    mosquitto = new MosquittoProcess();
    influx = new InfluxdProcess();
    await Promise.all([mosquitto.start(), influx.start()]);
    h = await startApi({ databaseUrl: db.url, brokerUrl: mosquitto.url, influxUrl: influx.url });
    s['甲'] = await enterprise('甲', 1, '320505', { riskCategories: ['steel'] }, '2025-06-01T00:00:00Z');
    s['乙'] = await enterprise('乙', 2, '320505', { riskCategories: ['metal_dust'], dustWorkers: 40 }, '2024-12-15T00:00:00Z');
    s['丙'] = await enterprise('丙', 3, '320506', { riskCategories: ['aluminum_casting'] }, null);
    s['丁'] = await enterprise('丁', 4, '320506', { riskCategories: ['wood_dust'], dustWorkers: 20 }, '2025-01-01T00:00:00Z');
    await api(h).patch(`/enterprises/${s['乙']?.enterpriseId}`, { status: 'suspended', effectiveDate: '2026-04-01' });
    // 甲 reports hourly from 2025-12-01; its last reading before the gap is 2026-01-31 21:00, so it is
    // offline (3 h window) for exactly 24 h from 2026-02-01 00:00 until the next reading 2026-02-02 00:00.
    // 乙 reports hourly from 2025-01-01. Both report to 2026-06-30 23:00.
    await influx.createDatabase('safety_watch');
    await hourly('甲', sh('2025-12-01T00:00:00'), sh('2026-01-31T21:00:00'));
    await hourly('甲', sh('2026-02-02T00:00:00'), sh('2026-06-30T23:00:00'));
    await hourly('乙', sh('2025-01-01T00:00:00'), sh('2026-06-30T23:00:00'));
    // 丙's gateway holds a session the whole period but delivers nothing: not connected, not online
    await session('丙', true, sh('2025-12-01T00:00:00'));

    // A1 甲 red: ack +4 min, disposed +2 h (real hazard), cleared, closed
    const a1 = await raise('甲', 'r1', 'red', sh('2026-03-10T10:00:00'));
    await api(h).post(`/alarms/${a1.id}/ack`, {});
    await api(h).post(`/alarms/${a1.id}/dispose`, { cause: 'real_hazard', measures: '停机排查' });
    await clearAlarm(h.store, s['甲'] as AlarmSubject, 'r1');
    expect((await api(h).post(`/alarms/${a1.id}/close`, {})).status).toBe(200);
    await eventAt(a1.id, 'acknowledged', sh('2026-03-10T10:04:00'));
    await eventAt(a1.id, 'disposed', sh('2026-03-10T12:00:00'));
    await eventAt(a1.id, 'cleared', sh('2026-03-10T11:00:00'));
    await eventAt(a1.id, 'closed', sh('2026-03-10T12:30:00'));
    // A2 甲 orange: ack +20 min (late), disposed +30 h (late, equipment fault), still active
    const a2 = await raise('甲', 'r2', 'orange', sh('2026-03-11T10:00:00'));
    await api(h).post(`/alarms/${a2.id}/ack`, {});
    await api(h).post(`/alarms/${a2.id}/dispose`, { cause: 'equipment_fault', measures: '更换探头' });
    await eventAt(a2.id, 'acknowledged', sh('2026-03-11T10:20:00'));
    await eventAt(a2.id, 'disposed', sh('2026-03-12T16:00:00'));
    // A3 丁 yellow: ack +50 min, never disposed
    const a3 = await raise('丁', 'r3', 'yellow', sh('2026-04-01T08:00:00'));
    await api(h).post(`/alarms/${a3.id}/ack`, {});
    await eventAt(a3.id, 'acknowledged', sh('2026-04-01T08:50:00'));
    // A4 乙 red raised before the period: not counted
    await raise('乙', 'r4', 'red', sh('2025-12-31T10:00:00'));
    // an approved 检修 window on 甲's mandatory point in March, as the api records it
    await h.ds.query(
      `INSERT INTO maintenance_requests (point_id, enterprise_id, kind, status, mandatory, minutes, reason, requested_by_name, decided_by_name, decided_at, window_start, window_end)
       VALUES ($1, $2, 'request', 'approved', true, 240, '更换探头', 'ent-甲', 'reg-甲', $3, $3, $4)`,
      [s['甲']?.pointId, s['甲']?.enterpriseId, new Date(sh('2026-03-20T08:00:00')), new Date(sh('2026-03-20T12:00:00'))],
    );
  });

  afterAll(async () => {
    await h?.app.close();
    await mosquitto?.cleanup();
    await influx?.cleanup();
    await db?.drop();
  });

  const period = 'regionCode=3205&from=2026-01-01&to=2026-06-30';

  it('GET /kpi/online equals the hand-computed time-weighted rate, judged by data', async () => {
    // 181 days = 4344 h. 甲 (steel, in scope all period): online by its readings 4320 / 4344 = 0.994475 …
    // 乙 (metal dust 40): suspended from 2026-04-01 → counts Jan–Mar (2160 h), online all of it = 1
    // 丙 not connected, 丁 never in scope → not counted. Mean (0.994475 + 1) / 2 = 0.997238 → 0.9972
    const res = await api(h).get(`/kpi/online?${period}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      regionCode: '3205',
      from: '2026-01-01',
      to: '2026-06-30',
      enterprises: 2,
      onlineRate: 0.9972,
      byDistrict: [{ regionCode: '320505', enterprises: 2, onlineRate: 0.9972 }],
      byCategory: [
        { category: 'metal_dust', enterprises: 1, onlineRate: 1 },
        { category: 'steel', enterprises: 1, onlineRate: 0.9945 },
      ],
    });
  });

  it('GET /kpi/alarms equals the hand-computed disposal, timely acknowledgement and disposal rates', async () => {
    // A1 A2 A3 raised in the period; disposed A1 A2 → 2/3; acked in time A1 (4 ≤ 5 min) A3 (50 ≤ 60) → 2/3;
    // disposed in time A1 (2 h ≤ 24 h) → 1/3
    const res = await api(h).get(`/kpi/alarms?${period}`);
    expect(res.body).toMatchObject({ raised: 3, disposed: 2, disposalRate: 0.6667, tiered: 3, ackedInTime: 2, timelyAckRate: 0.6667, disposedInTime: 1, timelyDisposalRate: 0.3333 });
    expect(res.body.byDistrict).toEqual([
      { regionCode: '320505', raised: 2, disposed: 2, disposalRate: 1, tiered: 2, ackedInTime: 1, timelyAckRate: 0.5, disposedInTime: 1, timelyDisposalRate: 0.5 },
      { regionCode: '320506', raised: 1, disposed: 0, disposalRate: 0, tiered: 1, ackedInTime: 1, timelyAckRate: 1, disposedInTime: 0, timelyDisposalRate: 0 },
    ]);
    const load = await api(h).get(`/kpi/alarm-load?${period}`);
    // stale at the end of 2026-06-30: A2, A3 (still active), A4 (active since 2025-12-31); 26064 ten-minute windows
    expect(load.body).toMatchObject({ annunciations: 3, windows: 26_064, floodWindows: 0, floodWindowRate: 0, stale: 3, chattering: 0, alarmsPer10Min: 0.0001 });
    // 甲 expects 4344 hourly readings and has 4318 (26 missing: 01-31 22:00, 23:00 and all of 02-01);
    // 乙 counts Jan–Mar: 2160 expected, capped at 2160 → 6478 / 6504 = 0.99600 → 0.996
    expect((await api(h).get(`/kpi/completeness?${period}`)).body).toMatchObject({ points: 2, expected: 6504, received: 6478, completeness: 0.996 });
    expect((await api(h).get('/kpi/alarms?from=2026-02-01&to=2026-01-01')).status).toBe(400);
  });

  it('GET /reports/half-year as PDF: Chinese text, tables and charts; pages saved as PNG in tmp/report', async () => {
    const res = await request(h.baseUrl)
      .get(`/api/v1/reports/half-year?${period}&format=pdf`)
      .set('Authorization', `Bearer ${h.adminToken}`)
      .buffer(true)
      .parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    const pdf = join(OUT, 'half-year.pdf');
    writeFileSync(pdf, res.body as Buffer);
    const text = execFileSync('pdftotext', ['-layout', pdf, '-']).toString('utf8');
    for (const expected of ['工贸企业安全风险监测预警工作半年报告', '接入率', '66.67%', '99.72%', '丙金属制品有限公司', '甲金属制品有限公司', '超期', '真实隐患', '设备故障', '第 1 版', '虎丘区（320505）', '检修记录', '监测点', '橙色（二级）'])
      expect(text).toContain(expected);
    expect(text).not.toMatch(/一级红|点位|CONTRACTS|DOMAIN/);
    const fonts = execFileSync('pdffonts', [pdf]).toString('utf8');
    expect(fonts).toMatch(/WenQuanYi/); // embedded CJK font
    execFileSync('pdftoppm', ['-png', '-r', '80', pdf, join(OUT, 'page')]);
    expect(readdirSync(OUT).filter((f) => f.endsWith('.png')).length).toBeGreaterThanOrEqual(2);
  });

  it('the KPI, ledger and report endpoints are in the OpenAPI document', async () => {
    const doc = (await request(h.baseUrl).get('/docs-json')).body as { paths: Record<string, unknown> };
    for (const path of ['/api/v1/kpi/connection', '/api/v1/kpi/online', '/api/v1/kpi/completeness', '/api/v1/kpi/alarms', '/api/v1/kpi/alarm-load', '/api/v1/reports/half-year', '/api/v1/enterprises/import', '/api/v1/enterprises/export', '/api/v1/imports/{id}']) {
      expect([path, path in doc.paths]).toEqual([path, true]);
    }
  });

  it('GET /reports/half-year as XLSX holds the same figures', async () => {
    const res = await request(h.baseUrl)
      .get(`/api/v1/reports/half-year?${period}&format=xlsx`)
      .set('Authorization', `Bearer ${h.adminToken}`)
      .buffer(true)
      .parse(binary);
    expect(res.status).toBe(200);
    writeFileSync(join(OUT, 'half-year.xlsx'), res.body as Buffer);
    const wb = new Workbook();
    await wb.xlsx.load(res.body as unknown as ArrayBuffer);
    const kpis = wb.getWorksheet('主要指标')!;
    const figure = (name: string) => kpis.getRows(1, kpis.rowCount)!.find((r) => r.getCell(1).text === name)?.getCell(2).value;
    expect(figure('接入率')).toBe(0.6667);
    expect(figure('在线率（时间加权）')).toBe(0.9972);
    expect(figure('报警处置率')).toBe(0.6667);
    expect(figure('及时响应率')).toBe(0.6667);
    expect(figure('及时处置率')).toBe(0.3333);
    expect(wb.getWorksheet('趋势')!.rowCount).toBe(1 + 6); // header + Jan … Jun
    expect(wb.getWorksheet('未接入企业')!.getRow(2).getCell(1).text).toBe('丙金属制品有限公司');
    expect(wb.getWorksheet('报警前十企业')!.getRow(2).getCell(3).value).toBe(2);
    const problems = wb.getWorksheet('超期及未闭环报警')!;
    expect(problems.rowCount).toBe(1 + 2); // A2 and A3 (A1 closed in time, A4 raised before the period)
    // Chinese labels, Asia/Shanghai times
    expect(problems.getRow(1).values).toEqual([undefined, '报警编号', '企业', '监测点', '级别', '类型', '阶段', '发生时间（北京时间）', '确认时间（北京时间）', '处置时间（北京时间）', '问题']);
    expect(problems.getRow(2).values).toEqual([undefined, expect.any(String), '甲金属制品有限公司', 'CO-01', '橙色（二级）', '超限', '已处置', '2026-03-11 10:00', '2026-03-11 10:20', '2026-03-12 16:00', '超期、未闭环']);
    expect(wb.getWorksheet('分区县')!.getRow(2).getCell(1).text).toBe('虎丘区');
    expect(figure('监测点接入率')).toBe(0.6667);
    const windows = wb.getWorksheet('检修记录')!;
    expect(windows.rowCount).toBe(1 + 1);
    expect(windows.getRow(2).values).toEqual([undefined, '甲金属制品有限公司', '虎丘区（320505）', 'CO-01', '一氧化碳', '是', '企业申请、监管批准', '更换探头', 'ent-甲', 'reg-甲', '2026-03-20 08:00', '2026-03-20 12:00', '否']);
  });

  // issue 14: a half-year report keeps the figures it was first generated with; regenerating is a new version
  it('the report shows its stored snapshot unchanged after new data arrives; an explicit regeneration is version 2', async () => {
    const xlsx = async (query: string) => {
      const res = await request(h.baseUrl).get(`/api/v1/reports/half-year?${period}&format=xlsx${query}`).set('Authorization', `Bearer ${h.adminToken}`).buffer(true).parse(binary);
      const wb = new Workbook();
      await wb.xlsx.load(res.body as unknown as ArrayBuffer);
      const kpis = wb.getWorksheet('主要指标')!;
      const figure = (name: string) => kpis.getRows(1, kpis.rowCount)!.find((r) => r.getCell(1).text === name)?.getCell(2).value;
      return { version: res.headers['x-report-version'], disposal: figure('报警处置率'), online: figure('在线率（时间加权）') };
    };
    const before = await xlsx('');
    expect(before).toEqual({ version: '1', disposal: 0.6667, online: 0.9972 });
    // new data: a yellow alarm raised in the period (never disposed), and 甲's missing day back-filled
    await raise('丁', 'r5', 'yellow', sh('2026-05-01T08:00:00'));
    await hourly('甲', sh('2026-01-31T22:00:00'), sh('2026-02-01T23:00:00'));
    expect((await api(h).get(`/kpi/alarms?${period}`)).body).toMatchObject({ raised: 4, disposalRate: 0.5 }); // the live KPI moved
    expect(await xlsx('')).toEqual(before); // the report did not
    const regenerated = await request(h.baseUrl).post(`/api/v1/reports/half-year/versions?${period}`).set('Authorization', `Bearer ${h.adminToken}`);
    expect(regenerated.status).toBe(201);
    expect(regenerated.body).toMatchObject({ regionCode: '3205', from: '2026-01-01', to: '2026-06-30', version: 2, generatedBy: 'admin' });
    const after = await xlsx('');
    expect(after).toEqual({ version: '2', disposal: 0.5, online: 1 });
    expect(await xlsx('&version=1')).toEqual(before);
    expect((await api(h).get(`/reports/half-year/versions?${period}`)).body.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    expect((await request(h.baseUrl).get(`/api/v1/reports/half-year?${period}&version=3`).set('Authorization', `Bearer ${h.adminToken}`)).status).toBe(404);
  });
});

function binary(res: unknown, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  const stream = res as NodeJS.ReadableStream;
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => cb(null, Buffer.concat(chunks)));
}
