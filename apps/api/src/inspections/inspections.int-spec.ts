/**
 * Inspections (执法检查) over REST, docs/domain.md "The closed loop", against real parts:
 * PostgreSQL (own database), Debian's Mosquitto and a real influxd (the api needs both), the api
 * in-process, photos in a temporary EVIDENCE_DIR, the record PDF checked with poppler (pdftotext,
 * pdffonts, pdftoppm). Risk grades are inserted directly (the grading job is not part of this).
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evidenceImageFactory } from '@sw/hazards';
import { TestServices, testUscc } from '@sw/testing';
import request from 'supertest';
import { type AlarmSubject, api, type ApiHarness, raiseAlarm, seedSubject, startApiHarness, userToken } from '../testing/api-test.factory';

const OUT = join(__dirname, '../../../../tmp/inspection-record');

interface Pick {
  enterpriseId: string;
  team: { id: string; name: string; certificateNo: string }[];
  inspectionId: string | null;
}

describe('inspections REST', () => {
  let services: TestServices;
  let h: ApiHarness;
  let evidenceDir: string;
  let a: AlarmSubject; // 甲 (metal_dust) in 320505, graded red
  let b: AlarmSubject; // 乙 (steel) in 320505, no grade (未定级)
  let c: AlarmSubject; // 丙 (wood_dust) in 320506, graded blue
  let reg: string; // regulator of 3205
  let reg2: string; // a second regulator of 3205
  let entA: string;
  let entB: string;
  const inspectorIds: string[] = [];
  let related: string; // the inspector related to 甲
  let drawId: string;
  let inspectionA: string;

  const subject = (n: number, region: string, code: string, name: string, riskCategories: string[]) =>
    seedSubject(h, { n, uscc: testUscc(n), regionCode: region, gatewayCode: code, name, riskCategories });

  beforeAll(async () => {
    services = await TestServices.start('api_inspections', { mosquitto: true, influx: true });
    evidenceDir = await mkdtemp(join(tmpdir(), 'sw-inspection-photos-'));
    h = await startApiHarness(services, { EVIDENCE_DIR: evidenceDir });
    a = await subject(1, '320505', 'GW-A', '甲金属制品有限公司', ['metal_dust']);
    b = await subject(2, '320505', 'GW-B', '乙钢铁有限公司', ['steel']);
    c = await subject(3, '320506', 'GW-C', '丙木业有限公司', ['wood_dust']);
    // the grading job's table (docs/domain.md: levels set the draw weights and the frequency)
    await h.ds.query(`INSERT INTO enterprise_risk_grades (enterprise_id, day, level, score) VALUES ($1, '2026-11-01', 'yellow', 40), ($1, '2026-12-01', 'red', 85), ($2, '2026-12-01', 'blue', 10)`, [
      a.enterpriseId,
      c.enterpriseId,
    ]);
    reg = await userToken(h, { username: 'reg', role: 'regulator', regionCode: '3205' });
    reg2 = await userToken(h, { username: 'reg2', role: 'regulator', regionCode: '3205' });
    entA = await userToken(h, { username: 'ent-a', role: 'enterprise', enterpriseId: a.enterpriseId });
    entB = await userToken(h, { username: 'ent-b', role: 'enterprise', enterpriseId: b.enterpriseId });
  });

  afterAll(async () => {
    await services?.stop();
    if (evidenceDir) await rm(evidenceDir, { recursive: true, force: true });
  });

  it('keeps an inspector pool per region with certificate numbers and conflicts of interest', async () => {
    const names = ['王明', '李华', '张伟', '赵敏', '陈静'];
    for (const [i, name] of names.entries()) {
      const res = await api(h, reg).post('/inspectors', { regionCode: '3205', name, certificateNo: `32050${i}2026`, relatedEnterpriseIds: i === 0 ? [a.enterpriseId] : [] });
      expect(res.status).toBe(201);
      inspectorIds.push(res.body.id);
    }
    related = inspectorIds[0]!;
    const off = await api(h, reg).post('/inspectors', { regionCode: '320505', name: '停用人员', certificateNo: 'OFF-0001', active: false });
    expect(off.body.active).toBe(false);
    const list = await api(h, reg).get('/inspectors');
    expect(list.body).toHaveLength(6);
    expect(list.body.find((i: { id: string }) => i.id === related).relatedEnterpriseIds).toEqual([a.enterpriseId]);
    expect((await api(h, entA).get('/inspectors')).status).toBe(403);
    // docs/contracts.md §4 "Scope": a region named outside the caller's is 403 on every call (was 404 here only)
    const outside = await api(h, reg).post('/inspectors', { regionCode: '3206', name: '外区', certificateNo: 'X-32060001' });
    expect(outside.status).toBe(403);
    expect(outside.body).toEqual({ statusCode: 403, error: 'Forbidden', message: 'region 3206 is outside your region' });
  });

  it('keeps a yearly plan per region with targets per level', async () => {
    const put = await api(h, reg).put('/inspection-plans', { regionCode: '3205', year: 2026, targets: { red: 12, orange: 8, yellow: 4, blue: 2 }, note: '2026 年度执法检查计划' });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ regionCode: '3205', year: 2026, targets: { red: 12 }, done: { red: 0 } });
  });

  // docs/domain.md "The closed loop": a recorded seed over a recorded candidate list; anyone can replay
  it('draws enterprises by weight with teams of two, stores seed and list, and the replay matches', async () => {
    const res = await api(h, reg).post('/draws', { regionCode: '3205', n: 3, m: 2, seed: 'int-spec-seed-0001' });
    expect(res.status).toBe(201);
    drawId = res.body.id;
    expect(res.body.seed).toBe('int-spec-seed-0001');
    const weights = Object.fromEntries(res.body.candidates.map((x: { enterpriseId: string; weight: number; level: string; graded: boolean }) => [x.enterpriseId, [x.level, x.graded, x.weight]]));
    expect(weights).toEqual({ [a.enterpriseId]: ['red', true, 4], [b.enterpriseId]: ['yellow', false, 2], [c.enterpriseId]: ['blue', true, 1] });
    expect(res.body.picks).toHaveLength(3);
    for (const p of res.body.picks as Pick[]) {
      expect(p.team).toHaveLength(2);
      expect(p.team.every((t) => t.certificateNo)).toBe(true);
      expect(p.inspectionId).not.toBeNull();
    }
    const replay = await api(h, reg2).post(`/draws/${drawId}/replay`);
    expect([replay.status, replay.body.matches]).toEqual([200, true]);
    // a stored result that was changed no longer matches
    const other = await api(h, reg).post('/draws', { regionCode: '3205', n: 1, m: 2 });
    await h.ds.query(`UPDATE inspection_draws SET result = jsonb_set(result, '{picks,0,team}', '["${inspectorIds[1]}", "${inspectorIds[2]}", "${inspectorIds[3]}"]') WHERE id = $1`, [other.body.id]);
    expect((await api(h, reg).post(`/draws/${other.body.id}/replay`)).body.matches).toBe(false);
  });

  it('never draws an inspector for an enterprise they are related to', async () => {
    for (let s = 0; s < 8; s++) {
      const res = await api(h, reg).post('/draws', { regionCode: '320505', n: 2, m: 2, seed: `conflict-seed-${s}` });
      const forA = (res.body.picks as Pick[]).find((p) => p.enterpriseId === a.enterpriseId);
      expect(forA?.team.map((t) => t.id)).not.toContain(related);
    }
  });

  it('does not show a draw to an enterprise user, nor another enterprise’s inspection', async () => {
    expect([403, 404]).toContain((await api(h, entA).get(`/draws/${drawId}`)).status);
    expect([403, 404]).toContain((await api(h, entA).post(`/draws/${drawId}/replay`)).status);
    expect((await api(h, entA).get('/draws')).status).toBe(403);
    const draw = await api(h, reg).get(`/draws/${drawId}`);
    const pickA = (draw.body.picks as Pick[]).find((p) => p.enterpriseId === a.enterpriseId)!;
    const pickB = (draw.body.picks as Pick[]).find((p) => p.enterpriseId === b.enterpriseId)!;
    inspectionA = pickA.inspectionId!;
    expect((await api(h, entA).get(`/inspections/${inspectionA}`)).status).toBe(200);
    expect((await api(h, entB).get(`/inspections/${inspectionA}`)).status).toBe(404);
    expect((await api(h, entA).get(`/inspections/${pickB.inspectionId}`)).status).toBe(404);
    const own = await api(h, entA).get('/inspections');
    expect(own.body.items.every((i: { enterpriseId: string }) => i.enterpriseId === a.enterpriseId)).toBe(true);
  });

  // docs/domain.md "The closed loop": draw → visit with two inspectors → findings → 责令整改 → 复查
  it('records the visit, a major finding as a confirmed hazard, a general one, the order, the 复查 and a penalty', async () => {
    const task = await api(h, reg).get(`/inspections/${inspectionA}`);
    expect(task.body).toMatchObject({ mode: 'double_random', status: 'planned', enterpriseName: '甲金属制品有限公司' });
    expect(task.body.checklist.some((i: { article: number }) => i.article === 11)).toBe(true); // 粉尘涉爆 items for metal_dust
    expect(task.body.checklist.some((i: { article: number }) => i.article === 4)).toBe(false); // no 冶金 items
    const team = (task.body.inspectors as { id: string }[]).map((i) => i.id);
    const items = task.body.checklist as { id: number; article: number; item: number | null }[];
    const dustItem = items.find((i) => i.article === 11)!;
    const checklist = items.map((i) => ({ id: i.id, result: i.id === dustItem.id ? 'finding' : 'compliant', ...(i.id === dustItem.id && { note: '除尘系统未设泄爆装置' }) }));

    const withRelated = await api(h, reg).post(`/inspections/${inspectionA}/record`, { visitDate: '2026-12-03', inspectorIds: [related, team[0]], checklist });
    expect([withRelated.status, withRelated.body.code]).toEqual([409, 'conflict_of_interest']);
    const alone = await api(h, reg).post(`/inspections/${inspectionA}/record`, { visitDate: '2026-12-03', inspectorIds: [team[0]], checklist });
    expect(alone.status).toBe(400);

    const recorded = await api(h, reg).post(`/inspections/${inspectionA}/record`, { visitDate: '2026-12-03', inspectorIds: team, checklist, summary: '现场检查除尘系统和作业场所' });
    expect([recorded.status, recorded.body.status]).toEqual([200, 'recorded']);
    expect(recorded.body.inspectors).toHaveLength(2);

    const photo = await request(h.baseUrl)
      .post(`/api/v1/inspections/${inspectionA}/photos`)
      .set('Authorization', `Bearer ${reg}`)
      .field('checklistItemId', String(dustItem.id))
      .attach('photos', Buffer.from(evidenceImageFactory.jpegWithExif()), { filename: 'site.jpg', contentType: 'image/jpeg' });
    expect([photo.status, photo.body.photos.length]).toEqual([200, 1]);
    const bytes = await request(h.baseUrl).get(photo.body.photos[0].url).set('Authorization', `Bearer ${entA}`).buffer(true);
    expect(evidenceImageFactory.containsAscii(new Uint8Array(bytes.body as Buffer), 'GPS')).toBe(false);

    const major = await api(h, reg).post(`/inspections/${inspectionA}/findings`, { kind: 'major', article: dustItem.article, item: dustItem.item, description: '除尘系统未按规定设置泄爆装置', location: '抛光车间' });
    expect(major.status).toBe(200);
    const general = await api(h, reg).post(`/inspections/${inspectionA}/findings`, { kind: 'general', description: '安全培训记录不全' });
    expect(general.body.findings).toHaveLength(2);
    const hazardId = general.body.findings.find((f: { kind: string }) => f.kind === 'major').hazardId as string;
    expect(general.body.findings.find((f: { kind: string }) => f.kind === 'general').hazardId).toBeNull();
    // the register holds it as confirmed, source inspection, written through its own audited events
    const hazard = await api(h, reg).get(`/hazards/${hazardId}`);
    expect(hazard.body).toMatchObject({ source: 'inspection', status: 'confirmed', enterpriseId: a.enterpriseId, article: dustItem.article });
    expect(hazard.body.events.map((e: { event: string }) => e.event)).toEqual(['reported', 'confirmed']);
    const [link] = (await h.ds.query(`SELECT inspection_id FROM hazards WHERE id = $1`, [hazardId])) as { inspection_id: string }[];
    expect(link?.inspection_id).toBe(inspectionA);

    const order = await api(h, reg).post(`/inspections/${inspectionA}/order`, { number: '（苏园）应急责改〔2026〕15号', deadline: '2026-12-31', requirements: '加装泄爆装置，完善培训记录' });
    expect([order.status, order.body.status, order.body.order.status]).toEqual([200, 'rectifying', 'open']);
    expect((await api(h, entA).get(`/inspections/${inspectionA}`)).body.order.number).toBe('（苏园）应急责改〔2026〕15号'); // the enterprise sees its order
    const close = await api(h, reg).post(`/inspections/${inspectionA}/close`);
    expect([close.status, close.body.code]).toEqual([409, 'invalid_state']);

    const failed = await api(h, reg2).post(`/inspections/${inspectionA}/reinspection`, { visitDate: '2026-12-20', passed: false, note: '泄爆装置未安装' });
    expect([failed.status, failed.body.status]).toEqual([200, 'rectifying']);
    const passed = await api(h, reg2).post(`/inspections/${inspectionA}/reinspection`, { visitDate: '2026-12-30', passed: true, note: '已整改到位' });
    expect([passed.status, passed.body.status, passed.body.order.status]).toEqual([200, 'closed', 'closed']);
    expect(passed.body.reinspections.map((r: { passed: boolean }) => r.passed)).toEqual([false, true]);

    const penalty = await api(h, reg).post(`/inspections/${inspectionA}/penalty`, { legalBasis: '《中华人民共和国安全生产法》第一百零二条', amount: 50000, decisionNumber: '（苏园）应急罚〔2026〕8号', decidedOn: '2026-12-10' });
    expect([penalty.status, penalty.body.penalties[0].amount]).toEqual([200, 50000]);
    expect((await api(h, entA).post(`/inspections/${inspectionA}/penalty`, { legalBasis: 'x', amount: 1, decisionNumber: 'abc', decidedOn: '2026-12-10' })).status).toBe(403);

    // every change is one event and one audit row, written together
    const events = (await api(h, reg).get(`/inspections/${inspectionA}`)).body.events as { event: string }[];
    expect(events.map((e) => e.event)).toEqual(['planned', 'recorded', 'photos_added', 'finding_added', 'finding_added', 'order_issued', 'reinspected', 'reinspected', 'penalty_recorded']);
    const [audited] = (await h.ds.query(`SELECT count(*) AS n FROM audit_log WHERE target_type = 'inspection' AND target_id = $1 AND outcome = 'ok'`, [inspectionA])) as { n: string }[];
    expect(Number(audited?.n)).toBe(events.length);
    const [refused] = (await h.ds.query(`SELECT count(*) AS n FROM audit_log WHERE target_type = 'inspection' AND target_id = $1 AND outcome = 'rejected'`, [inspectionA])) as { n: string }[];
    expect(Number(refused?.n)).toBe(2); // the related inspector and the early close (the lone inspector is refused by the body's schema)
  });

  it('prints the record as a PDF with Chinese text in an embedded CJK font', async () => {
    const res = await request(h.baseUrl)
      .get(`/api/v1/inspections/${inspectionA}/record.pdf`)
      .set('Authorization', `Bearer ${entA}`)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (x: Buffer) => chunks.push(x));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect([res.status, res.headers['content-type']]).toEqual([200, 'application/pdf']);
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    const pdf = join(OUT, 'record.pdf');
    writeFileSync(pdf, res.body as Buffer);
    const text = execFileSync('pdftotext', ['-layout', pdf, '-']).toString('utf8');
    for (const expected of ['安全生产行政执法现场检查记录', '甲金属制品有限公司', '双随机', '2026-12-03', '重大事故隐患', '一般问题', '（苏园）应急责改〔2026〕15号', '复查 2026-12-30：合格', '（苏园）应急罚〔2026〕8号', '50000.00', '第十一条'])
      expect(text).toContain(expected);
    const fonts = execFileSync('pdffonts', [pdf]).toString('utf8');
    expect(fonts).toMatch(/WenQuanYi.*\byes\b/); // embedded
    execFileSync('pdftoppm', ['-png', '-r', '80', pdf, join(OUT, 'page')]);
    expect(readdirSync(OUT).filter((f) => f.endsWith('.png')).length).toBeGreaterThanOrEqual(1);
  });

  it('leaves an enterprise inspected within K days out of the next draw and lists the due enterprises', async () => {
    const res = await api(h, reg).post('/draws', { regionCode: '320505', n: 2, m: 2, excludeDays: 3650 });
    expect(res.body.excluded).toEqual([{ enterpriseId: a.enterpriseId, reason: 'recently_inspected', lastInspectedOn: '2026-12-03' }]);
    expect((res.body.picks as Pick[]).map((p) => p.enterpriseId)).toEqual([b.enterpriseId]);
    // red: monthly after 2026-12-03; 乙 was never inspected (due at once, counted as yellow); 丙 blue never inspected
    const due = await api(h, reg).get('/inspections/due?regionCode=3205&asOf=2027-01-10');
    const byId = Object.fromEntries(due.body.items.map((d: { enterpriseId: string }) => [d.enterpriseId, d]));
    expect(byId[a.enterpriseId]).toMatchObject({ level: 'red', nextDueOn: '2027-01-03', status: 'overdue', daysOverdue: 7 });
    expect(byId[b.enterpriseId]).toMatchObject({ level: 'yellow', graded: false, status: 'due' });
    expect(byId[c.enterpriseId]).toMatchObject({ level: 'blue', status: 'due' });
    const early = await api(h, reg).get('/inspections/due?regionCode=3205&asOf=2026-12-05');
    expect(early.body.items.map((d: { enterpriseId: string }) => d.enterpriseId)).not.toContain(a.enterpriseId);
    expect((await api(h, entA).get('/inspections/due')).status).toBe(403);
  });

  it('opens an online patrol from an alarm as an inspection task of its enterprise', async () => {
    const alarm = await raiseAlarm(h.store, a, { tier: 'red', value: 400 });
    const res = await api(h, reg).post('/inspections', { mode: 'online_patrol', alarmId: alarm.id });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ mode: 'online_patrol', status: 'planned', enterpriseId: a.enterpriseId, alarmId: alarm.id });
    const fromPage = await api(h, reg).post('/inspections', { mode: 'online_patrol', enterpriseId: c.enterpriseId, subject: '在线巡查：除尘系统数据中断' });
    expect(fromPage.status).toBe(201);
    expect((await api(h, entA).post('/inspections', { mode: 'online_patrol', enterpriseId: a.enterpriseId })).status).toBe(403);
  });

  it('puts the inspection endpoints in the OpenAPI document', async () => {
    const doc = (await request(h.baseUrl).get('/docs-json')).body as { paths: Record<string, unknown> };
    for (const path of ['/api/v1/inspections', '/api/v1/inspections/due', '/api/v1/inspections/{id}', '/api/v1/inspections/{id}/record.pdf', '/api/v1/inspections/{id}/findings', '/api/v1/inspectors', '/api/v1/inspection-plans', '/api/v1/draws', '/api/v1/draws/{id}/replay'])
      expect([path, path in doc.paths]).toEqual([path, true]);
  });
});
