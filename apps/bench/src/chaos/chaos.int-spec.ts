/**
 * The short variant of `npm run chaos` in the integration stage: the built benchmark (`npm run build`
 * first; scripts/test.sh builds before this stage) against its own influxd, PostgreSQL database and
 * built apps, at a low rate, with three faults (SIGKILL of ingest, every platform PostgreSQL session cut, SIGKILL of api). The run audits itself (readings published vs stored
 * in InfluxDB, alarm transitions expected vs committed, notifications expected vs delivered at the
 * local SMS and WeChat servers, live-feed seq gaps) and exits 1 on any loss or duplicate; this spec
 * also checks that the audit saw real traffic, so it cannot pass on nothing.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir, waitForExit } from '@sw/testing';

const ROOT = join(__dirname, '../../../..');
const MAIN = join(ROOT, 'dist/apps/bench/src/main.js');
// kill-ingest lost acknowledged readings before the durable PUBACK; pg-terminate sent some SMS twice
// (3 of 80) until the delivery worker retried the outcome write; kill-alerting is left to `npm run
// chaos`: under a loaded machine its replay can outlast the audit window (README, Faults: late, not lost)
const FAULTS = ['kill-ingest', 'pg-terminate', 'kill-api'];

interface Result {
  fault: string;
  readings: { published: number; stored: number; lost: number; duplicated: number };
  transitions: { expected: number; committed: number; missing: number; duplicated: number; outOfOrder: number };
  feed: { events: number; gaps: number };
  notifications: { expected: number; delivered: number; missing: number; duplicated: number };
  ok: boolean;
}

describe('chaos (short variant)', () => {
  const out = tempDir('sw-chaos-');
  afterAll(() => out.remove());

  it(`loses and duplicates nothing across ${FAULTS.join(', ')}`, async () => {
    for (const app of ['ingest', 'alerting', 'api', 'bench']) {
      if (!existsSync(join(ROOT, 'dist/apps', app, 'src/main.js'))) throw new Error(`dist/apps/${app} is missing: run \`npm run build\` first`);
    }
    const json = join(out.path, 'chaos.json');
    const args = ['chaos', '--rate', '300', '--gateways', '10', '--points', '10', '--crossing', '4', '--seconds', '12', '--faults', FAULTS.join(','), '--out', json];
    const child = spawn(process.execPath, [MAIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (c: Buffer) => void (output += c.toString()));
    child.stderr?.on('data', (c: Buffer) => void (output += c.toString()));
    if (!(await waitForExit(child, 540_000))) {
      child.kill('SIGTERM');
      await waitForExit(child, 30_000);
    }
    if (child.exitCode !== 0) throw new Error(`chaos exited with ${child.exitCode ?? child.signalCode}\n${output.slice(-6000)}`);
    const { results } = JSON.parse(readFileSync(json, 'utf8')) as { results: Result[] };
    expect(results.map((r) => r.fault)).toEqual(FAULTS);
    for (const r of results) {
      expect({ fault: r.fault, lost: r.readings.lost, duplicated: r.readings.duplicated, missing: r.transitions.missing, dupTransitions: r.transitions.duplicated, outOfOrder: r.transitions.outOfOrder, gaps: r.feed.gaps }).toEqual({
        fault: r.fault, lost: 0, duplicated: 0, missing: 0, dupTransitions: 0, outOfOrder: 0, gaps: 0,
      });
      // the audit saw real traffic: readings stored, incidents committed, events on the feed
      expect(r.readings.stored).toBeGreaterThan(0);
      expect(r.transitions.expected).toBeGreaterThan(0);
      expect(r.transitions.committed).toBe(r.transitions.expected);
      expect(r.feed.events).toBeGreaterThanOrEqual(r.transitions.expected);
      // every raise notified its five people (SMS and WeChat), each message once
      expect(r.notifications.expected).toBeGreaterThanOrEqual((r.transitions.expected / 2) * 5);
      expect({ delivered: r.notifications.delivered, missing: r.notifications.missing, duplicated: r.notifications.duplicated }).toEqual({ delivered: r.notifications.expected, missing: 0, duplicated: 0 });
      expect(r.ok).toBe(true);
    }
  }, 600_000);
});
