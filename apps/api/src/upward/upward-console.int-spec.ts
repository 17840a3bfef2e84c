/**
 * The console's 上报 page in Debian's chromium (playwright-core): the built console (vite, into a
 * temporary folder) served by a small static server that passes /api and /ws to the api running
 * in-process against real PostgreSQL, influxd and Mosquitto. A regulator sees the due-day banner,
 * the snapshots with their diff, the summary editor with its six sections, and the
 * provincial uplink's status card. The screenshot lands in tmp/screenshots/upward-page.png.
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { TestServices, testUscc } from '@sw/testing';
import { type Browser, chromium } from 'playwright-core';
import { api, type ApiHarness, startApiHarness } from '../testing/api-test.factory';
import { UPWARD_CLOCK, type UpwardClock } from './upward-reminder-status.service';

const ROOT = join(__dirname, '../../../..');
const SCREENSHOTS = join(ROOT, 'tmp', 'screenshots');
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };
const REGULATOR = { username: 'reg-upward', password: 'reg-upward-password-123' };

/** Static files of `dir` (index.html for any page) and /api, /ws passed through to `target` (host:port). */
function consoleServer(dir: string, target: { host: string; port: number }): Server {
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (url.startsWith('/api/')) {
      const upstream = httpRequest({ ...target, path: url, method: req.method, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      req.pipe(upstream);
      return;
    }
    const path = normalize(join(dir, decodeURIComponent(url.split('?')[0] ?? '/')));
    const file = path.startsWith(dir) && existsSync(path) && extname(path) ? path : join(dir, 'index.html');
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  server.on('upgrade', (req, socket, head) => {
    const upstream = connect(target.port, target.host, () => {
      upstream.write(`${req.method} ${req.url} HTTP/1.1\r\n${Object.entries(req.headers).map(([k, v]) => `${k}: ${String(v)}`).join('\r\n')}\r\n\r\n`);
      upstream.write(head);
      socket.pipe(upstream).pipe(socket);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  return server;
}

describe('console 上报 page (chromium)', () => {
  let services: TestServices;
  let h: ApiHarness;
  let browser: Browser;
  let server: Server;
  let url = '';
  let built = '';

  beforeAll(async () => {
    built = mkdtempSync(join(tmpdir(), 'sw-console-'));
    execFileSync(join(ROOT, 'node_modules/.bin/vite'), ['build', '--config', 'apps/console/vite.config.mjs', '--outDir', built, '--emptyOutDir', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'pipe' });
    services = await TestServices.start('api_upward_console', { mosquitto: true, influx: { databases: ['safety_watch'] } });
    h = await startApiHarness(services);
    await api(h).post('/users', { ...REGULATOR, role: 'regulator', regionCode: '320505' }).expect(201);
    const ids: string[] = [];
    for (const [n, name] of ['姑苏精工金属制品有限公司', '虎丘铝材深井铸造有限公司', '浒墅关木业有限公司'].entries()) {
      const res = await api(h).post('/enterprises', { name, uscc: testUscc(700 + n), regionCode: '320505', riskCategories: ['metal_dust'], dustWorkers: 40, employees: 80 }).expect(201);
      await h.ds.query(`UPDATE enterprise_status_changes SET effective_date = '2025-01-01' WHERE enterprise_id = $1`, [res.body.id]);
      ids.push(res.body.id as string);
    }
    const first = await api(h).post('/upward/ledger-snapshots', { regionCode: '320505', asOf: '2025-12-31' }).expect(201);
    await api(h).post(`/upward/ledger-snapshots/${first.body.id}/submit`).expect(201);
    await api(h).patch(`/enterprises/${ids[0]}`, { employees: 95 }).expect(200);
    await api(h).patch(`/enterprises/${ids[2]}`, { status: 'closed', effectiveDate: '2026-04-01' }).expect(200);
    await api(h).post('/upward/ledger-snapshots', { regionCode: '320505', asOf: '2026-06-30' }).expect(201);
    h.app.get<UpwardClock>(UPWARD_CLOCK).now = () => Date.parse('2026-12-01T10:00:00+08:00'); // 3 days before 4 December
    const address = h.app.getHttpServer().address() as { port: number };
    server = consoleServer(built, { host: '127.0.0.1', port: address.port });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    browser = await chromium.launch({
      executablePath: process.env['CHROMIUM_PATH'] || '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await services?.stop();
    if (built) rmSync(built, { recursive: true, force: true });
  });

  it('shows the banner, the snapshots with their diff, the summary editor and the uplink status', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', deviceScaleFactor: 1 });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(url);
    await page.fill('input[name=username]', REGULATOR.username);
    await page.fill('input[name=password]', REGULATOR.password);
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-feed-status=live]', { timeout: 10_000 });
    // the banner on every regulator page in the window
    await page.waitForSelector('[data-upward-banner]');
    expect(await page.textContent('[data-upward-banner]')).toContain('2026-12-04 前报送（还有 3 天）');
    await page.click('a[href="/upward"]');
    await page.waitForSelector('table.snapshots tbody tr:nth-child(2)');
    await page.click('table.snapshots tbody tr:first-child button:has-text("变更情况")');
    await page.waitForSelector('.diff');
    const diff = (await page.textContent('.diff')) ?? '';
    for (const expected of ['与 2025-12-31 报送的台账相比', '关停企业（1 家）', '浒墅关木业有限公司', '从业人数', '80', '95']) expect(diff).toContain(expected);
    await page.waitForSelector('section.summary-section[data-section=reports]');
    expect(await page.locator('section.summary-section').count()).toBe(6);
    expect(await page.locator('section.summary-section textarea').count()).toBe(6);
    await page.fill('section.summary-section[data-section=monitoring] textarea', '本半年新接入企业 3 家，接入率稳步提升。');
    await page.click('button:has-text("保存草稿")');
    await page.waitForSelector('text=草稿已保存');
    // the provincial uplink's status card: no UPLINK_ENDPOINT here, so it says forwarding is off and why
    await page.waitForSelector('[data-slot=uplink-status] section.uplink-status');
    expect(await page.textContent('[data-slot=uplink-status]')).toContain('未启用');
    expect(await page.textContent('[data-slot=uplink-status]')).toContain('UPLINK_ENDPOINT');
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'upward-page.png'), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });
});
