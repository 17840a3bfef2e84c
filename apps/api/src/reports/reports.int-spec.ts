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
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { applyHazardAction, type HazardAction, type HazardActor, type HazardSnapshot, type NewHazard, reportHazard } from '@sw/hazards';
import { HazardStore } from '@sw/persistence';
import { TestServices, testUscc } from '@sw/testing';
import { Workbook } from 'exceljs';
import request from 'supertest';
import { type AlarmSubject, api, type ApiHarness, clearAlarm, getFile, raiseAlarm, startApiHarness } from '../testing/api-test.factory';

const OUT = join(__dirname, '../../../../tmp/report');
const sh = (local: string) => Date.parse(`${local}+08:00`); // an Asia/Shanghai wall-clock time

describe('period KPIs and the half-year report', () => {
  let services: TestServices;
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
    return services.influx.write('safety_watch', lines.join('\n'));
  };
  // a gateway session alone (no data) must not count as online
  const session = (key: string, online: boolean, at: number) =>
    h.ds.query(`INSERT INTO gateway_state_changes (gateway_id, online, cause, at) VALUES ($1, $2, 'state', $3)`, [s[key]?.gatewayId, online, new Date(at)]);
  async function raise(key: string, ruleId: string, tier: 'red' | 'orange' | 'yellow', at: number) {
    const alarm = await raiseAlarm(h.store, s[key] as AlarmSubject, { ruleId, tier, at });
    await eventAt(alarm.id, 'raised', at);
    return alarm;
  }
  // hazards with their events at given times, through the register's own store (no notices: no contacts here)
  const REG_A: HazardActor = { id: randomUUID(), username: 'reg-a', role: 'regulator', enterpriseId: null };
  const REG_B: HazardActor = { id: randomUUID(), username: 'reg-b', role: 'regulator', enterpriseId: null };
  const CLIENT = { ip: null, userAgent: 'spec' };
  let realHazardAlarm = ''; // A1, disposed as a real hazard: the alarm-sourced hazard's origin
  async function hazard(key: string, input: Pick<NewHazard, 'source' | 'article' | 'item' | 'categories'>, reportedAt: string, steps: [HazardAction, string, HazardActor?][]): Promise<HazardSnapshot> {
    const subject = s[key] as AlarmSubject;
    const actor: HazardActor = input.source === 'self_check' ? { id: randomUUID(), username: `ent-${key}`, role: 'enterprise', enterpriseId: subject.enterpriseId } : REG_A;
    const alarm = input.source === 'alarm' ? { alarmId: realHazardAlarm, tier: 'red', value: 1, peakValue: 1, unit: '', raisedAt: new Date(sh(reportedAt)).toISOString(), message: 'spec' } : null;
    const store = new HazardStore(h.ds);
    const created = await store.create(reportHazard({ id: randomUUID(), enterpriseId: subject.enterpriseId, regionCode: subject.regionCode, description: '隐患', alarm, ...input }, actor, new Date(sh(reportedAt)).toISOString()), CLIENT);
    if (!created.ok) throw new Error(created.reason);
    let cur = created.hazard;
    for (const [action, at, by] of steps) {
      const who = by ?? (action.action === 'plan' || action.action === 'submit' ? { id: randomUUID(), username: `ent-${key}`, role: 'enterprise' as const, enterpriseId: subject.enterpriseId } : REG_A);
      const out = await store.transition(cur.id, (c) => applyHazardAction(c, action, who, new Date(sh(at)).toISOString()), CLIENT);
      if (!out.ok) throw new Error(`${action.action}: ${out.reason}`);
      cur = out.hazard;
    }
    return cur;
  }
  const plan = (deadline: string): HazardAction => ({ action: 'plan', measures: '整改', responsible: '张三', deadline: new Date(sh(deadline)).toISOString() });
  const submit: HazardAction = { action: 'submit', text: '已整改', photos: [] };

  const eventAt = (alarmId: string, event: string, at: number) => h.ds.query(`UPDATE alarm_events SET at = $3 WHERE alarm_id = $1 AND event = $2`, [alarmId, event, new Date(at)]);

  beforeAll(async () => {
    services = await TestServices.start('api_reports', { mosquitto: true, influx: true });
    h = await startApiHarness(services);
    s['甲'] = await enterprise('甲', 1, '320505', { riskCategories: ['steel'] }, '2025-06-01T00:00:00Z');
    s['乙'] = await enterprise('乙', 2, '320505', { riskCategories: ['metal_dust'], dustWorkers: 40 }, '2024-12-15T00:00:00Z');
    s['丙'] = await enterprise('丙', 3, '320506', { riskCategories: ['aluminum_casting'] }, null);
    s['丁'] = await enterprise('丁', 4, '320506', { riskCategories: ['wood_dust'], dustWorkers: 20 }, '2025-01-01T00:00:00Z');
    await api(h).patch(`/enterprises/${s['乙']?.enterpriseId}`, { status: 'suspended', effectiveDate: '2026-04-01' });
    // 甲 reports hourly from 2025-12-01; its last reading before the gap is 2026-01-31 21:00, so it is
    // offline (3 h window) for exactly 24 h from 2026-02-01 00:00 until the next reading 2026-02-02 00:00.
    // 乙 reports hourly from 2025-01-01. Both report to 2026-06-30 23:00.
    await services.influx.createDatabase('safety_watch');
    await hourly('甲', sh('2025-12-01T00:00:00'), sh('2026-01-31T21:00:00'));
    await hourly('甲', sh('2026-02-02T00:00:00'), sh('2026-06-30T23:00:00'));
    await hourly('乙', sh('2025-01-01T00:00:00'), sh('2026-06-30T23:00:00'));
    // 丙's gateway holds a session the whole period but delivers nothing: not connected, not online
    await session('丙', true, sh('2025-12-01T00:00:00'));

    // A1 甲 red: ack +4 min, disposed +2 h (real hazard), cleared, closed
    const a1 = await raise('甲', 'r1', 'red', sh('2026-03-10T10:00:00'));
    await api(h).post(`/alarms/${a1.id}/ack`, {});
    await api(h).post(`/alarms/${a1.id}/dispose`, { cause: 'real_hazard', measures: '停机排查' });
    realHazardAlarm = a1.id;
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
    // the register in the period (hand-counted below): five hazards, one per source
    // H1 甲 inspection 第四条(三): confirmed 02-02 10:00, returned once, signed off 02-22 10:00 by another regulator → 20 days
    await hazard('甲', { source: 'inspection', article: 4, item: 3, categories: ['steel'] }, '2026-02-01T10:00:00', [
      [{ action: 'confirm' }, '2026-02-02T10:00:00'],
      [plan('2026-03-01T00:00:00'), '2026-02-03T10:00:00'],
      [submit, '2026-02-10T10:00:00'],
      [{ action: 'return', reason: '泄爆片未安装' }, '2026-02-11T10:00:00'],
      [submit, '2026-02-20T10:00:00'],
      [{ action: 'sign_off' }, '2026-02-22T10:00:00', REG_B],
    ]);
    // H2 丁 self_check 第十一条(六): confirmed 03-02 10:00, signed off 03-12 10:00 → 10 days
    await hazard('丁', { source: 'self_check', article: 11, item: 6, categories: ['wood_dust'] }, '2026-03-01T09:00:00', [
      [{ action: 'confirm' }, '2026-03-02T10:00:00'],
      [plan('2026-04-01T00:00:00'), '2026-03-03T10:00:00'],
      [submit, '2026-03-05T10:00:00'],
      [{ action: 'sign_off' }, '2026-03-12T10:00:00', REG_B],
    ]);
    // H3 乙 report 第十一条(三): deadline 05-01, still rectifying at the period's end → open and overdue
    await hazard('乙', { source: 'report', article: 11, item: 3, categories: ['metal_dust'] }, '2026-04-01T09:00:00', [
      [{ action: 'confirm' }, '2026-04-02T10:00:00'],
      [plan('2026-05-01T00:00:00'), '2026-04-03T10:00:00'],
    ]);
    // H4 丙 regulator 第五条(六): rejected
    await hazard('丙', { source: 'regulator', article: 5, item: 6, categories: ['aluminum_casting'] }, '2026-05-01T09:00:00', [[{ action: 'reject', reason: '不构成重大事故隐患' }, '2026-05-02T10:00:00']]);
    // H5 甲 alarm 第三条(二): deadline in August → open, not overdue
    await hazard('甲', { source: 'alarm', article: 3, item: 2, categories: ['steel'] }, '2026-06-01T09:00:00', [
      [{ action: 'confirm' }, '2026-06-02T10:00:00'],
      [plan('2026-08-01T00:00:00'), '2026-06-03T10:00:00'],
    ]);
    // H0 甲 reported in 2025: outside the period (not counted as reported; not open: signed off)
    await hazard('甲', { source: 'inspection', article: 4, item: 1, categories: ['steel'] }, '2025-12-01T09:00:00', [
      [{ action: 'confirm' }, '2025-12-02T10:00:00'],
      [plan('2025-12-20T00:00:00'), '2025-12-03T10:00:00'],
      [submit, '2025-12-10T10:00:00'],
      [{ action: 'sign_off' }, '2025-12-11T10:00:00', REG_B],
    ]);
  });

  afterAll(() => services?.stop());

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
    const res = await getFile(h, `/reports/half-year?${period}&format=pdf`);
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
    // the hazard section: 5 reported, 4 confirmed, 2 of them signed off (H1 20 days, H2 10 days), H3 and H5 open, H3 overdue
    expect(text).toContain('九、重大事故隐患');
    const section = text.slice(text.indexOf('九、重大事故隐患'));
    const line = (label: string) => section.split('\n').find((l) => l.includes(label))?.replace(/\s+/g, ''); // pdftotext spaces vary
    expect(line('期内上报')).toMatch(/^期内上报5项/);
    expect(line('期内确认')).toMatch(/^期内确认4项/);
    expect(line('动态清零率')).toMatch(/^动态清零率50\.00%2\/4/);
    expect(line('确认至销号天数（中位数）')).toMatch(/^确认至销号天数（中位数）15\.0天期内销号2项/);
    expect(line('确认至销号天数（P90）')).toMatch(/^确认至销号天数（P90）20\.0天/);
    expect(line('期末未销号')).toMatch(/^期末未销号2项/);
    expect(line('期末逾期')).toMatch(/^期末逾期1项/);
    for (const expected of ['企业自查', '督导检查', '监管录入', '报警处置', '群众举报', '已销号', '不予认定', '第十一条', '第四条', '第五条', '第三条', '虎丘区（320505）'])
      expect(section).toContain(expected);
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
    const res = await getFile(h, `/reports/half-year?${period}&format=xlsx`);
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

    const hz = wb.getWorksheet('重大事故隐患')!;
    const hzRow = (name: string) => hz.getRows(1, hz.rowCount)!.find((r) => r.getCell(1).text === name)?.values as unknown[] | undefined;
    expect(hzRow('期内上报')).toEqual([undefined, '期内上报', 5, undefined, undefined, expect.any(String)]);
    expect(hzRow('动态清零率')).toEqual([undefined, '动态清零率', 0.5, 2, 4, expect.any(String)]);
    expect(hzRow('确认至销号天数（中位数）')?.slice(1, 5)).toEqual(['确认至销号天数（中位数）', 15, undefined, 2]);
    expect(hzRow('确认至销号天数（P90）')?.slice(1, 3)).toEqual(['确认至销号天数（P90）', 20]);
    expect(hzRow('期末未销号')?.slice(1, 3)).toEqual(['期末未销号', 2]);
    expect(hzRow('期末逾期')?.slice(1, 3)).toEqual(['期末逾期', 1]);
    const by = wb.getWorksheet('隐患分类统计')!;
    const counts = Object.fromEntries(by.getRows(2, by.rowCount - 1)!.map((r) => [`${r.getCell(1).text}:${r.getCell(3).text}`, r.getCell(4).value]));
    expect(counts).toEqual({
      '来源:self_check': 1, '来源:inspection': 1, '来源:regulator': 1, '来源:alarm': 1, '来源:report': 1,
      '期末状态:reported': 0, '期末状态:confirmed': 0, '期末状态:rejected': 1, '期末状态:rectifying': 2, '期末状态:submitted': 0, '期末状态:signed_off': 2,
      '判定依据:第三条': 1, '判定依据:第十一条': 2, '判定依据:第四条': 1, '判定依据:第五条': 1,
      '行业类别:aluminum_casting': 1, '行业类别:metal_dust': 1, '行业类别:steel': 2, '行业类别:wood_dust': 1,
      '区县:320505': 3, '区县:320506': 2,
    });
    // cells from names never start a formula
    for (const ws of [hz, by]) ws.eachRow((r) => r.eachCell((c) => expect(String(c.value ?? '')).not.toMatch(/^[=+\-@]/)));
  });

  // issue 14: a half-year report keeps the figures it was first generated with; regenerating is a new version
  it('the report shows its stored snapshot unchanged after new data arrives; an explicit regeneration is version 2', async () => {
    const xlsx = async (query: string) => {
      const res = await getFile(h, `/reports/half-year?${period}&format=xlsx${query}`);
      const wb = new Workbook();
      await wb.xlsx.load(res.body as unknown as ArrayBuffer);
      const kpis = wb.getWorksheet('主要指标')!;
      const figure = (name: string) => kpis.getRows(1, kpis.rowCount)!.find((r) => r.getCell(1).text === name)?.getCell(2).value;
      const hz = wb.getWorksheet('重大事故隐患')!;
      const hzFigure = (name: string) => hz.getRows(1, hz.rowCount)!.find((r) => r.getCell(1).text === name)?.getCell(2).value;
      return { version: res.headers['x-report-version'], disposal: figure('报警处置率'), online: figure('在线率（时间加权）'), hazards: hzFigure('期内上报'), clearance: hzFigure('动态清零率') };
    };
    const before = await xlsx('');
    expect(before).toEqual({ version: '1', disposal: 0.6667, online: 0.9972, hazards: 5, clearance: 0.5 });
    // new data: a yellow alarm raised in the period (never disposed), and 甲's missing day back-filled
    await raise('丁', 'r5', 'yellow', sh('2026-05-01T08:00:00'));
    await hourly('甲', sh('2026-01-31T22:00:00'), sh('2026-02-01T23:00:00'));
    // and a hazard confirmed in the period, still open: 6 reported, 2 of 5 confirmed signed off
    await hazard('丁', { source: 'inspection', article: 11, item: 10, categories: ['wood_dust'] }, '2026-06-10T09:00:00', [[{ action: 'confirm' }, '2026-06-11T10:00:00']]);
    expect((await api(h).get(`/kpi/alarms?${period}`)).body).toMatchObject({ raised: 4, disposalRate: 0.5 }); // the live KPI moved
    expect(await xlsx('')).toEqual(before); // the report did not
    const regenerated = await request(h.baseUrl).post(`/api/v1/reports/half-year/versions?${period}`).set('Authorization', `Bearer ${h.adminToken}`);
    expect(regenerated.status).toBe(201);
    expect(regenerated.body).toMatchObject({ regionCode: '3205', from: '2026-01-01', to: '2026-06-30', version: 2, generatedBy: 'admin' });
    const after = await xlsx('');
    expect(after).toEqual({ version: '2', disposal: 0.5, online: 1, hazards: 6, clearance: 0.4 });
    expect(await xlsx('&version=1')).toEqual(before);
    expect((await api(h).get(`/reports/half-year/versions?${period}`)).body.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    expect((await request(h.baseUrl).get(`/api/v1/reports/half-year?${period}&version=3`).set('Authorization', `Bearer ${h.adminToken}`)).status).toBe(404);
  });

  it('a version stored before reports carried hazard figures keeps its figures and says so, in the PDF and the XLSX', async () => {
    // as such a version was stored: the figures without `hazards`, for 2025's second half
    await h.ds.query(
      `INSERT INTO half_year_reports (region_key, period_from, period_to, version, figures, generated_at, generated_by, generated_by_name)
       SELECT region_key, '2025-07-01', '2025-12-31', 1, (figures - 'hazards') || '{"from": "2025-07-01", "to": "2025-12-31"}'::jsonb, generated_at, generated_by, generated_by_name
         FROM half_year_reports WHERE period_from = '2026-01-01' AND version = 1`,
    );
    const old = 'regionCode=3205&from=2025-07-01&to=2025-12-31';
    const xlsx = await getFile(h, `/reports/half-year?${old}&format=xlsx`);
    expect(xlsx.headers['x-report-version']).toBe('1');
    const wb = new Workbook();
    await wb.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    expect(wb.getWorksheet('重大事故隐患')!.getRow(2).getCell(1).text).toContain('尚未纳入重大事故隐患统计');
    expect(wb.getWorksheet('隐患分类统计')).toBeUndefined();
    const pdfRes = await getFile(h, `/reports/half-year?${old}&format=pdf`);
    const pdf = join(OUT, 'half-year-before-hazards.pdf');
    writeFileSync(pdf, pdfRes.body as Buffer);
    expect(execFileSync('pdftotext', [pdf, '-']).toString('utf8').replace(/\s+/g, '')).toContain('尚未纳入重大事故隐患统计');
    expect((await api(h).get(`/reports/half-year/versions?${old}`)).body).toHaveLength(1); // reading it stored nothing new
  });
});
