/**
 * The 执法 section of the console in a real browser (Debian chromium via playwright-core) against
 * the built ingest, alerting and api as processes and real PostgreSQL and influxd (the console
 * platform of console.e2e-spec). Issue 13 acceptance: screenshots of the 双随机 draw and of the
 * inspection form at a phone viewport (tmp/screenshots); the enterprise page lists the
 * enterprise's inspections; an enterprise user has no 执法 section.
 */
import type { Browser } from 'playwright-core';
import pg from 'pg';
import { waitFor } from '@sw/testing';
import { type ConsoleSession, launchChromium, PHONE, screenshot, signIn } from './support/console-browser';
import { ConsolePlatform, DUTY, SAFETY } from './support/console-platform';

describe('执法 console (issue 13)', () => {
  let platform: ConsolePlatform;
  let browser: Browser;
  let inspectionId = '';
  const sessions: ConsoleSession[] = [];

  beforeAll(async () => {
    platform = await ConsolePlatform.start();
    await platform.provision();
    const [steel, dust] = platform.enterpriseIds as [string, string];
    // the grading job's table: the steel works is red, the dust plant has no grade yet (未定级)
    const db = new pg.Client({ connectionString: platform.db.url });
    await db.connect();
    await db.query(`INSERT INTO enterprise_risk_grades (enterprise_id, day, level, score) VALUES ($1, '2026-12-01', 'red', 80)`, [steel]);
    await db.end();
    const names = ['王明', '李华', '张伟', '赵敏'];
    for (const [i, name] of names.entries()) {
      await platform.rest('POST', '/inspectors', { regionCode: '3205', name, certificateNo: `JS3205-2026-00${i + 1}`, relatedEnterpriseIds: i === 0 ? [dust] : [] });
    }
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const s of sessions) await s.context.close().catch(() => undefined);
    await browser?.close();
    await platform?.stop();
  });

  const open = async (user: { username: string; password: string }, viewport?: { width: number; height: number }) => {
    const s = await signIn(browser, platform.url, user, viewport);
    sessions.push(s);
    return s;
  };

  it('draws two enterprises with teams of two, shows the seed and a matching replay', async () => {
    const { page, errors } = await open(DUTY);
    await page.click('.topbar nav a[href="/inspections"]');
    await page.click('.enforcement-nav a[href="/inspections/draw"]');
    await page.fill('input[name=n]', '2');
    await page.fill('input[name=m]', '2');
    await page.click('.draw-form button[type=submit]');
    await page.waitForSelector('.draw-result tr.draw-pick');
    expect(await page.$$('.draw-result tr.draw-pick')).toHaveLength(2);
    expect(await page.textContent('.draw-result .seed')).toMatch(/^[0-9a-f]{32}$/);
    expect(await page.textContent('.draw-result')).toContain('红色'); // the steel works' level
    await page.click('text=复核（重放）');
    await page.waitForSelector('.replay-result');
    expect(await page.textContent('.replay-result')).toBe('重放结果一致');
    const href = await page.getAttribute('.draw-result tr.draw-pick a[href^="/inspections/"]', 'href');
    inspectionId = href?.split('/').pop() ?? '';
    expect(inspectionId).toMatch(/^[0-9a-f-]{36}$/);
    await screenshot(page, 'inspections-draw-1366x768');
    expect(errors).toEqual([]);
  });

  it('fills in the inspection form on a phone: team, checklist with a finding, saved as recorded', async () => {
    const { page, errors } = await open(DUTY, PHONE);
    await page.goto(`${platform.url}/inspections/${inspectionId}`);
    await page.waitForSelector('.check-item');
    await waitFor(async () => (await page.$$('.team input[type=checkbox]:checked')).length === 2, { what: 'the drawn team is ticked', timeoutMs: 5_000 });
    const items = await page.$$('.check-item');
    for (const [i, item] of items.entries()) await (await item.$(i === 0 ? 'button.finding' : 'button.compliant'))?.click();
    await page.fill('.check-item:first-child input.note', '现场发现问题，已拍照');
    await page.fill('textarea[name=summary]', '双随机抽查，现场检查作业场所与监测设施');
    await page.click('.sticky-save button[type=submit]');
    await page.waitForSelector('.notice');
    expect(await page.textContent('.notice')).toBe('检查记录已保存');
    expect(await page.textContent('.pill.status-recorded')).toBe('已检查');
    // the form fits the phone: no horizontal scrolling
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await page.evaluate('window.scrollTo(0, 0)');
    await screenshot(page, 'inspection-form-390x844');
    expect(errors).toEqual([]);
  });

  it('opens an online patrol (线上巡查) from the enterprise page as an inspection task', async () => {
    const { page } = await open(DUTY);
    await page.goto(`${platform.url}/enterprises/${platform.enterpriseIds[1]}`);
    await page.click('.enterprise-inspections button');
    await page.waitForSelector('.inspection-page .check-item');
    expect(page.url()).toMatch(/\/inspections\/[0-9a-f-]{36}$/);
    expect(await page.textContent('.inspection-page .pills')).toContain('线上巡查');
    expect(await page.textContent('.inspection-page .pills')).toContain('待检查');
  });

  it('shows the enterprise its own inspections and no 执法 section', async () => {
    const { page } = await open(SAFETY, PHONE);
    await page.waitForSelector('.enterprise-inspections');
    expect(await page.$('.topbar nav a[href="/inspections"]')).toBeNull();
    // both enterprises of 3205 were drawn: the steel works' task is on its page
    await page.waitForSelector('.enterprise-inspections tbody tr');
    expect(await page.textContent('.enterprise-inspections tbody')).toContain('双随机');
    expect(await page.$('.enterprise-inspections button')).toBeNull(); // no 发起线上巡查 for the enterprise
  });
});
