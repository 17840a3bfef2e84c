/**
 * The duty officers' console in a real browser (Debian chromium via playwright-core) against the
 * built ingest, alerting and api as processes, real PostgreSQL and influxd, and MQTT gateway
 * clients. Issue 7 "Duty officers' console", acceptance: log in; an incident appears on the
 * board within 2 s without reload; an ack on the detail page shows on a second browser session;
 * after the API restarts the board resumes with no missing alarm; screenshots at 1366×768 and
 * at phone width (tmp/screenshots).
 */
import type { Browser } from 'playwright-core';
import { waitFor } from '@sw/testing';
import { type ConsoleSession, launchChromium, PHONE, screenshot, signIn } from './support/console-browser';
import { ADMIN, ConsolePlatform, DUTY, SAFETY } from './support/console-platform';

interface ListedAlarm {
  id: string;
  seq: number;
}

describe('duty officers console (issue 7)', () => {
  let platform: ConsolePlatform;
  let browser: Browser;
  let duty: ConsoleSession;
  let second: ConsoleSession;
  let redId: string;
  const sessions: ConsoleSession[] = [];

  beforeAll(async () => {
    platform = await ConsolePlatform.start();
    await platform.provision();
    browser = await launchChromium();
    // history for the charts: 20 quiet minutes of readings, then two standing alarms
    const history = (point: string, base: number, step: number) => Array.from({ length: 20 }, (_, i) => ({ point, value: base + (i % 5) * step, minutesAgo: 20 - i }));
    await platform.publish('STEEL-GW', [...history('CO-01', 8, 1), ...history('O2-01', 20.5, 0.1)]);
    await platform.publish('DUST-GW', [...history('TEMP-01', 40, 1), ...history('CO-02', 3, 1)]);
    await platform.publish('STEEL-GW', [{ point: 'O2-01', value: 18.6 }]); // ≤ 19.5 %VOL → orange (docs/domain.md)
    await platform.publish('DUST-GW', [{ point: 'TEMP-01', value: 64 }]); // ≥ 60 °C → yellow
    await platform.waitForEvents(0, 2);
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

  it('signs a duty officer in and shows the standing alarms of the region', async () => {
    duty = await open(DUTY);
    await duty.page.waitForSelector('tr.alarm-row.tier-orange');
    await duty.page.waitForSelector('tr.alarm-row.tier-yellow');
    expect(await duty.page.textContent('.topbar .user')).toContain(DUTY.username);
  });

  it('shows an incident on the board within 2 s, without a reload, with sound and flash for red', async () => {
    await duty.page.evaluate('window.swNoReload = true'); // gone if the page reloads
    const started = Date.now();
    await platform.publish('STEEL-GW', [{ point: 'CO-01', value: 350 }]); // ≥ 300 ppm: the point's red setpoint
    const row = await duty.page.waitForSelector('tr.alarm-row.tier-red.flash', { timeout: 2_000 });
    const latencyMs = Date.now() - started;
    expect(latencyMs).toBeLessThan(2_000);
    redId = (await row.getAttribute('data-alarm-id')) ?? '';
    expect(await duty.page.evaluate('window.swNoReload')).toBe(true);
    expect(Number(await duty.page.getAttribute('body', 'data-alerts'))).toBeGreaterThanOrEqual(1); // the beeps played
    expect(await duty.page.textContent('.tier-count.tier-red .tier-number')).toBe('1');
    expect(await duty.page.textContent('.alarm-table tbody tr:first-child')).toContain('姑苏精工钢铁');
    await screenshot(duty.page, 'board-1366x768');
  });

  it('filters the board by district and risk category', async () => {
    await duty.page.selectOption('select[name=district]', '320506');
    await waitFor(async () => (await duty.page.$$('tr.alarm-row')).length === 1, { what: 'one alarm in 320506', timeoutMs: 3_000 });
    await duty.page.selectOption('select[name=district]', '');
    await duty.page.selectOption('select[name=category]', 'steel');
    await waitFor(async () => (await duty.page.$$('tr.alarm-row')).length === 2, { what: 'two steel alarms', timeoutMs: 3_000 });
    await duty.page.selectOption('select[name=category]', '');
  });

  it('acknowledges on the detail page, and a second browser session sees the ack', async () => {
    second = await open(ADMIN);
    await second.page.waitForSelector(`tr[data-alarm-id="${redId}"] [data-acked=false]`);

    await duty.page.click(`tr[data-alarm-id="${redId}"]`);
    await duty.page.waitForSelector('.alarm-detail .timeline [data-event=raised]');
    await duty.page.waitForSelector('.readings canvas');
    await duty.page.click('button[data-action=ack]');
    await duty.page.waitForSelector('.summary [data-acked=true]', { timeout: 5_000 });
    await duty.page.waitForSelector('.timeline [data-event=acknowledged]');
    expect(await duty.page.textContent('.timeline [data-event=acknowledged]')).toContain(DUTY.username);

    await second.page.waitForSelector(`tr[data-alarm-id="${redId}"] [data-acked=true]`, { timeout: 5_000 });
    await duty.page.mouse.move(0, 0);
    await screenshot(duty.page, 'detail-1366x768');
  });

  it('shows the region overview and the connection KPI', async () => {
    await duty.page.click('.topbar nav a[href="/region"]');
    await duty.page.waitForSelector('.matrix tbody tr');
    expect(await duty.page.textContent('.matrix')).toContain('320506');
    await screenshot(duty.page, 'region-1366x768');
    await duty.page.click('.topbar nav a[href="/kpi"]');
    await duty.page.waitForSelector('.kpi-card');
    await screenshot(duty.page, 'kpi-1366x768');
    await duty.page.goBack();
    await duty.page.goBack();
  });

  it('offers only the actions the state allows, shows a refused action as an error, records a disposal', async () => {
    // close needs cleared and disposed (docs/contracts.md §3): not offered while the alarm is active
    expect(await duty.page.$('button[data-action=close]')).toBeNull();
    await duty.page.click('button[data-action=shelve]');
    await duty.page.fill('input[name=reason]', '   '); // blank once trimmed: the API answers 400
    await duty.page.click('.action-form button[type=submit]');
    expect(await (await duty.page.waitForSelector('.actions .error', { timeout: 5_000 })).textContent()).toContain('操作失败');
    await duty.page.click('.action-form button.ghost');

    await duty.page.click('button[data-action=dispose]');
    await duty.page.fill('textarea[name=measures]', '已切断煤气来源，现场通风，复测正常');
    await duty.page.click('.action-form button[type=submit]');
    await duty.page.waitForSelector('.summary [data-stage=disposed]', { timeout: 5_000 });
    await duty.page.waitForSelector('.timeline [data-event=disposed]');
    expect(await duty.page.$('button[data-action=dispose]')).toBeNull();
  });

  it('works at phone width for an enterprise safety officer', async () => {
    const phone = await open(SAFETY, PHONE);
    await phone.page.waitForSelector('.enterprise .gateway'); // the safety officer lands on their enterprise
    await platform.publish('STEEL-GW', [{ point: 'CO-01', value: 340 }]); // a live value on the readings channel
    await phone.page.waitForSelector('.live-value[data-value="340"]', { timeout: 5_000 });
    await screenshot(phone.page, 'enterprise-390x844');
    await phone.page.click('.topbar nav a[href="/"]');
    await phone.page.waitForSelector(`tr[data-alarm-id="${redId}"]`);
    expect(await phone.page.$$('tr.alarm-row')).toHaveLength(2); // own enterprise only: CO-01 and O2-01
    await screenshot(phone.page, 'board-390x844');
  });

  it('is served by the api at / with a fallback for deep links, never under /api, /docs or /health', async () => {
    const page = async (path: string, accept = 'text/html') => {
      const res = await fetch(`${platform.url}${path}`, { headers: { accept } });
      return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
    };
    expect((await page(`/alarms/${redId}`)).body).toContain('<div id="app">');
    expect(await page('/api/v1/nothing-here')).toMatchObject({ status: 404, type: expect.stringContaining('application/json') });
    expect((await page('/health')).type).toContain('application/json');
    expect((await page('/docs')).body).toContain('swagger');
    // a reload on a deep link keeps the session (sessionStorage) and shows the alarm
    await second.page.goto(`${platform.url}/alarms/${redId}`);
    await second.page.waitForSelector(`.alarm-detail[data-alarm-id="${redId}"]`);
    await second.page.click('.crumbs a');
    await second.page.waitForSelector(`tr[data-alarm-id="${redId}"]`);
  });

  it('resumes after an API restart with no missing alarm', async () => {
    const page = second.page;
    const before = Number(await page.getAttribute(`tr[data-alarm-id="${redId}"]`, 'data-seq'));
    await platform.apps.api.stop();
    await page.waitForSelector('.offline-banner', { timeout: 10_000 });

    // while the api is down, alerting goes on: a new alarm and a tier change
    const head = await platform.waitForEvents(0, 1);
    await platform.publish('DUST-GW', [{ point: 'CO-02', value: 60 }]); // ≥ 24 ppm → yellow, a new alarm
    await platform.publish('DUST-GW', [{ point: 'TEMP-01', value: 75 }]); // ≥ 70 °C → orange
    await platform.waitForEvents(head, 2);

    await platform.apps.api.start();
    await page.waitForSelector('.offline-banner', { state: 'detached', timeout: 15_000 });
    await page.waitForSelector('[data-feed-status=live]');

    const listed = (await platform.rest<{ items: ListedAlarm[] }>('GET', '/alarms?stage=open,disposed&pageSize=500')).items;
    expect(listed.length).toBe(4);
    await waitFor(
      async () => {
        const shown = await page.$$eval('tr.alarm-row', (rows) => rows.map((r) => `${r.getAttribute('data-alarm-id')}@${r.getAttribute('data-seq')}`));
        return shown.sort().join() === listed.map((a) => `${a.id}@${a.seq}`).sort().join();
      },
      { what: 'the board to show every open alarm at its latest seq', timeoutMs: 5_000 },
    );
    expect(Number(await page.getAttribute(`tr[data-alarm-id="${redId}"]`, 'data-seq'))).toBeGreaterThanOrEqual(before);
    expect(second.errors.filter((e) => !/WebSocket|ERR_CONNECTION_REFUSED|Failed to load resource/.test(e))).toEqual([]);
  });
});
