/**
 * 举报 (public reports) and 内部公示 posting pages (docs/domain.md "The closed loop", issue 12
 * items 4 and 6) against real parts: PostgreSQL (own database), Debian's Mosquitto (own port), a
 * real influxd, two api instances in-process on the same database (the rate limits are shared),
 * photos in a temporary EVIDENCE_DIR, and Debian's chromium (playwright-core) for the pages.
 * Screenshots: tmp/artefacts/ (git-ignored).
 */
import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evidenceImageFactory } from '@sw/hazards';
import { TestServices, testUscc } from '@sw/testing';
import { type Browser, chromium } from 'playwright-core';
import request from 'supertest';
import { api, type ApiHarness, startApiHarness, userToken } from '../testing/api-test.factory';

const { jpegWithExif, pngWithMetadata, containsAscii } = evidenceImageFactory;
const ARTEFACTS = join(__dirname, '..', '..', '..', '..', 'tmp', 'artefacts');

describe('public reports and posting pages', () => {
  let services: TestServices;
  let h: ApiHarness;
  let h2: ApiHarness; // a second api process on the same database
  let evidenceDir: string;
  let browser: Browser;
  let entAId: string;
  let entBId: string;
  let reg1: string; // regulators of 3205
  let reg2: string;
  let entA: string;
  let entB: string;
  let ipSeq = 0;
  const freshIp = () => `198.51.100.${++ipSeq}`;

  /** POST /public/reports without a token, from `ip`, as multipart when photos are given. */
  function file(fields: Record<string, string>, photos: { name: string; bytes: Uint8Array; type?: string }[] = [], ip = freshIp(), base = h) {
    let req = request(base.baseUrl).post('/api/v1/public/reports').set('X-Forwarded-For', ip);
    if (photos.length === 0) return req.send(fields);
    for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
    for (const p of photos) req = req.attach('photos', Buffer.from(p.bytes), { filename: p.name, contentType: p.type ?? 'image/jpeg' });
    return req;
  }
  const track = (code: string) => request(h.baseUrl).get(`/api/v1/public/reports/${code}`);

  const files = async (): Promise<string[]> => {
    const dirs = await readdir(evidenceDir).catch(() => [] as string[]);
    return (await Promise.all(dirs.map(async (d) => (await readdir(join(evidenceDir, d))).map((f) => `${d}/${f}`)))).flat().sort();
  };
  const count = async (table: string) => Number(((await h.ds.query(`SELECT count(*) AS n FROM ${table}`)) as { n: string }[])[0]!.n);
  const stored = async () => ({ reports: await count('public_reports'), photos: await count('public_report_photos'), hits: await count('public_rate_hits'), files: (await files()).length });

  beforeAll(async () => {
    services = await TestServices.start('api_public', { mosquitto: true, influx: true });
    evidenceDir = await mkdtemp(join(tmpdir(), 'sw-public-'));
    const env = { EVIDENCE_DIR: evidenceDir, TRUST_PROXY: 'loopback' }; // X-Forwarded-For from 127.0.0.1 names the client
    h = await startApiHarness(services, env);
    h2 = await startApiHarness(services, env);
    entAId = (await api(h).post('/enterprises', { name: '姑苏精工钢铁有限公司', uscc: testUscc(1), regionCode: '320505', riskCategories: ['steel', 'metal_dust'] })).body.id;
    entBId = (await api(h).post('/enterprises', { name: '吴中木业有限公司', uscc: testUscc(2), regionCode: '320506', riskCategories: ['wood_dust'] })).body.id;
    reg1 = await userToken(h, { username: 'reg1', role: 'regulator', regionCode: '3205' });
    reg2 = await userToken(h, { username: 'reg2', role: 'regulator', regionCode: '3205' });
    entA = await userToken(h, { username: 'ent-a', role: 'enterprise', enterpriseId: entAId });
    entB = await userToken(h, { username: 'ent-b', role: 'enterprise', enterpriseId: entBId });
    browser = await chromium.launch({
      executablePath: process.env['CHROMIUM_PATH'] || '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    mkdirSync(ARTEFACTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await services?.stop();
    if (evidenceDir) await rm(evidenceDir, { recursive: true, force: true });
  });

  let firstCode = '';
  let firstId = '';

  it('files a report with photos without a login and answers a long tracking code once', async () => {
    const res = await file({ enterpriseName: '姑苏精工钢铁有限公司', description: '炼钢车间煤气区域一氧化碳报警器长期断电', phone: '138 0000 0001' }, [
      { name: 'a.jpg', bytes: jpegWithExif() },
      { name: 'b.png', bytes: pngWithMetadata(), type: 'image/png' },
    ]);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'received', statusLabel: '已受理' });
    firstCode = res.body.code as string;
    expect(firstCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{20}$/);
    // the code itself is not stored, only its hash; the named enterprise matched the ledger
    const rows: { id: string; code_hash: string; enterprise_id: string; region_code: string; phone: string }[] = await h.ds.query(`SELECT id, code_hash, enterprise_id, region_code, phone FROM public_reports`);
    expect(rows).toHaveLength(1);
    firstId = rows[0]!.id;
    expect(rows[0]).toMatchObject({ enterprise_id: entAId, region_code: '320505', phone: '13800000001' });
    expect(JSON.stringify(await h.ds.query(`SELECT * FROM public_reports`))).not.toContain(firstCode);
    const status = await track(firstCode.toLowerCase());
    expect([status.status, status.body.status, status.body.reply]).toEqual([200, 'received', null]);
    expect(Object.keys(status.body).sort()).toEqual(['closedAt', 'createdAt', 'reply', 'status', 'statusLabel']);
    // photos stored without their metadata
    expect(await files()).toHaveLength(2);
  });

  it('refuses a 6 MB photo, a renamed PDF and an HTML body with clear messages, storing nothing', async () => {
    const before = await stored();
    const big = Buffer.concat([Buffer.from(jpegWithExif()), Buffer.alloc(6 * 1024 * 1024)]);
    const tooBig = await file({ address: '木渎镇某厂', description: '粉尘很大，没有除尘设备' }, [{ name: 'big.jpg', bytes: big }]);
    expect([tooBig.status, tooBig.body.code]).toEqual([413, 'file_too_large']);
    expect(tooBig.body.message).toContain('5 MB');
    const pdf = await file({ address: '木渎镇某厂', description: '粉尘很大，没有除尘设备' }, [{ name: 'photo.jpg', bytes: Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n') }]);
    expect([pdf.status, pdf.body.code]).toEqual([400, 'unsupported_type']);
    expect(pdf.body.message).toContain('只接受 JPEG、PNG 或 WebP');
    expect(pdf.body.message).toContain('photo.jpg');
    const html = await file({ address: '木渎镇某厂', description: '<script>alert(1)</script>粉尘很大' });
    expect(html.status).toBe(400);
    expect(JSON.stringify(html.body.message)).toContain('不接受 HTML');
    const htmlMultipart = await file({ enterpriseName: '<b>某厂</b>', description: '粉尘很大，没有除尘设备' }, [{ name: 'a.jpg', bytes: jpegWithExif() }]);
    expect(htmlMultipart.status).toBe(400);
    const none = await file({ description: '没有写企业也没有写地址' });
    expect(none.status).toBe(400);
    expect(JSON.stringify(none.body.message)).toContain('企业名称或地址');
    const six = await file({ address: '某地', description: '六张照片的举报' }, Array.from({ length: 6 }, (_, i) => ({ name: `${i}.jpg`, bytes: jpegWithExif() })));
    expect([six.status, six.body.code]).toEqual([400, 'too_many_photos']);
    expect(await stored()).toEqual(before);
  });

  it('the 31st report from one IP in an hour is refused with 429, counted across api processes; other IPs go on', async () => {
    const ip = '203.0.113.9';
    const before = await count('public_reports');
    for (let i = 0; i < 30; i++) {
      const res = await file({ address: `某路${i}号`, description: `同一来源的第${i + 1}次举报` }, [], ip, i % 2 === 0 ? h : h2);
      expect(res.status).toBe(201);
    }
    const refused = await file({ address: '某路31号', description: '第31次举报' }, [], ip, h2);
    expect([refused.status, refused.body.code]).toEqual([429, 'rate_limited']);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(3600);
    expect(await count('public_reports')).toBe(before + 30);
    expect((await file({ address: '某路', description: '另一个来源的举报' }, [], '203.0.113.10')).status).toBe(201);
  });

  it('concurrent reports from one IP on two api processes: exactly 30 get through (the limit is counted under a PostgreSQL lock)', async () => {
    const ip = '203.0.113.77';
    const answers = await Promise.all(Array.from({ length: 36 }, (_, i) => file({ address: `并发${i}号`, description: `并发举报第${i + 1}次` }, [], ip, i % 2 === 0 ? h : h2)));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(30);
    expect(statuses.filter((s) => s === 429)).toHaveLength(6);
    const hits: { n: string }[] = await h.ds.query(`SELECT count(*) AS n FROM public_rate_hits WHERE key = $1`, [`ip:${ip}`]);
    expect(Number(hits[0]!.n)).toBe(30);
  });

  it('forgets rate-limit hits (IPs, phone numbers) older than a day', async () => {
    await h.ds.query(`INSERT INTO public_rate_hits (key, at) VALUES ('ip:192.0.2.1', now() - interval '25 hours'), ('phone:13700000000', now() - interval '23 hours')`);
    expect((await file({ address: '某地', description: '触发清理的举报' })).status).toBe(201);
    const left: { key: string }[] = await h.ds.query(`SELECT key FROM public_rate_hits WHERE key IN ('ip:192.0.2.1', 'phone:13700000000')`);
    expect(left.map((r) => r.key)).toEqual(['phone:13700000000']);
  });

  it('limits reports per phone number (5 a day by default) whatever the IP', async () => {
    for (let i = 0; i < 5; i++) expect((await file({ address: '某地', description: `手机号限额测试${i}`, phone: '13900000002' })).status).toBe(201);
    const refused = await file({ address: '某地', description: '手机号限额测试6', phone: '+86 139-0000-0002' });
    expect([refused.status, refused.body.code]).toEqual([429, 'rate_limited']);
    expect(refused.body.message).toContain('手机号');
  });

  it('triage: regulators only; assign, verify, close as 查实 → a confirmed hazard with source report; the code shows the reply', async () => {
    expect((await api(h, entA).get('/reports')).status).toBe(403); // an enterprise never sees who reported it
    expect((await request(h.baseUrl).get('/api/v1/reports')).status).toBe(401);
    const queue = await api(h, reg1).get('/reports?status=received&pageSize=500');
    expect(queue.status).toBe(200);
    expect(queue.body.items.map((r: { id: string }) => r.id)).toContain(firstId);
    const detail = await api(h, reg1).get(`/reports/${firstId}`);
    expect(detail.body.photos).toHaveLength(2);
    const photo = await api(h, reg1).get(detail.body.photos[0].url.replace('/api/v1', ''));
    expect([photo.status, photo.headers['content-type']]).toEqual([200, 'image/jpeg']);
    expect(containsAscii(photo.body as Buffer, 'GPSLatitude')).toBe(false);

    const assigned = await api(h, reg1).post(`/reports/${firstId}/assign`, {});
    expect([assigned.status, assigned.body.status, assigned.body.assigneeUsername]).toEqual([200, 'assigned', 'reg1']);
    const verifying = await api(h, reg1).post(`/reports/${firstId}/verify`, { note: '现场核查：报警器断电属实' });
    expect([verifying.status, verifying.body.status]).toEqual([200, 'verifying']);
    expect((await api(h, reg1).post(`/reports/${firstId}/reward`, { amount: 500 })).status).toBe(409); // not found true yet
    // 判定标准 第四条(六): no fixed CO monitors near gas facilities reporting to a manned post
    const item = { article: 4, item: 6 };
    const closed = await api(h, reg1).post(`/reports/${firstId}/close`, { outcome: 'confirmed', reply: '经核查属实，已责令企业整改，感谢您的举报。', article: item.article, item: item.item, reward: 300 });
    expect([closed.status, closed.body.status, closed.body.reward]).toEqual([200, 'confirmed', 300]);
    const hazardId = closed.body.hazardId as string;
    const hazard = await api(h, reg1).get(`/hazards/${hazardId}`);
    expect(hazard.body).toMatchObject({ source: 'report', status: 'confirmed', reportId: firstId, enterpriseId: entAId, confirmedBy: { username: 'reg1' } });
    expect(hazard.body.events.map((e: { event: string }) => e.event)).toEqual(['reported', 'confirmed']);
    expect(hazard.body.photos).toHaveLength(2); // the report's photos joined the hazard
    // the enterprise sees its hazard (not the report)
    expect((await api(h, entA).get(`/hazards/${hazardId}`)).status).toBe(200);
    expect((await api(h, reg1).post(`/reports/${firstId}/close`, { outcome: 'unfounded', reply: '再次关闭' })).status).toBe(409);
    expect((await api(h, reg2).post(`/reports/${firstId}/reward`, { amount: 800, note: '奖励提高' })).body.reward).toBe(800);

    const tracked = await track(firstCode);
    expect(tracked.body).toMatchObject({ status: 'confirmed', statusLabel: '查实', reply: '经核查属实，已责令企业整改，感谢您的举报。' });
    const audit: { action: string }[] = await h.ds.query(`SELECT action FROM audit_log WHERE target_id = $1 ORDER BY id`, [firstId]);
    expect(audit.map((a) => a.action)).toEqual(['public_report.file', 'public_report.assign', 'public_report.verify', 'public_report.reward', 'public_report.close', 'public_report.reward']);
  });

  it('不实 with a reply; a second code sees only its own report; an unplaced report waits for a regulator to name the enterprise', async () => {
    const second = await file({ address: '横塘街道某仓库', description: '仓库里堆放大量铝粉' });
    const code2 = second.body.code as string;
    const id = ((await h.ds.query(`SELECT id FROM public_reports WHERE address = '横塘街道某仓库'`)) as { id: string }[])[0]!.id;
    const r = await api(h, reg2).get(`/reports/${id}`);
    expect([r.body.enterpriseId, r.body.regionCode]).toEqual([null, null]);
    const refusedConfirm = await api(h, reg2).post(`/reports/${id}/close`, { outcome: 'confirmed', reply: 'x', article: 3, item: 1 });
    expect([refusedConfirm.status, refusedConfirm.body.code]).toEqual([409, 'no_enterprise']);
    const placed = await api(h, reg2).post(`/reports/${id}/enterprise`, { enterpriseId: entBId });
    expect(placed.body.regionCode).toBe('320506');
    const closed = await api(h, reg2).post(`/reports/${id}/close`, { outcome: 'unfounded', reply: '现场未发现铝粉堆放，举报不实。' });
    expect([closed.status, closed.body.status, closed.body.hazardId]).toEqual([200, 'unfounded', null]);

    const mine = await track(code2);
    expect(mine.body).toMatchObject({ status: 'unfounded', statusLabel: '不实', reply: '现场未发现铝粉堆放，举报不实。' });
    const first = await track(firstCode);
    expect(first.body.reply).not.toBe(mine.body.reply);
    expect(JSON.stringify(mine.body)).not.toContain('经核查属实');
    expect((await track('0123456789ABCDEFGHJK')).status).toBe(404);
    expect((await track('x')).status).toBe(404);
  });

  it('files and tracks a report on the phone page in chromium', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', extraHTTPHeaders: { 'X-Forwarded-For': freshIp() } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${h.baseUrl}/api/v1/public/report`);
    await page.fill('#enterpriseName', '吴中木业有限公司');
    await page.fill('#description', '砂光车间除尘器没有泄爆片');
    await page.setInputFiles('#photos', { name: 'site.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(jpegWithExif()) });
    await page.click('#report button[type=submit]');
    await page.waitForSelector('#filed:not([hidden])');
    const code = (await page.textContent('#filed-code')) ?? '';
    expect(code).toMatch(/^[0-9A-Z]{20}$/);
    await page.click('#track button[type=submit]');
    await page.waitForSelector('.track-status');
    expect(await page.textContent('.track-status')).toContain('已受理');
    await page.screenshot({ path: join(ARTEFACTS, 'public-report-390.png'), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('posting page: only that enterprise’s posted hazards, with its QR code; a revoked link answers 404', async () => {
    // B has a confirmed hazard too; A has one still only reported (not posted)
    const b = await api(h, entB).post('/hazards', { source: 'self_check', article: 11, item: 1, description: '木业公司的隐患不应出现在甲公司公示页' });
    expect((await api(h, reg1).post(`/hazards/${b.body.id}/confirm`)).status).toBe(200);
    await api(h, entA).post('/hazards', { source: 'self_check', article: 3, item: 1, description: '尚未确认的自查隐患' });
    const [reportHazard] = (await api(h, reg1).get(`/hazards?source=report&enterpriseId=${entAId}`)).body.items as { id: string }[];
    const deadline = new Date(Date.now() + 20 * 86_400_000).toISOString();
    expect((await api(h, entA).post(`/hazards/${reportHazard!.id}/plan`, { measures: '恢复报警器供电并接入值班室', responsible: '王五', deadline })).status).toBe(200);

    expect((await api(h, entB).post(`/enterprises/${entAId}/posting-link`)).status).toBe(404); // not B's to post
    expect((await api(h, entA).get(`/enterprises/${entAId}/posting-link`)).status).toBe(204); // none yet
    const link = await api(h, entA).post(`/enterprises/${entAId}/posting-link`);
    expect(link.status).toBe(201);
    expect(link.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await api(h, reg1).get(`/enterprises/${entAId}/posting-link`)).body.token).toBe(link.body.token);

    const json = await request(h.baseUrl).get(`/api/v1/public/postings/${link.body.token}/hazards`);
    expect(json.status).toBe(200);
    expect(json.body.hazards).toHaveLength(1);
    expect(json.body.hazards[0]).toMatchObject({ status: 'rectifying', measures: '恢复报警器供电并接入值班室', deadline });
    expect(Object.keys(json.body).sort()).toEqual(['enterpriseName', 'hazards']);
    const svg = await request(h.baseUrl).get(`/api/v1/public/postings/${link.body.token}/qr.svg`);
    expect([svg.status, svg.headers['content-type']]).toEqual([200, 'image/svg+xml; charset=utf-8']);
    const png = await request(h.baseUrl).get(`/api/v1/public/postings/${link.body.token}/qr.png`).buffer(true);
    expect(png.headers['content-type']).toBe('image/png');

    const context = await browser.newContext({ viewport: { width: 1024, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    const res = await page.goto(`${h.baseUrl}/api/v1/public/postings/${link.body.token}`);
    expect(res?.status()).toBe(200);
    expect(await page.textContent('h1')).toBe('姑苏精工钢铁有限公司');
    const rows = await page.$$eval('tr.hazard', (trs) => trs.map((tr) => tr.getAttribute('data-hazard-id')));
    expect(rows).toEqual([reportHazard!.id]);
    const text = (await page.textContent('main')) ?? '';
    expect(text).toContain('整改中');
    expect(text).toContain('恢复报警器供电并接入值班室');
    expect(text).not.toContain('木业公司的隐患');
    expect(text).not.toContain('尚未确认的自查隐患');
    expect(text).not.toContain('320505'); // nothing else of the enterprise: no region, no USCC
    expect(text).not.toContain('13800000001'); // nor the reporter
    expect(await page.$('.qr svg')).not.toBeNull();
    await page.screenshot({ path: join(ARTEFACTS, 'posting-page.png'), fullPage: true });
    await context.close();

    expect((await api(h, reg1).delete(`/enterprises/${entAId}/posting-link`)).status).toBe(204);
    for (const path of ['', '/hazards', '/qr.svg', '/qr.png']) expect((await request(h.baseUrl).get(`/api/v1/public/postings/${link.body.token}${path}`)).status).toBe(404);
    expect((await request(h.baseUrl).get('/api/v1/public/postings/not-a-token')).status).toBe(404);
    const audit: { action: string }[] = await h.ds.query(`SELECT action FROM audit_log WHERE action LIKE 'posting_link.%' ORDER BY id`);
    expect(audit.map((a) => a.action)).toEqual(['posting_link.create', 'posting_link.revoke']);
  });

  it('/reports/half-year still answers beside the triage routes under /reports/{id}', async () => {
    const res = await api(h, reg1).get('/reports/half-year?format=xlsx');
    expect(res.status).toBe(200);
  });

  it('the public and triage routes are in the OpenAPI document', async () => {
    const doc = (await request(h.baseUrl).get('/docs-json')).body as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/public/report',
        '/api/v1/public/reports',
        '/api/v1/public/reports/{code}',
        '/api/v1/public/postings/{token}',
        '/api/v1/public/postings/{token}/qr.svg',
        '/api/v1/reports',
        '/api/v1/reports/{id}',
        '/api/v1/reports/{id}/assign',
        '/api/v1/reports/{id}/verify',
        '/api/v1/reports/{id}/close',
        '/api/v1/reports/{id}/reward',
        '/api/v1/enterprises/{id}/posting-link',
      ]),
    );
  });
});
