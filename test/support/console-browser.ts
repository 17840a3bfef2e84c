/**
 * Debian's chromium (`/usr/bin/chromium`, never a downloaded browser) driven by playwright-core,
 * with the flags this sandbox needs (no background networking, no QUIC, no sandbox as root).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const SCREENSHOTS = join(__dirname, '..', '..', 'tmp', 'screenshots');
const CHROMIUM = process.env['CHROMIUM_PATH'] || '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export const DESKTOP = { width: 1366, height: 768 };
export const PHONE = { width: 390, height: 844 };

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
}

export interface ConsoleSession {
  context: BrowserContext;
  page: Page;
  /** what the page logged as errors, for failure messages */
  errors: string[];
}

/** A new browser session (own sessionStorage) signed in to the console. */
export async function signIn(browser: Browser, url: string, user: { username: string; password: string }, viewport = DESKTOP): Promise<ConsoleSession> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', deviceScaleFactor: 1 });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (msg) => msg.type() === 'error' && errors.push(msg.text()));
  await page.goto(url);
  await page.fill('input[name=username]', user.username);
  await page.fill('input[name=password]', user.password);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-feed-status=live]', { timeout: 10_000 });
  return { context, page, errors };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  // the red flash is a CSS animation: pause it so the picture is the steady state
  await page.addStyleTag({ content: '*, *::before { animation-play-state: paused !important; animation-delay: -0.01s !important; }' });
  await page.screenshot({ path });
  return path;
}
