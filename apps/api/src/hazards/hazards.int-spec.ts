/**
 * The major-hazard register over REST (docs/domain.md "The closed loop") against real parts:
 * PostgreSQL (own database), Debian's Mosquitto (own port), a real influxd, the api in-process,
 * evidence photos written to a temporary EVIDENCE_DIR. Alarms are raised the way alerting does.
 */
import 'reflect-metadata';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evidenceImageFactory, RISK_CATEGORY_CODES } from '@sw/hazards';
import { RISK_CATEGORIES } from '@sw/persistence';
import { TestServices, testUscc } from '@sw/testing';
import request from 'supertest';
import { type AlarmSubject, api, type ApiHarness, raiseAlarm, seedSubject, startApiHarness, userToken } from '../testing/api-test.factory';

const { jpegWithExif, pngWithMetadata, webpWithExif, containsAscii } = evidenceImageFactory;

describe('hazards REST', () => {
  let services: TestServices;
  let h: ApiHarness;
  let evidenceDir: string;
  let a: AlarmSubject; // enterprise A (steel, metal_dust) in 320505
  let b: AlarmSubject; // enterprise B (wood_dust) in 320506
  let reg1: string; // regulators of 3205
  let reg2: string;
  let reg0506: string; // a regulator of 320506 only
  let entA: string;
  let entB: string;

  const subject = (n: number, region: string, code: string, riskCategories: string[]) => seedSubject(h, { n, uscc: testUscc(n), regionCode: region, gatewayCode: code, riskCategories });

  /** Multipart evidence: text plus photos. */
  function evidence(token: string, id: string, text: string, photos: { name: string; bytes: Uint8Array; type?: string }[]) {
    let req = request(h.baseUrl).post(`/api/v1/hazards/${id}/evidence`).set('Authorization', `Bearer ${token}`).field('text', text);
    for (const p of photos) req = req.attach('photos', Buffer.from(p.bytes), { filename: p.name, contentType: p.type ?? 'image/jpeg' });
    return req;
  }

  const files = async (): Promise<string[]> => {
    const dirs = await readdir(evidenceDir).catch(() => [] as string[]);
    return (await Promise.all(dirs.map(async (d) => (await readdir(join(evidenceDir, d))).map((f) => `${d}/${f}`)))).flat().sort();
  };
  const future = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

  /**
   * The whole life after `reported`: confirm, plan, evidence, return, evidence again, sign-off by
   * the confirmer refused (409), sign-off by someone else. Answers the signed-off hazard.
   */
  async function walk(id: string, who: { confirmer: string; signer: string; enterprise: string }) {
    const confirmed = await api(h, who.confirmer).post(`/hazards/${id}/confirm`, { comment: '属实' });
    expect([confirmed.status, confirmed.body.status]).toEqual([200, 'confirmed']);
    const planned = await api(h, who.enterprise).post(`/hazards/${id}/plan`, { measures: '加装泄爆装置', funds: 30000, responsible: '李四', deadline: future(30) });
    expect([planned.status, planned.body.status, planned.body.overdue]).toEqual([200, 'rectifying', false]);
    const first = await evidence(who.enterprise, id, '已整改，见照片', [{ name: 'site.jpg', bytes: jpegWithExif() }]);
    expect([first.status, first.body.status]).toEqual([200, 'submitted']);
    const returned = await api(h, who.signer).post(`/hazards/${id}/return`, { reason: '照片未显示泄爆口' });
    expect([returned.status, returned.body.status, returned.body.returns]).toEqual([200, 'rectifying', 1]);
    const second = await evidence(who.enterprise, id, '补充照片', [
      { name: 'vent.png', bytes: pngWithMetadata(), type: 'image/png' },
      { name: 'vent.webp', bytes: webpWithExif(), type: 'image/webp' },
    ]);
    expect([second.status, second.body.status]).toEqual([200, 'submitted']);
    // docs/domain.md: 销号 by a regulator other than the one who confirmed it
    const bySame = await api(h, who.confirmer).post(`/hazards/${id}/sign-off`);
    expect([bySame.status, bySame.body.code]).toEqual([409, 'same_confirmer']);
    const refusedRows: { action: string; data: { code: string } }[] = await h.ds.query(`SELECT action, data FROM audit_log WHERE target_id = $1 AND outcome = 'rejected'`, [id]);
    expect(refusedRows).toContainEqual(expect.objectContaining({ action: 'hazard.sign_off', data: expect.objectContaining({ code: 'same_confirmer' }) }));
    const signed = await api(h, who.signer).post(`/hazards/${id}/sign-off`, { comment: '复查合格' });
    expect([signed.status, signed.body.status]).toEqual([200, 'signed_off']);
    const detail = await api(h, who.enterprise).get(`/hazards/${id}`);
    expect(detail.body.events.map((e: { event: string; from: string | null; to: string }) => [e.event, e.from, e.to])).toEqual([
      ['reported', null, 'reported'],
      ['confirmed', 'reported', 'confirmed'],
      ['planned', 'confirmed', 'rectifying'],
      ['submitted', 'rectifying', 'submitted'],
      ['returned', 'submitted', 'rectifying'],
      ['submitted', 'rectifying', 'submitted'],
      ['signed_off', 'submitted', 'signed_off'],
    ]);
    expect(detail.body.events[4]).toMatchObject({ reason: '照片未显示泄爆口' });
    expect(detail.body.photos).toHaveLength(3);
    // every transition is one event and one audit row, written together
    const audited: { n: string }[] = await h.ds.query(`SELECT count(*) AS n FROM audit_log WHERE target_type = 'hazard' AND target_id = $1 AND outcome = 'ok'`, [id]);
    expect(Number(audited[0]!.n)).toBe(7);
    return detail.body;
  }

  beforeAll(async () => {
    services = await TestServices.start('api_hazards', { mosquitto: true, influx: true });
    evidenceDir = await mkdtemp(join(tmpdir(), 'sw-evidence-'));
    h = await startApiHarness(services, { EVIDENCE_DIR: evidenceDir });
    a = await subject(1, '320505', 'GW-A', ['steel', 'metal_dust']);
    b = await subject(2, '320506', 'GW-B', ['wood_dust']);
    reg1 = await userToken(h, { username: 'reg1', role: 'regulator', regionCode: '3205' });
    reg2 = await userToken(h, { username: 'reg2', role: 'regulator', regionCode: '3205' });
    reg0506 = await userToken(h, { username: 'reg0506', role: 'regulator', regionCode: '320506' });
    entA = await userToken(h, { username: 'ent-a', role: 'enterprise', enterpriseId: a.enterpriseId });
    entB = await userToken(h, { username: 'ent-b', role: 'enterprise', enterpriseId: b.enterpriseId });
  });

  afterAll(async () => {
    await services?.stop();
    if (evidenceDir) await rm(evidenceDir, { recursive: true, force: true });
  });

  it('the catalogue uses the platform’s category codes and narrows by category', async () => {
    expect([...RISK_CATEGORY_CODES]).toEqual([...RISK_CATEGORIES]);
    const all = await api(h, entA).get('/hazards/catalogue');
    expect(all.status).toBe(200);
    expect(all.body.items.find((i: { label: string }) => i.label === '第十一条(三)')).toMatchObject({ article: 11, item: 3 });
    const wood = await api(h, entA).get('/hazards/catalogue?category=wood_dust');
    expect(wood.body.items.some((i: { article: number }) => i.article === 4)).toBe(false);
    expect((await api(h, entA).get('/hazards/catalogue?category=gold')).status).toBe(400);
  });

  it('the hazard routes are in the OpenAPI document', async () => {
    const doc = (await request(h.baseUrl).get('/docs-json')).body as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> } }>> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/hazards', '/api/v1/hazards/catalogue', '/api/v1/hazards/{id}', '/api/v1/hazards/{id}/evidence', '/api/v1/hazards/{id}/sign-off', '/api/v1/alarms/{id}/hazard']),
    );
    expect(Object.keys(doc.paths['/api/v1/hazards/{id}/evidence']!['post']!.requestBody!.content)).toContain('multipart/form-data');
  });

  it('self_check: an enterprise user reports its own hazard and it goes the whole life, with a return', async () => {
    const created = await api(h, entA).post('/hazards', { source: 'self_check', article: 11, item: 3, description: '除尘器未设泄爆装置', location: '抛光车间' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ source: 'self_check', status: 'reported', enterpriseId: a.enterpriseId, regionCode: '320505', categories: ['metal_dust'], basis: { label: '第十一条(三)' } });
    expect(created.body.reportedBy).toMatchObject({ username: 'ent-a', role: 'enterprise' });
    // an enterprise user may not confirm
    expect((await api(h, entA).post(`/hazards/${created.body.id}/confirm`)).status).toBe(403);
    const done = await walk(created.body.id, { confirmer: reg1, signer: reg2, enterprise: entA });
    expect(done).toMatchObject({ status: 'signed_off', confirmedBy: { username: 'reg1' }, signedOffBy: { username: 'reg2' }, overdue: false });
  });

  it('regulator: recorded directly by a regulator, confirmed by it, signed off by the admin', async () => {
    const created = await api(h, reg1).post('/hazards', { source: 'regulator', enterpriseId: a.enterpriseId, article: 4, item: 1, description: '操作室位于钢水吊运跨下方' });
    expect([created.status, created.body.source, created.body.categories]).toEqual([201, 'regulator', ['steel']]);
    await walk(created.body.id, { confirmer: reg1, signer: h.adminToken, enterprise: entA });
    const inspection = await api(h, reg2).post('/hazards', { source: 'inspection', enterpriseId: a.enterpriseId, article: 3, item: 2, description: '电焊工无证' });
    expect([inspection.status, inspection.body.categories]).toEqual([201, ['steel', 'metal_dust']]);
    // a regulator cannot record a self-check; nor record for an enterprise outside its region
    expect((await api(h, reg1).post('/hazards', { source: 'self_check', enterpriseId: a.enterpriseId, article: 3, item: 1, description: 'x' })).status).toBe(403);
    expect((await api(h, reg0506).post('/hazards', { source: 'regulator', enterpriseId: a.enterpriseId, article: 3, item: 1, description: 'x' })).status).toBe(404);
    expect((await api(h, reg1).post('/hazards', { source: 'regulator', enterpriseId: a.enterpriseId, article: 6, item: 1, description: 'x' })).status).toBe(400);
  });

  it('alarm: only after a real_hazard disposal; carries enterprise, point, values and a link back; once per alarm', async () => {
    const alarm = await raiseAlarm(h.store, a, { tier: 'red', value: 320 });
    const early = await api(h, reg1).post(`/alarms/${alarm.id}/hazard`, { article: 14, item: null });
    expect([early.status, early.body.code]).toEqual([409, 'alarm_not_real_hazard']);
    expect((await api(h, entA).post(`/alarms/${alarm.id}/dispose`, { cause: 'real_hazard', measures: '更换传感器，加强通风' })).status).toBe(200);
    expect((await api(h, entB).post(`/alarms/${alarm.id}/hazard`, { article: 14, item: null })).status).toBe(404);
    const created = await api(h, reg1).post(`/alarms/${alarm.id}/hazard`, { article: 14, item: null });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      source: 'alarm',
      enterpriseId: a.enterpriseId,
      pointId: a.pointId,
      alarm: { alarmId: alarm.id, tier: 'red', value: 320, unit: 'ppm' },
      basis: { label: '第十四条' },
    });
    expect(created.body.description).toContain('更换传感器');
    const again = await api(h, entA).post('/hazards', { source: 'alarm', alarmId: alarm.id, article: 14, item: null });
    expect([again.status, again.body.code]).toEqual([409, 'duplicate']);
    await walk(created.body.id, { confirmer: reg2, signer: reg1, enterprise: entA });
  });

  it('scoping: another enterprise’s hazard is 404 for reading and acting; regulators see their region only', async () => {
    const mine = await api(h, entB).post('/hazards', { source: 'self_check', article: 11, item: 6, description: '木粉除尘无锁气卸灰' });
    expect([mine.status, mine.body.categories]).toEqual([201, ['wood_dust']]);
    const id = mine.body.id as string;
    expect((await api(h, entA).get(`/hazards/${id}`)).status).toBe(404);
    expect((await api(h, entA).post(`/hazards/${id}/plan`, { measures: 'x', responsible: 'y', deadline: future(3) })).status).toBe(404);
    expect((await evidence(entA, id, 'x', [])).status).toBe(404);
    const denied: { action: string; username: string }[] = await h.ds.query(`SELECT action, username FROM audit_log WHERE target_id = $1 AND outcome = 'denied' ORDER BY id`, [id]);
    expect(denied).toEqual([
      { action: 'hazard.plan', username: 'ent-a' },
      { action: 'hazard.submit', username: 'ent-a' },
    ]);
    // an enterprise user reports for its own enterprise only
    expect((await api(h, entA).post('/hazards', { source: 'self_check', enterpriseId: b.enterpriseId, article: 3, item: 1, description: 'x' })).status).toBe(404);
    expect((await api(h, reg0506).get(`/hazards/${id}`)).status).toBe(200);
    expect((await api(h, reg0506).get('/hazards')).body.items.every((x: { enterpriseId: string }) => x.enterpriseId === b.enterpriseId)).toBe(true);
    expect((await api(h, entA).get('/hazards')).body.items.every((x: { enterpriseId: string }) => x.enterpriseId === a.enterpriseId)).toBe(true);
  });

  it('list filters: status, source, category, article, item, region, overdue, paging', async () => {
    const all = await api(h).get('/hazards?pageSize=2');
    expect(all.body).toMatchObject({ page: 1, pageSize: 2 });
    expect(all.body.items).toHaveLength(2);
    const total = all.body.total as number;
    expect(total).toBe(5); // self_check A, regulator A, inspection A, alarm A, self_check B
    const count = async (q: string) => ((await api(h).get(`/hazards?${q}`)).body as { total: number }).total;
    expect(await count('status=signed_off')).toBe(3);
    expect(await count('status=reported,signed_off')).toBe(5);
    expect(await count('source=alarm')).toBe(1);
    expect(await count('source=self_check,inspection')).toBe(3);
    expect(await count('category=wood_dust')).toBe(1);
    expect(await count('article=11')).toBe(2);
    expect(await count('article=11&item=6')).toBe(1);
    expect(await count('regionCode=320506')).toBe(1);
    expect(await count(`enterpriseId=${a.enterpriseId}`)).toBe(4);

    // overdue is derived from the deadline: move one plan's deadline into the past, as time would
    const inspection = (await api(h).get('/hazards?source=inspection')).body.items[0] as { id: string };
    expect((await api(h, reg1).post(`/hazards/${inspection.id}/confirm`)).status).toBe(200);
    expect((await api(h, entA).post(`/hazards/${inspection.id}/plan`, { measures: '送培训取证', responsible: '王五', deadline: future(1) })).status).toBe(200);
    expect(await count('overdue=true')).toBe(0);
    const past = new Date(Date.now() - 3_600_000).toISOString();
    await h.ds.query(`UPDATE hazards SET deadline = $2::timestamptz, snapshot = jsonb_set(snapshot, '{plan,deadline}', to_jsonb($3::text)) WHERE id = $1`, [inspection.id, past, past]);
    expect(await count('overdue=true')).toBe(1);
    expect(await count('overdue=false')).toBe(4);
    expect((await api(h).get(`/hazards/${inspection.id}`)).body).toMatchObject({ overdue: true, status: 'rectifying', deadline: past });
    for (const q of ['status=open', 'source=phone', 'category=gold', 'article=x', 'overdue=yes', 'pageSize=1000']) expect([q, (await api(h).get(`/hazards?${q}`)).status]).toEqual([q, 400]);
  });

  it('evidence photos: EXIF removed, stored by SHA-256; 6 MB, a renamed PDF, ten photos refused with nothing stored', async () => {
    const created = await api(h, entB).post('/hazards', { source: 'self_check', article: 11, item: 10, description: '积尘严重' });
    const id = created.body.id as string;
    await api(h, reg0506).post(`/hazards/${id}/confirm`);
    await api(h, entB).post(`/hazards/${id}/plan`, { measures: '每班清扫', responsible: '赵六', deadline: future(7) });
    const before = await files();

    const big = new Uint8Array(6 * 1024 * 1024);
    big.set(jpegWithExif());
    const tooBig = await evidence(entB, id, 'x', [{ name: 'big.jpg', bytes: big }]);
    expect(tooBig.status).toBe(413);
    const pdf = await evidence(entB, id, 'x', [
      { name: 'ok.jpg', bytes: jpegWithExif() },
      { name: 'scan.jpg', bytes: Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n') },
    ]);
    expect([pdf.status, pdf.body.code]).toEqual([400, 'unsupported_type']);
    expect(pdf.body.message).toContain('scan.jpg');
    const ten = await evidence(entB, id, 'x', Array.from({ length: 10 }, (_, i) => ({ name: `p${i}.jpg`, bytes: jpegWithExif({ exifText: `n${i}` }) })));
    expect(ten.status).toBe(400);
    expect(await files()).toEqual(before);
    expect((await api(h).get(`/hazards/${id}`)).body).toMatchObject({ status: 'rectifying', photos: [] });
    const refusedAudit: { n: string }[] = await h.ds.query(`SELECT count(*) AS n FROM audit_log WHERE target_id = $1 AND outcome = 'rejected'`, [id]);
    expect(Number(refusedAudit[0]!.n)).toBeGreaterThanOrEqual(1);

    // a refused transition stores nothing either: evidence on a signed-off hazard
    const signedOff = (await api(h).get('/hazards?status=signed_off&source=self_check')).body.items[0] as { id: string };
    const late = await evidence(entA, signedOff.id, 'x', [{ name: 'late.jpg', bytes: jpegWithExif({ exifText: 'late' }) }]);
    expect([late.status, late.body.code]).toEqual([409, 'invalid_state']);
    expect(await files()).toEqual(before);

    // different image data: a new file (the same pixels with other EXIF would hash to a file already stored)
    const original = jpegWithExif({ exifText: 'GPSLatitude 31.2990N Huawei P60', scanBytes: 100 });
    const ok = await evidence(entB, id, '已清扫', [{ name: 'clean.jpg', bytes: original }]);
    expect(ok.status).toBe(200);
    const detail = await api(h, entB).get(`/hazards/${id}`);
    const [photo] = detail.body.photos as { id: string; sha256: string; mime: string; size: number; url: string }[];
    expect(photo).toMatchObject({ mime: 'image/jpeg' });
    const stored = await readFile(join(evidenceDir, photo!.sha256.slice(0, 2), `${photo!.sha256}.jpg`));
    expect(createHash('sha256').update(stored).digest('hex')).toBe(photo!.sha256);
    expect(stored.length).toBe(photo!.size);
    expect(stored.length).toBeLessThan(original.length);
    expect(containsAscii(stored, 'GPSLatitude')).toBe(false);
    expect(containsAscii(stored, 'Exif')).toBe(false);
    expect(containsAscii(stored, 'JFIF')).toBe(true);
    const served = await request(h.baseUrl).get(photo!.url).set('Authorization', `Bearer ${entB}`).buffer(true);
    expect([served.status, served.headers['content-type']]).toEqual([200, 'image/jpeg']);
    expect(Buffer.compare(served.body as Buffer, stored)).toBe(0);
    expect((await request(h.baseUrl).get(photo!.url).set('Authorization', `Bearer ${entA}`)).status).toBe(404);
    expect(await files()).toHaveLength(before.length + 1);
  });
});
