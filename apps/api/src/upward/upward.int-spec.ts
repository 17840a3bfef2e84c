/**
 * Upward reporting (docs/domain.md "The closed loop", Upward; issue 16 items 1, 2): real PostgreSQL
 * (own database), influxd and Debian's Mosquitto on their own ports, the api in-process. The
 * snapshot XLSX is read back with exceljs; the summary's DOCX is unzipped (word/document.xml) and
 * its PDF checked with poppler (pdftotext, pdftoppm). Files land in tmp/upward/ for a person to look at.
 */
import 'reflect-metadata';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestServices, testUscc } from '@sw/testing';
import { Workbook } from 'exceljs';
import request from 'supertest';
import { api, type ApiHarness, binaryBody, raiseAlarm, startApiHarness, userToken } from '../testing/api-test.factory';
import { UPWARD_CLOCK, type UpwardClock } from './upward-reminder-status.service';

const OUT = join(__dirname, '../../../../tmp/upward');

describe('upward: ledger snapshots and the half-year work summary', () => {
  let services: TestServices;
  let h: ApiHarness;
  let regulator: string;
  let otherRegulator: string;
  const ids: Record<string, string> = {};

  const enterprise = async (key: string, n: number, body: object, since: string) => {
    const res = await api(h).post('/enterprises', { name: `${key}金属制品有限公司`, uscc: testUscc(600 + n), regionCode: '320505', riskCategories: ['metal_dust'], dustWorkers: 40, employees: 80, ...body });
    expect(res.status).toBe(201);
    await h.ds.query(`UPDATE enterprise_status_changes SET effective_date = $2 WHERE enterprise_id = $1`, [res.body.id, since]);
    ids[key] = res.body.id as string;
    return res.body.id as string;
  };
  const status = (key: string, s: string, effectiveDate: string) => api(h).patch(`/enterprises/${ids[key]}`, { status: s, effectiveDate }).expect(200);
  const download = (path: string, token = regulator) => api(h, token).get(path).buffer(true).parse(binaryBody);

  beforeAll(async () => {
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    services = await TestServices.start('api_upward', { mosquitto: true, influx: { databases: ['safety_watch'] } });
    h = await startApiHarness(services);
    regulator = await userToken(h, { username: 'reg-huqiu', role: 'regulator', regionCode: '320505' });
    otherRegulator = await userToken(h, { username: 'reg-wuzhong', role: 'regulator', regionCode: '320506' });
    // the ledger as submitted at the end of 2025: 甲 乙 丙 丁, operating since 2025-01-01
    await enterprise('甲', 1, { address: '=HYPERLINK("http://x","点我")', principalName: '张一', principalPhone: '13800000001' }, '2025-01-01');
    await h.ds.query(`UPDATE enterprise_personnel_history SET effective_date = '2025-01-01' WHERE enterprise_id = $1`, [ids['甲']]);
    await enterprise('乙', 2, {}, '2025-01-01');
    await enterprise('丙', 3, {}, '2025-01-01');
    await enterprise('丁', 4, {}, '2025-01-01');
  });

  afterAll(() => services?.stop());

  let first: { id: string; diff: { added: unknown[] } };
  let second: { id: string; diff: Record<string, unknown>; enterprises: number };

  it('freezes the ledger of a region as of a day and submits it once (who, when, SHA-256)', async () => {
    const res = await api(h, regulator).post('/upward/ledger-snapshots', { asOf: '2025-12-31' });
    expect(res.status).toBe(201);
    first = res.body;
    expect(res.body).toMatchObject({ regionCode: '320505', asOf: '2025-12-31', enterprises: 4, submission: null, previousId: null });
    expect(first.diff.added).toHaveLength(4); // a region's first submission: everything is new

    const submitted = await api(h, regulator).post(`/upward/ledger-snapshots/${first.id}/submit`);
    expect(submitted.status).toBe(201);
    expect(submitted.body.submission).toMatchObject({ submittedBy: 'reg-huqiu', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect((await api(h, regulator).post(`/upward/ledger-snapshots/${first.id}/submit`)).status).toBe(409);
    // the file downloaded later is the one submitted
    const file = await download(`/upward/ledger-snapshots/${first.id}/export`);
    expect(createHash('sha256').update(file.body as Buffer).digest('hex')).toBe(submitted.body.submission.sha256);
  });

  // docs/domain.md "The closed loop" (Upward): with what changed since the last one
  it('a snapshot half a year later shows exactly the constructed changes against the previous submission', async () => {
    await enterprise('戊', 5, {}, '2026-03-01'); // new in the half year
    await status('乙', 'closed', '2026-04-01'); // 关停
    await api(h).patch(`/enterprises/${ids['丙']}`, { employees: 95, dustWorkers: 31 }).expect(200);
    await status('丁', 'suspended', '2026-05-01');
    await enterprise('己', 6, {}, '2026-07-15'); // registered after the day: not in the snapshot
    await status('甲', 'suspended', '2026-08-01'); // after the day: 甲 still operating on 2026-06-30
    await api(h).patch(`/enterprises/${ids['甲']}`, { principalName: '王二', principalPhone: '13800000002' }).expect(200); // effective today: after the day

    const res = await api(h, regulator).post('/upward/ledger-snapshots', { asOf: '2026-06-30' });
    expect(res.status).toBe(201);
    second = res.body;
    expect(second.enterprises).toBe(5);
    // the people as of the day, from the personnel history
    const records = (res.body as { records: { name: string; principalName: string | null; principalPhone: string | null }[] }).records;
    expect(records.find((r) => r.name === '甲金属制品有限公司')).toMatchObject({ principalName: '张一', principalPhone: '13800000001' });
    const who = (key: string) => ({ id: ids[key], uscc: testUscc(600 + '甲乙丙丁戊己'.indexOf(key) + 1), name: `${key}金属制品有限公司`, regionCode: '320505' });
    expect(second.diff).toEqual({
      previous: { snapshotId: first.id, asOf: '2025-12-31', submittedAt: expect.any(String) },
      added: [who('戊')],
      closed: [{ ...who('乙'), statusSince: '2026-04-01' }],
      removed: [],
      changed: [
        { ...who('丙'), fields: [{ field: 'employees', label: '从业人数', old: '80', new: '95' }, { field: 'dustWorkers', label: '涉粉作业人数', old: '40', new: '31' }] },
        { ...who('丁'), fields: [{ field: 'status', label: '经营状态', old: '在产', new: '停产' }, { field: 'statusSince', label: '状态生效日期', old: '2025-01-01', new: '2026-05-01' }] },
      ].sort((a, b) => (a.uscc < b.uscc ? -1 : 1)),
    });
  });

  it('exports the snapshot in the city bureau layout that exceljs reads back with the same figures, no cell a formula', async () => {
    const res = await download(`/upward/ledger-snapshots/${second.id}/export`);
    expect(res.status).toBe(200);
    writeFileSync(join(OUT, 'ledger-snapshot.xlsx'), res.body as Buffer);
    const wb = new Workbook();
    await wb.xlsx.load(res.body as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['企业台账', '变更情况', '报送说明']);
    const ledger = wb.getWorksheet('企业台账');
    const header = (ledger?.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 4)).toEqual(['序号', '企业名称', '统一社会信用代码', '行政区划代码']);
    const col = (name: string) => header.indexOf(name) + 1;
    const rows = Array.from({ length: (ledger?.rowCount ?? 1) - 1 }, (_, i) => ledger?.getRow(i + 2));
    expect(rows).toHaveLength(5);
    const byName = new Map(rows.map((r) => [r?.getCell(col('企业名称')).text, r]));
    expect(byName.get('丙金属制品有限公司')?.getCell(col('从业人数')).text).toBe('95');
    expect(byName.get('乙金属制品有限公司')?.getCell(col('经营状态')).text).toBe('关停');
    expect(byName.get('甲金属制品有限公司')?.getCell(col('经营状态')).text).toBe('在产');
    expect(byName.get('甲金属制品有限公司')?.getCell(col('详细地址')).text).toBe(`'=HYPERLINK("http://x","点我")`);
    const changes = wb.getWorksheet('变更情况');
    const changeRows = Array.from({ length: (changes?.rowCount ?? 1) - 1 }, (_, i) => (changes?.getRow(i + 2).values as unknown[]).slice(1));
    expect(changeRows.map((r) => r[0]).sort()).toEqual(['关停', '变更', '变更', '变更', '变更', '新增'].sort());
    expect(changeRows).toContainEqual(['变更', '丙金属制品有限公司', testUscc(603), '320505', '从业人数', '80', '95']);
    const about = wb.getWorksheet('报送说明');
    expect(about?.getRow(4).getCell(2).text).toBe('5');
    // docs/contracts.md §4: cells never start with = + - @
    for (const sheet of wb.worksheets)
      sheet.eachRow((row) => row.eachCell((cell) => expect(typeof cell.value === 'string' ? /^[=+\-@]/.test(cell.value) : false).toBe(false)));
  });

  it('keeps snapshots immutable and scoped by region', async () => {
    await expect(h.ds.query(`UPDATE ledger_snapshots SET as_of = '2020-01-01' WHERE id = $1`, [second.id])).rejects.toThrow(/immutable/);
    expect((await api(h, otherRegulator).get(`/upward/ledger-snapshots/${second.id}`)).status).toBe(404);
    expect((await api(h, otherRegulator).post('/upward/ledger-snapshots', { regionCode: '320505' })).status).toBe(403);
    expect((await api(h).post('/upward/ledger-snapshots', {})).status).toBe(400); // an admin names the region
    expect((await api(h, regulator).post('/upward/ledger-snapshots', { asOf: '2999-01-01' })).status).toBe(400);
    const list = await api(h, regulator).get('/upward/ledger-snapshots');
    expect(list.body.map((s: { id: string }) => s.id)).toEqual([second.id, first.id]);
    expect((await api(h, otherRegulator).get('/upward/ledger-snapshots')).body).toEqual([]);
    const audit = await h.ds.query(`SELECT action, outcome FROM audit_log WHERE action LIKE 'ledger_snapshot.%' ORDER BY id`);
    expect(audit.map((a: { action: string }) => a.action)).toEqual(expect.arrayContaining(['ledger_snapshot.create', 'ledger_snapshot.submit', 'ledger_snapshot.export']));
  });

  describe('the half-year work summary', () => {
    const H2 = { from: '2026-07-01', to: '2026-12-31' };
    let summary: { id: string; revision: number; status: string; figures: Record<string, Record<string, unknown>>; sections: { key: string; title: string; rows: [string, string][]; note: string | null; narrative: string }[] };

    beforeAll(async () => {
      // a red alarm in the period, a confirmed hazard, public reports and risk grades
      const gw = await api(h).post(`/enterprises/${ids['丙']}/gateways`, { code: 'GW-UP1' });
      const pt = await api(h).post(`/gateways/${gw.body.id}/points`, { code: 'CO-01', type: 'co', name: '一氧化碳', mandatory: true });
      await raiseAlarm(h.store, { enterpriseId: ids['丙'] as string, gatewayId: gw.body.id, pointId: pt.body.id, regionCode: '320505' }, { tier: 'red' });
      const hazard = await api(h, regulator).post('/hazards', { source: 'inspection', enterpriseId: ids['丙'], article: 11, item: 3, description: '除尘系统未设泄爆装置' });
      expect(hazard.status).toBe(201);
      expect((await api(h, regulator).post(`/hazards/${hazard.body.id}/confirm`, {})).status).toBe(200);
      const report = (n: number, st: string, region: string | null) =>
        h.ds.query(`INSERT INTO public_reports (id, code_hash, status, enterprise_name, description, region_code, created_at, updated_at) VALUES (gen_random_uuid(), $1, $2, '某企业', '粉尘', $3, now(), now())`, [
          createHash('sha256').update(String(n)).digest('hex'),
          st,
          region,
        ]);
      await report(1, 'confirmed', '320505');
      await report(2, 'unfounded', '320505');
      await report(3, 'received', '320505');
      await report(4, 'received', null);
      await report(5, 'confirmed', '320506'); // another region
      const grade = (key: string, level: string) => h.ds.query(`INSERT INTO enterprise_risk_grades (enterprise_id, day, level, score) VALUES ($1, '2026-11-01', $2, 50)`, [ids[key], level]);
      await grade('甲', 'red');
      await grade('丙', 'yellow');
      await grade('丁', 'blue');
    });

    it('opens a draft whose figures equal the stored KPI report snapshot, with the six sections', async () => {
      const res = await api(h, regulator).post('/upward/summaries', H2);
      expect(res.status).toBe(201);
      summary = res.body;
      expect(summary.status).toBe('draft');
      expect(summary.sections.map((s) => s.key)).toEqual(['ledger', 'monitoring', 'alarms', 'hazards', 'enforcement', 'reports']);
      const [stored] = (await h.ds.query(`SELECT version, figures FROM half_year_reports WHERE region_key = '320505' AND period_from = '2026-07-01'`)) as [{ version: number; figures: Record<string, Record<string, unknown>> }];
      const kpi = stored.figures;
      const f = summary.figures;
      expect(f['kpiReport']).toEqual({ version: stored.version, generatedAt: kpi['generatedAt'] as unknown as string });
      expect(f['connection']).toMatchObject({ rate: kpi['connection']?.['connectionRate'], inScope: kpi['connection']?.['inScope'], connected: kpi['connection']?.['connected'], previousRate: null, change: null });
      expect(f['alarms']).toMatchObject({ raised: kpi['alarms']?.['raised'], disposalRate: kpi['alarms']?.['disposalRate'], byTier: kpi['tiers'] });
      expect(f['alarms']?.['byTier']).toEqual({ red: 1, orange: 0, yellow: 0, blue: 0 });
      expect(f['hazards']).toMatchObject({ reported: 1, confirmed: 1, signedOff: 0, clearanceRate: 0, open: 1 });
      expect(f['reports']).toEqual({ received: 3, substantiated: 1, unfounded: 1, open: 1, unattributed: 1 });
      expect(f['ledger']).toMatchObject({ enterprises: 6, riskLevels: { red: 1, orange: 0, yellow: 1, blue: 1 }, riskDay: '2026-11-01' });
      // no site visit yet in the period
      expect(f['inspections']).toEqual({ available: true, total: 0, byMode: {} });
      expect(summary.sections.find((s) => s.key === 'enforcement')?.note).toBeNull();
      // the same summary again
      expect((await api(h, regulator).post('/upward/summaries', H2)).body.id).toBe(summary.id);
      expect((await api(h, regulator).post('/upward/summaries', { from: '2026-07-01', to: '2026-11-30' })).status).toBe(400);
    });

    it('counts the site visits carried out in the period by mode (not planned or cancelled ones, nor other periods or regions)', async () => {
      await h.ds.query(
        `INSERT INTO inspections (id, enterprise_id, region_code, mode, visit_date, status) VALUES
           (gen_random_uuid(), $1, '320505', 'double_random', '2026-08-01', 'closed'), (gen_random_uuid(), $1, '320505', 'double_random', '2026-09-01', 'rectifying'),
           (gen_random_uuid(), $1, '320505', 'special', '2026-10-01', 'recorded'), (gen_random_uuid(), $1, '320505', 'special', '2026-03-01', 'closed'),
           (gen_random_uuid(), $1, '320505', 'four_no_two_direct', '2026-10-02', 'planned'), (gen_random_uuid(), $1, '320505', 'special', '2026-10-03', 'cancelled'),
           (gen_random_uuid(), $1, '320506', 'report', '2026-08-01', 'closed')`,
        [ids['丙']],
      );
      const res = await api(h, regulator).post(`/upward/summaries/${summary.id}/figures`);
      expect(res.status).toBe(201);
      expect(res.body.figures.inspections).toEqual({ available: true, total: 3, byMode: { double_random: 2, special: 1 } });
      expect(res.body.sections.find((s: { key: string }) => s.key === 'enforcement').rows).toContainEqual(['双随机', '2 次']);
      summary = res.body;
    });

    it('saves drafts, renders DOCX and PDF with the sections and figures, and refuses every change after finalizing', async () => {
      const saved = await api(h, regulator).put(`/upward/summaries/${summary.id}/narratives`, { narratives: { hazards: '本期开展除尘系统专项排查。' }, revision: summary.revision });
      expect(saved.status).toBe(200);
      expect(saved.body.sections.find((s: { key: string }) => s.key === 'hazards').narrative).toBe('本期开展除尘系统专项排查。');
      expect((await api(h, regulator).put(`/upward/summaries/${summary.id}/narratives`, { narratives: { ledger: 'x' }, revision: summary.revision })).status).toBe(409); // stale
      const fin = await api(h, regulator).post(`/upward/summaries/${summary.id}/finalize`, {});
      expect(fin.status).toBe(201);
      expect(fin.body).toMatchObject({ status: 'final', finalizedBy: 'reg-huqiu' });

      const edit = await api(h, regulator).put(`/upward/summaries/${summary.id}/narratives`, { narratives: { ledger: '改动' } });
      expect(edit.status).toBe(409);
      expect(edit.body.code).toBe('summary_final');
      expect((await api(h, regulator).post(`/upward/summaries/${summary.id}/finalize`, {})).status).toBe(409);
      expect((await api(h, regulator).post(`/upward/summaries/${summary.id}/figures`)).status).toBe(409);
      await expect(h.ds.query(`UPDATE work_summaries SET narratives = '{}' WHERE id = $1`, [summary.id])).rejects.toThrow(/never changes/);
      // a report regenerated later does not change the finalized summary
      await api(h, regulator).post('/reports/half-year/versions?regionCode=320505&from=2026-07-01&to=2026-12-31');
      expect((await api(h, regulator).get(`/upward/summaries/${summary.id}`)).body.figures).toEqual(fin.body.figures);

      const docx = await download(`/upward/summaries/${summary.id}/document?format=docx`);
      expect(docx.status).toBe(200);
      writeFileSync(join(OUT, 'summary.docx'), docx.body as Buffer);
      const xml = execFileSync('unzip', ['-p', join(OUT, 'summary.docx'), 'word/document.xml']).toString('utf8');
      for (const expected of ['一、摸清企业底数', '二、推进安全风险监测预警系统接入', '四、重大事故隐患排查整治和动态清零', '五、精准执法检查', '六、社会监督和举报查处', '动态清零率', '双随机', '2 次', '本期开展除尘系统专项排查。', '定稿'])
        expect(xml).toContain(expected);

      const pdf = await download(`/upward/summaries/${summary.id}/document?format=pdf`);
      expect(pdf.status).toBe(200);
      const file = join(OUT, 'summary.pdf');
      writeFileSync(file, pdf.body as Buffer);
      const text = execFileSync('pdftotext', ['-layout', file, '-']).toString('utf8');
      // pdftotext lays the table out with spaces: compare without them, label beside its figure
      const flat = text.replace(/\s+/g, '');
      for (const expected of ['半年工作总结', '三、监测预警报警处置', '红色（一级）报警1条', '收到举报3件', '双随机2次', '动态清零率0.00%', '本期开展除尘系统专项排查。']) expect(flat).toContain(expected);
      expect(execFileSync('pdffonts', [file]).toString('utf8')).toMatch(/WenQuanYi/);
      execFileSync('pdftoppm', ['-png', '-r', '60', file, join(OUT, 'summary')]);
      expect(readdirSync(OUT).filter((f) => f.startsWith('summary') && f.endsWith('.png')).length).toBeGreaterThanOrEqual(1);
    });
  });

  it('shows the reminder banner in the 10 days before a due day until the ledger is submitted and the summary finalized', async () => {
    const clock = h.app.get<UpwardClock>(UPWARD_CLOCK);
    const real = clock.now;
    try {
      clock.now = () => Date.parse('2026-06-20T10:00:00+08:00');
      expect((await api(h, regulator).get('/upward/reminder')).body).toMatchObject({ today: '2026-06-20', due: null, show: false });
      clock.now = () => Date.parse('2026-06-01T10:00:00+08:00');
      // H1 2026: the ledger was submitted (as of 2025-12-31 is H2 2025; 2026-06-30 is not submitted yet), no summary
      expect((await api(h, regulator).get('/upward/reminder')).body).toMatchObject({ due: { dueDate: '2026-06-04', daysLeft: 3 }, ledgerSubmitted: false, summaryFinalized: false, show: true });
      await api(h, regulator).post(`/upward/ledger-snapshots/${second.id}/submit`).expect(201);
      expect((await api(h, regulator).get('/upward/reminder')).body).toMatchObject({ ledgerSubmitted: true, show: true });
      clock.now = () => Date.parse('2026-12-01T10:00:00+08:00');
      // H2 2026: summary final, ledger not yet submitted
      expect((await api(h, regulator).get('/upward/reminder')).body).toMatchObject({ due: { dueDate: '2026-12-04' }, ledgerSubmitted: false, summaryFinalized: true, show: true });
    } finally {
      clock.now = real;
    }
  });

  it('lists the upward calls in the OpenAPI document', async () => {
    const doc = (await request(h.baseUrl).get('/docs-json')).body as { paths: Record<string, unknown> };
    for (const path of ['/api/v1/upward/ledger-snapshots', '/api/v1/upward/ledger-snapshots/{id}', '/api/v1/upward/ledger-snapshots/{id}/export', '/api/v1/upward/ledger-snapshots/{id}/submit', '/api/v1/upward/summaries', '/api/v1/upward/summaries/{id}/narratives', '/api/v1/upward/summaries/{id}/finalize', '/api/v1/upward/summaries/{id}/document', '/api/v1/upward/reminder'])
      expect(doc.paths).toHaveProperty([path]);
  });
});
