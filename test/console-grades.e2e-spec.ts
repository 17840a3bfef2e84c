/**
 * The region page by risk level (风险等级 · 风险预警, issue 13) in a real browser (Debian chromium via
 * playwright-core) against the built ingest, alerting and api as processes, real PostgreSQL and
 * influxd, and MQTT gateway clients. Grades are computed by the built CLI (`grades compute`, the
 * operators' "now" beside alerting's daily job) after a major hazard is confirmed at the steel works.
 * Screenshots in tmp/screenshots.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from '@sw/testing';
import pg from 'pg';
import type { Browser } from 'playwright-core';
import { type ConsoleSession, launchChromium, screenshot, signIn } from './support/console-browser';
import { ConsolePlatform, DUTY } from './support/console-platform';

const run = promisify(execFile);

interface Graded {
  enterpriseId: string;
  level: string;
  standardizationVeto: boolean;
}

describe('console: region page by risk level (issue 13)', () => {
  let platform: ConsolePlatform;
  let browser: Browser;
  let duty: ConsoleSession;
  let steel: string;

  beforeAll(async () => {
    platform = await ConsolePlatform.start();
    await platform.provision();
    [steel] = platform.enterpriseIds as [string];
    const history = (point: string, value: number) => Array.from({ length: 10 }, (_, i) => ({ point, value, minutesAgo: 10 - i }));
    await platform.publish('STEEL-GW', [...history('CO-01', 8), ...history('O2-01', 20.9)]);
    await platform.publish('DUST-GW', [...history('TEMP-01', 40), ...history('CO-02', 3)]);
    // the grade reads the online rate from the stored readings: wait until both gateways count as connected and InfluxDB has their readings
    const client = new pg.Client({ connectionString: platform.db.url });
    await client.connect();
    try {
      await waitFor(async () => Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM gateways WHERE first_reading_at IS NOT NULL')).rows[0]?.n) === 2, {
        what: 'both gateways connected',
        timeoutMs: 15_000,
        intervalMs: 100,
      });
    } finally {
      await client.end();
    }
    await waitFor(
      async () => {
        const q = new URLSearchParams({ db: 'safety_watch', q: 'SELECT count("value") FROM "reading" GROUP BY "gateway"' });
        const body = (await (await fetch(`${platform.influx.url}/query?${q}`)).json()) as { results?: { series?: unknown[] }[] };
        return (body.results?.[0]?.series?.length ?? 0) === 2;
      },
      { what: 'readings of both gateways in InfluxDB', timeoutMs: 15_000, intervalMs: 100 },
    );
    const hazard = await platform.rest<{ id: string }>('POST', '/hazards', { source: 'regulator', enterpriseId: steel, article: 4, item: 2, description: '铸造区域渣坑积水' });
    await platform.rest('POST', `/hazards/${hazard.id}/confirm`, { comment: '现场核实' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await duty?.context.close().catch(() => undefined);
    await browser?.close();
    await platform?.stop();
  });

  it('grades the district now from the CLI', async () => {
    const cli = join(__dirname, '..', 'dist', 'apps', 'cli', 'src', 'main.js');
    const { stdout } = await run(process.execPath, [cli, '--json', 'grades', 'compute'], { env: { ...process.env, DATABASE_URL: platform.db.url, INFLUX_URL: platform.influx.url } });
    expect(JSON.parse(stdout)).toMatchObject({ ran: true, graded: 2 });
  });

  it('colours each enterprise by its risk level and shows the reasons on hover', async () => {
    const grades = (await platform.rest<{ items: Graded[] }>('GET', '/grades')).items;
    // the steel works: 15 (steel) + 15 (an open major hazard) + 10 (no 标准化) ≥ 35 → at least orange; the veto is set
    expect(grades.find((g) => g.enterpriseId === steel)).toMatchObject({ standardizationVeto: true, level: expect.stringMatching(/^(orange|red)$/) });

    duty = await signIn(browser, platform.url, DUTY);
    await duty.page.click('.topbar nav a[href="/region"]');
    await duty.page.waitForSelector('.risk-levels .level-tile');
    const tiles = await duty.page.$$eval('.risk-levels .level-tile', (els) => els.map((el) => [el.getAttribute('href'), el.className]));
    expect(tiles).toHaveLength(2);
    for (const g of grades) expect(tiles).toContainEqual([`/enterprises/${g.enterpriseId}`, `level-tile level-${g.level}`]);
    // 风险预警 is labelled as such, never with the alarm tiers' words (一级…四级)
    const heading = await duty.page.textContent('.risk-levels h3');
    expect(heading).toContain('风险等级（风险预警）');
    expect(heading).not.toMatch(/[一二三四]级/);

    await duty.page.hover(`.level-tile[href="/enterprises/${steel}"]`);
    const reasons = duty.page.locator(`.level-tile[href="/enterprises/${steel}"] .level-reasons`);
    await reasons.waitFor({ state: 'visible' });
    const text = await reasons.textContent();
    for (const label of ['固有风险', '重大事故隐患', '报警（近30天）', '在线率（近30天）', '安全生产标准化', '未销号 1 项']) expect(text).toContain(label);
    // the online rate comes from the readings in InfluxDB (the KPI definition), not a placeholder
    expect(text).toMatch(/在线率 \d+\.\d{2}%/);
    await screenshot(duty.page, 'region-risk-levels-1366x768');
  });

  it('shows the level, the veto badge and the level history on the enterprise page', async () => {
    await duty.page.click(`.level-tile[href="/enterprises/${steel}"]`);
    await duty.page.waitForSelector('.risk-grade .level-badge');
    expect(await duty.page.textContent('.risk-grade .veto-badge')).toContain('一票否决');
    await duty.page.waitForSelector('.risk-grade .chart canvas');
    await screenshot(duty.page, 'enterprise-risk-grade-1366x768');
    expect(duty.errors).toEqual([]);
  });
});
