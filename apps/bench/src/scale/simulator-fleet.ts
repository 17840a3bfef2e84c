import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BulkProvisioned } from '../ingest/bulk-provision';

export interface FleetOptions {
  repo: string;
  dir: string;
  brokerUrl: string;
  setup: BulkProvisioned;
  gateways: number;
  points: number;
  processes: number;
  intervalMs: number;
  connectConcurrency: number;
}

/** What `simulator run --json` prints (the fields the bench reads). */
export interface SimulatorReport {
  gateways: number;
  connected: number;
  connectSeconds: number;
  messages: number;
  readings: number;
  readingsPerS: number;
  skipped: number;
  failed: number;
  rejections: number;
}

export interface Fleet {
  children: ChildProcess[];
  /** SIGTERM: each simulator drains, marks its gateways offline, prints its report */
  stop(): Promise<SimulatorReport[]>;
}

/**
 * The gateways split over `processes` simulators (`simulator run` in load mode, one credentials
 * file each, ~2,500 MQTT sessions a process), each a real gateway session: Last Will, retained
 * `online`, errors subscription, reconnect with jitter.
 */
export function startFleet(o: FleetOptions): Fleet {
  const per = Math.ceil(o.gateways / o.processes);
  const children: ChildProcess[] = [];
  const reports: Promise<SimulatorReport>[] = [];
  for (let i = 0; i < o.processes; i++) {
    const slice = o.setup.gateways.slice(i * per, Math.min(o.gateways, (i + 1) * per));
    if (slice.length === 0) break;
    const file = join(o.dir, `scale-credentials-${i}.json`);
    const gateways = slice.map((g, k) => ({
      code: g.code,
      password: g.password as string,
      points: g.points.slice(0, o.points).map((code, p) => {
        const entry = o.setup.entryOf(i * per + k, p);
        return { code, type: entry.type, unit: entry.unit, intervalS: o.intervalMs / 1000, baseline: entry.baseline };
      }),
    }));
    writeFileSync(file, JSON.stringify({ version: 1, kind: 'bench', brokerUrl: o.brokerUrl, writtenAt: new Date().toISOString(), gateways }), { mode: 0o600 });
    const child = spawn(
      process.execPath,
      [join(o.repo, 'dist/apps/simulator/src/main.js'), 'run', '--credentials', file, '--gateways', String(slice.length), '--points', String(o.points),
        '--interval-ms', String(o.intervalMs), '--per-message', String(o.points), '--qos', '1', '--url', o.brokerUrl, '--duration', '3600',
        '--json', '--summary-s', '15', '--connect-concurrency', String(o.connectConcurrency)],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr?.on('data', (c: Buffer) => {
      err = (err + c.toString()).slice(-4000);
    });
    reports.push(
      new Promise((resolve, reject) =>
        child.once('exit', (code) => {
          const line = out.trim().split('\n').at(-1) ?? '';
          if (code === 0 && line.startsWith('{')) resolve(JSON.parse(line) as SimulatorReport);
          else reject(new Error(`simulator ${i} exited with ${code}: ${err}`));
        }),
      ),
    );
    children.push(child);
  }
  for (const r of reports) r.catch(() => undefined); // observed by stop()
  return {
    children,
    async stop() {
      for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
      return Promise.all(reports);
    },
  };
}
