/**
 * The console's 隐患 section in a real browser (Debian chromium via playwright-core) against the
 * built ingest, alerting and api as processes, real PostgreSQL and influxd (issue 12, acceptance:
 * "an enterprise user sees and acts on its own hazards only (404 for another's), in REST and
 * console"; "the posting page renders in headless Chromium … a revoked link answers 404").
 *
 * A regulator lists and confirms; the enterprise user plans and submits evidence with photos, sees
 * only its own hazards and gets the not-found view for another enterprise's; the confirming
 * regulator is not offered 销号 and an API refusal shows in Chinese; an admin signs off. A hazard
 * is recorded from an alarm disposed as a real hazard, and a public report is triaged to 查实. The
 * enterprise's posting link is made on its page, the posting page shows only its hazards, and
 * after revoking it answers 404. Screenshots in tmp/screenshots/hazards-*.png.
 */
import type { Browser, Page } from 'playwright-core';
import { evidenceImageFactory } from '@sw/hazards';
import QRCode from 'qrcode';
import { tempDir, waitFor } from '@sw/testing';
import { type ConsoleSession, launchChromium, PHONE, screenshot, signIn } from './support/console-browser';
import { ADMIN, ConsolePlatform, DUTY, SAFETY } from './support/console-platform';

interface Hazard {
  id: string;
  status: string;
  source: string;
  enterpriseId: string;
  alarm: { alarmId: string } | null;
}

/** A day some days ahead, in Shanghai, as a date input takes it. */
const dayAhead = (days: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(Date.now() + days * 86_400_000));

