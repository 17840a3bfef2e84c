import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { waitFor, waitForExit } from './wait';

import { repoRoot } from './repo-root';

/**
 * A built app (`dist/apps/<name>/src/main.js`, `npm run build` first) as a real child process, the
 * way a process manager runs it: environment in, `/health` polled, SIGTERM or SIGKILL out. Its
 * output is kept so a failing test can show it.
 */
export class AppProcess {
  private child: ChildProcess | null = null;
  private output = '';

  constructor(
    readonly name: 'ingest' | 'alerting' | 'api' | 'uplink',
    private readonly env: Record<string, string>,
    /** URL whose 2xx answer means the app is up, e.g. http://127.0.0.1:3001/health */
    private readonly healthUrl: string,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(timeoutMs = 30_000): Promise<void> {
    const child = spawn(process.execPath, [join(repoRoot(), 'dist/apps', this.name, 'src/main.js')], {
      env: { ...process.env, LOG_FORMAT: 'json', LOG_LEVEL: 'warn', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const keep = (chunk: Buffer): void => {
      this.output = (this.output + chunk.toString()).slice(-20_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    try {
      await waitFor(
        async () => {
          if (child.exitCode !== null) throw new Error(`${this.name} exited with ${child.exitCode}`);
          return fetch(this.healthUrl).then((r) => r.ok, () => false);
        },
        { what: `${this.name} to answer ${this.healthUrl}`, timeoutMs, intervalMs: 100 },
      );
    } catch (err) {
      throw new Error(`${(err as Error).message}\n--- ${this.name} output ---\n${this.output}`);
    }
  }

  /** A normal shutdown (SIGTERM). */
  async stop(): Promise<void> {
    await this.signal('SIGTERM', 15_000);
  }

  /** A crash (SIGKILL): no shutdown hooks run. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL', 5_000);
  }

  /** The last output of the process, for failure messages. */
  logs(): string {
    return this.output;
  }

  private async signal(signal: NodeJS.Signals, timeoutMs: number): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    if (!(await waitForExit(child, timeoutMs))) {
      child.kill('SIGKILL');
      await waitForExit(child, 5_000);
    }
  }
}