describe('console 隐患 section (issue 12)', () => {
  let platform: ConsolePlatform;
  let browser: Browser;
  const evidence = tempDir('sw-console-evidence-');
  const sessions: ConsoleSession[] = [];
  let own: Hazard; // the steel works' hazard (SAFETY's enterprise)
  let other: Hazard; // the dust plant's hazard (another enterprise)

  beforeAll(async () => {
    platform = await ConsolePlatform.start({ EVIDENCE_DIR: evidence.path });
    await platform.provision();
    browser = await launchChromium();
    const [steel, dust] = platform.enterpriseIds;
    own = await platform.rest<Hazard>('POST', '/hazards', { source: 'inspection', enterpriseId: steel, article: 4, item: 6, description: '转炉煤气区未设固定式一氧化碳监测报警', location: '一炼钢转炉平台' });
    other = await platform.rest<Hazard>('POST', '/hazards', { source: 'regulator', enterpriseId: dust, article: 11, item: 3, description: '干式除尘系统未设泄爆装置' });
  });

  afterAll(async () => {
    for (const s of sessions) await s.context.close().catch(() => undefined);
    await browser?.close();
    await platform?.stop();
    evidence.remove();
  });

  const open = async (user: { username: string; password: string }, viewport?: { width: number; height: number }) => {
    const s = await signIn(browser, platform.url, user, viewport);
    sessions.push(s);
    return s;
  };
  const goto = async (page: Page, path: string) => {
    await page.goto(`${platform.url}${path}`);
    await page.waitForSelector('[data-feed-status]');
  };
  const statusOf = (page: Page) => page.getAttribute('.hazard-detail', 'data-status');

  let duty: ConsoleSession;

  it('lists the region’s hazards for a regulator, with filters, and confirms one on its page', async () => {
    duty = await open(DUTY);
    await duty.page.click('.topbar nav a[href="/hazards"]');
    await duty.page.waitForSelector(`tr.hazard-row[data-hazard-id="${own.id}"]`);
    await duty.page.waitForSelector(`tr.hazard-row[data-hazard-id="${other.id}"]`);
    expect(await duty.page.getAttribute('.totals', 'data-total')).toBe('2');

    // a filter narrows the list and lands in the URL
    await duty.page.selectOption('select[name=source]', 'inspection');
    await waitFor(async () => (await duty.page.$$('tr.hazard-row')).length === 1, { what: 'one inspection hazard', timeoutMs: 5_000 });
    expect(new URL(duty.page.url()).searchParams.get('source')).toBe('inspection');
    await duty.page.selectOption('select[name=source]', '');
    await duty.page.selectOption('select[name=article]', '11');
    await duty.page.waitForSelector(`tr.hazard-row[data-hazard-id="${other.id}"]`);
    await waitFor(async () => (await duty.page.$$('tr.hazard-row')).length === 1, { what: 'one 第十一条 hazard', timeoutMs: 5_000 });
    await duty.page.selectOption('select[name=article]', '');
    await waitFor(async () => (await duty.page.$$('tr.hazard-row')).length === 2, { what: 'both hazards again', timeoutMs: 5_000 });
    await screenshot(duty.page, 'hazards-list-1366x768');

    await duty.page.click(`tr.hazard-row[data-hazard-id="${own.id}"] a`);
    await duty.page.waitForSelector('.hazard-detail .timeline [data-event=reported]');
    expect(await duty.page.textContent('.hazard-basis')).toContain('第四条(六)');
    // a reported hazard: confirm or reject, nothing else
    const offered = await duty.page.$$eval('.hazard-actions button[data-action]', (bs) => bs.map((b) => b.getAttribute('data-action')));
    expect(offered).toEqual(['confirm', 'reject']);
    await duty.page.click('button[data-action=confirm]');
    await duty.page.click('.action-form button[type=submit]');
    await duty.page.waitForSelector('.hazard-detail[data-status=confirmed]', { timeout: 5_000 });
    expect(await duty.page.textContent('.timeline [data-event=confirmed]')).toContain(DUTY.username);
  });

  it('shows an enterprise user only its own hazards; another enterprise’s hazard is the not-found view', async () => {
    const safety = await open(SAFETY, PHONE);
    await safety.page.waitForSelector('.enterprise-hazards [data-open-hazards="1"]'); // its page lists its open hazard
    await safety.page.click('.topbar nav a[href="/hazards"]');
    await safety.page.waitForSelector(`tr.hazard-row[data-hazard-id="${own.id}"]`);
    expect(await safety.page.$$('tr.hazard-row')).toHaveLength(1);
    expect(await safety.page.$(`tr.hazard-row[data-hazard-id="${other.id}"]`)).toBeNull();
    await screenshot(safety.page, 'hazards-list-enterprise-390x844');

    await goto(safety.page, `/hazards/${other.id}`);
    await safety.page.waitForSelector('.hazard-detail[data-not-found=true]');
    expect(await safety.page.textContent('.hazard-detail')).toContain('未找到该隐患');
    expect(await safety.page.textContent('body')).not.toContain('干式除尘系统未设泄爆装置');
    await screenshot(safety.page, 'hazards-not-found-390x844');
  });

  it('lets the enterprise plan the rectification and submit evidence with photos', async () => {
    const safety = sessions[1]!;
    await goto(safety.page, `/hazards/${own.id}`);
    await safety.page.waitForSelector('.hazard-detail[data-status=confirmed]');
    expect(await safety.page.$$eval('.hazard-actions button[data-action]', (bs) => bs.map((b) => b.getAttribute('data-action')))).toEqual(['plan']);
    await safety.page.click('button[data-action=plan]');
    await safety.page.fill('textarea[name=measures]', '加装固定式一氧化碳检测报警仪并接入值班室');
    await safety.page.fill('input[name=funds]', '38000');
    await safety.page.fill('input[name=responsible]', '设备科 王工');
    await safety.page.fill('input[name=deadline]', dayAhead(20));
    await safety.page.click('.action-form button[type=submit]');
    await safety.page.waitForSelector('.hazard-detail[data-status=rectifying]', { timeout: 5_000 });
    await safety.page.waitForSelector('.timeline [data-event=planned]');

    await safety.page.click('button[data-action=submit]');
    await safety.page.fill('textarea[name=text]', '已安装两台检测报警仪，联动声光报警，已接入值班室');
    await safety.page.setInputFiles('input[name=photos]', [
      { name: '现场1.png', mimeType: 'image/png', buffer: await QRCode.toBuffer('整改照片', { type: 'png' }) }, // a picture the browser can draw
      { name: '现场2.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(evidenceImageFactory.jpegWithExif()) },
    ]);
    await safety.page.click('.action-form button[type=submit]');
    await safety.page.waitForSelector('.hazard-detail[data-status=submitted]', { timeout: 10_000 });
    await waitFor(async () => (await safety.page.$$('img.hazard-photo')).length === 2, { what: 'two evidence photos shown', timeoutMs: 5_000 });
    // the PNG is served back through the API with the user's token and drawn (metadata stripped, pixels kept)
    await waitFor(async () => (await safety.page.evaluate("[...document.querySelectorAll('img.hazard-photo')].some((i) => i.complete && i.naturalWidth > 0)")) === true, {
      what: 'an evidence photo drawn',
      timeoutMs: 5_000,
    });
    expect(await safety.page.$$('.hazard-actions button[data-action]')).toHaveLength(0); // verification is the bureau's
    await screenshot(safety.page, 'hazard-detail-enterprise-390x844');
  });

  it('does not offer 销号 to the confirmer, shows a refusal in Chinese, and an admin signs off', async () => {
    await goto(duty.page, `/hazards/${own.id}`);
    await duty.page.waitForSelector('.hazard-detail[data-status=submitted]');
    expect(await duty.page.$('button[data-action=sign_off]')).toBeNull(); // DUTY confirmed it
    expect(await duty.page.textContent('.hazard-actions')).toContain('销号须由确认该隐患以外的监管人员办理');
    await duty.page.click('button[data-action=return]');
    await duty.page.fill('textarea[name=reason]', '   '); // blank once trimmed: the API refuses it
    await duty.page.click('.action-form button[type=submit]');
    const refusal = await (await duty.page.waitForSelector('.hazard-actions .error', { timeout: 5_000 })).textContent();
    expect(refusal).toBe('操作失败：请填写理由');
    expect(await statusOf(duty.page)).toBe('submitted');
    await screenshot(duty.page, 'hazard-detail-1366x768');

    const admin = await open(ADMIN);
    await goto(admin.page, `/hazards/${own.id}`);
    await admin.page.click('button[data-action=sign_off]');
    await admin.page.click('.action-form button[type=submit]');
    await admin.page.waitForSelector('.hazard-detail[data-status=signed_off]', { timeout: 5_000 });
    expect(await admin.page.textContent('.timeline [data-event=signed_off]')).toContain(ADMIN.username);
    expect(await admin.page.$$('.hazard-timeline .event')).toHaveLength(5); // reported, confirmed, planned, submitted, signed_off
  });

  it('records a hazard from an alarm disposed as a real hazard, carrying the alarm and a link back', async () => {
    await platform.publish('STEEL-GW', [{ point: 'CO-01', value: 350 }]); // ≥ 300 ppm: red
    let alarmId = '';
    await waitFor(
      async () => {
        const page = await platform.rest<{ items: { id: string; pointCode: string | null }[] }>('GET', '/alarms?stage=open');
        alarmId = page.items.find((a) => a.pointCode === 'CO-01')?.id ?? '';
        return alarmId !== '';
      },
      { what: 'the CO alarm', timeoutMs: 15_000, intervalMs: 200 },
    );
    await platform.rest('POST', `/alarms/${alarmId}/dispose`, { cause: 'real_hazard', measures: '已切断煤气来源，现场通风' });

    await goto(duty.page, `/alarms/${alarmId}`);
    await duty.page.click('.hazard-offer a');
    await duty.page.waitForSelector(`.hazard-new .alarm-origin[data-alarm-id="${alarmId}"]`);
    await duty.page.waitForSelector('select[name=basis] option[value="4:6"]', { state: 'attached' });
    // only the catalogue items of a steel works: no 第十一条 (dust) item is offered
    expect(await duty.page.$('select[name=basis] option[value="11:3"]')).toBeNull();
    await duty.page.selectOption('select[name=basis]', '4:6');
    await duty.page.click('.hazard-form button[type=submit]');
    await duty.page.waitForSelector('.hazard-detail[data-status=reported]', { timeout: 5_000 });
    expect(await duty.page.textContent('.hazard-summary')).toContain('报警处置');
    expect(await duty.page.getAttribute(`.hazard-summary a[href="/alarms/${alarmId}"]`, 'href')).toBe(`/alarms/${alarmId}`);
    await screenshot(duty.page, 'hazard-from-alarm-1366x768');
  });

  it('triages a public report to 查实, which lists a confirmed hazard from the report', async () => {
    const form = new FormData();
    form.append('enterpriseName', '吴中铝镁抛光制品厂');
    form.append('description', '抛光车间除尘器旁有人吸烟，粉尘很多');
    const filed = await fetch(`${platform.url}/api/v1/public/reports`, { method: 'POST', body: form });
    expect(filed.status).toBe(201);

    await goto(duty.page, '/reports');
    await duty.page.click('tr.report-row[data-status=received]');
    await duty.page.waitForSelector('.report-detail button[data-action=assign]');
    await duty.page.click('.report-detail button[data-action=assign]');
    await duty.page.waitForSelector('tr.report-row[data-status=assigned]', { timeout: 5_000 });
    await duty.page.selectOption('.report-detail select[name=basis]', '11:8');
    await duty.page.fill('.report-detail input[name=reward]', '500');
    await duty.page.fill('.report-detail textarea[name=reply]', '经现场核查属实，已责令企业立即整改。感谢您的举报。');
    await duty.page.click('.report-detail form[data-form=close] button[type=submit]');
    await duty.page.waitForSelector('.report-detail a[href^="/hazards/"], .report-detail .error', { timeout: 10_000 });
    expect(await duty.page.$eval('.report-detail', (el) => el.querySelector('.error')?.textContent ?? null)).toBeNull();
    await screenshot(duty.page, 'hazards-reports-1366x768');

    const reported = await platform.rest<{ items: Hazard[] }>('GET', '/hazards?source=report');
    expect(reported.items).toHaveLength(1);
    expect(reported.items[0]).toMatchObject({ status: 'confirmed', enterpriseId: platform.enterpriseIds[1] });
  });

  it('shows the analysis for the year', async () => {
    await goto(duty.page, '/hazards/analysis');
    await duty.page.waitForSelector('.hazard-analysis .kpi-card');
    const text = await duty.page.textContent('.hazard-analysis');
    expect(text).toContain('动态清零率');
    expect(text).toContain('群众举报');
    await screenshot(duty.page, 'hazards-analysis-1366x768');
  });

  it('makes the enterprise’s posting link on its page; the posting page shows only its hazards and a revoked link answers 404', async () => {
    const safety = sessions[1]!;
    const [steel] = platform.enterpriseIds;
    await goto(safety.page, `/enterprises/${steel}`);
    await safety.page.click('button[data-action=posting-create]');
    await safety.page.waitForSelector('.posting-link[data-posting=live] img.posting-qr');
    await waitFor(async () => (await safety.page.evaluate("(() => { const i = document.querySelector('img.posting-qr'); return i.complete && i.naturalWidth > 0; })()")) === true, {
      what: 'the QR code to load',
      timeoutMs: 5_000,
    });
    const url = (await safety.page.getAttribute('.posting-url', 'href')) ?? '';
    expect(url).toMatch(/\/api\/v1\/public\/postings\/[A-Za-z0-9_-]{40,}$/);
    await screenshot(safety.page, 'hazards-posting-link-390x844');

    const posting = await safety.context.newPage();
    const res = await posting.goto(url);
    expect(res?.status()).toBe(200);
    const text = (await posting.textContent('body')) ?? '';
    expect(text).toContain('转炉煤气区未设固定式一氧化碳监测报警'); // signed off: listed with its date
    expect(text).not.toContain('干式除尘系统未设泄爆装置'); // another enterprise's
    expect(text).not.toContain('吸烟'); // another enterprise's (from the report)
    await screenshot(posting, 'hazards-posting-page-390x844');

    safety.page.once('dialog', (d) => void d.accept());
    await safety.page.click('button[data-action=posting-revoke]');
    await safety.page.waitForSelector('.posting-link[data-posting=none]');
    expect((await posting.goto(url))?.status()).toBe(404);
    await posting.close();
  });
});
