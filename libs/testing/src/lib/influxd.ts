import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts } from './ports';
import { repoRoot } from './repo-root';
import { waitFor, waitForExit } from './wait';

/**
 * A real InfluxDB 1.x server (`influxd`, Debian package `influxdb`) for integration tests: its own
 * ports on 127.0.0.1, its own config and data under a fresh temp dir, nothing shared with a system
 * influxd. `scripts/test.sh` installs the package when it is missing.
 */

export interface InfluxdOptions {
  /** HTTP API port; a free one is picked at the first start() when not given. */
  httpPort?: number;
  /** The RPC/backup bind address port (`bind-address`, 8088 by default upstream); picked like httpPort. */
  bindPort?: number;
  /** Binary to run; default $INFLUXD_BIN, else /usr/bin/influxd, else `influxd` on PATH. */
  binary?: string;
  /** How long start() waits for GET /ping → 204 (default 20 s). */
  startTimeoutMs?: number;
  /**
   * Turn on `[http] auth-enabled` and create this admin user right after the first start (InfluxDB
   * allows CREATE USER without credentials while no admin exists). The helpers then send u/p.
   */
  auth?: { username: string; password: string };
}

export interface InfluxSeries {
  name: string;
  tags?: Record<string, string>;
  columns: string[];
  values: unknown[][];
}

interface QueryResponse {
  results?: { statement_id?: number; series?: InfluxSeries[]; error?: string }[];
  error?: string;
}

const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;
function track(child: ChildProcess): void {
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // Last resort if a test run dies without calling stop(): never leave an influxd behind.
    process.once('exit', () => {
      for (const c of liveChildren) c.kill('SIGKILL');
    });
  }
}

function defaultBinary(): string {
  if (process.env['INFLUXD_BIN']) return process.env['INFLUXD_BIN'];
  return existsSync('/usr/bin/influxd') ? '/usr/bin/influxd' : 'influxd';
}

function readOr(path: string, fallback = ''): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return fallback;
  }
}

const tailOf = (path: string, lines = 40): string => readOr(path, '(no log written)').split('\n').slice(-lines).join('\n');

const quoteIdent = (name: string): string => `"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

export class InfluxdProcess {
  readonly dir: string;
  readonly logPath: string;
  readonly configPath: string;
  private httpPortValue: number | undefined;
  private bindPortValue: number | undefined;
  private child: ChildProcess | undefined;
  private adminCreated = false;
  private started = false;
  private readonly binary: string;
  private readonly startTimeoutMs: number;

  constructor(private readonly options: InfluxdOptions = {}) {
    this.dir = mkdtempSync(join(tmpdir(), 'sw-influxd-'));
    this.logPath = join(this.dir, 'influxd.log');
    this.configPath = join(this.dir, 'influxdb.conf');
    this.httpPortValue = options.httpPort;
    this.bindPortValue = options.bindPort;
    this.binary = options.binary ?? defaultBinary();
    this.startTimeoutMs = options.startTimeoutMs ?? 20_000;
  }

  get httpPort(): number {
    if (this.httpPortValue === undefined) throw new Error('InfluxdProcess: no port yet, call start() first');
    return this.httpPortValue;
  }

  get bindPort(): number {
    if (this.bindPortValue === undefined) throw new Error('InfluxdProcess: no port yet, call start() first');
    return this.bindPortValue;
  }

  /** http://127.0.0.1:PORT */
  get url(): string {
    return `http://127.0.0.1:${this.httpPort}`;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }

  /**
   * Starts influxd (same ports and data as before on a restart) and waits until /ping answers 204.
   * Ports picked by this class are re-picked (up to 3 tries) if another process grabbed one between
   * the pick and the first start.
   */
  async start(): Promise<void> {
    if (this.running) throw new Error('InfluxdProcess: already running');
    const repickable = this.options.httpPort === undefined && this.options.bindPort === undefined && !this.started;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.startOnce();
        this.started = true;
        return;
      } catch (error) {
        if (!repickable || attempt >= 3 || !/address already in use/i.test(String(error))) throw error;
        this.httpPortValue = undefined;
        this.bindPortValue = undefined;
      }
    }
  }

  private async startOnce(): Promise<void> {
    if (this.httpPortValue === undefined || this.bindPortValue === undefined) {
      const [a, b] = (await freePorts(2)) as [number, number];
      this.httpPortValue ??= a;
      this.bindPortValue ??= b;
    }
    this.writeConfig();

    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) {
      // INFLUXDB_* variables override config-file settings in influxd; keep ours authoritative.
      if (!k.startsWith('INFLUXDB_')) env[k] = v;
    }
    // /ping alone could be answered by some other server on the port; the log line proves it is ours.
    const listening = (): number => readOr(this.logPath).split('msg="Listening on HTTP"').length;
    const listeningBefore = listening();
    const logFd = openSync(this.logPath, 'a');
    let child: ChildProcess;
    try {
      child = spawn(this.binary, ['run', '-config', this.configPath], {
        cwd: this.dir,
        env,
        stdio: ['ignore', logFd, logFd],
      });
    } finally {
      closeSync(logFd);
    }
    this.child = child;
    track(child);

    let failure: Error | undefined;
    const onError = (error: Error): void => {
      failure = new Error(`could not run ${this.binary}: ${error.message} (install Debian's influxdb package: apt-get install influxdb)`);
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      failure ??= new Error(`influxd exited during start-up (code ${code}, signal ${signal})`);
    };
    child.once('error', onError);
    child.once('exit', onExit);
    try {
      await waitFor(
        async () => {
          if (failure) return true;
          return listening() > listeningBefore && (await this.ping(1_000)) === 204;
        },
        { what: `influxd to answer GET ${this.url}/ping with 204`, timeoutMs: this.startTimeoutMs, intervalMs: 100 },
      );
      if (failure) throw failure;
    } catch (error) {
      if (this.running) {
        child.kill('SIGKILL');
        await waitForExit(child, 5_000);
      }
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`${message}\n--- tail of ${this.logPath} ---\n${tailOf(this.logPath)}`);
    } finally {
      child.off('error', onError);
      child.off('exit', onExit);
    }

    if (this.options.auth && !this.adminCreated) {
      const { username, password } = this.options.auth;
      await this.exec(`CREATE USER ${quoteIdent(username)} WITH PASSWORD '${password.replace(/'/g, "\\'")}' WITH ALL PRIVILEGES`);
      this.adminCreated = true;
    }
  }

  /** SIGTERM and wait for the exit (SIGKILL after 15 s). */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    child.kill('SIGTERM');
    if (!(await waitForExit(child, 15_000))) {
      child.kill('SIGKILL');
      await waitForExit(child, 5_000);
    }
  }

  /** SIGKILL (a crash), waits for the exit. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    child.kill('SIGKILL');
    await waitForExit(child, 5_000);
  }

  /** stop() then start() on the same ports and data. */
  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Stops the server if needed and removes the temp dir with its data. */
  async cleanup(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** GET /ping status code, or 0 when nothing answers. */
  async ping(timeoutMs = 2_000): Promise<number> {
    try {
      const res = await fetch(`${this.url}/ping`, { signal: AbortSignal.timeout(timeoutMs) });
      await res.arrayBuffer();
      return res.status;
    } catch {
      return 0;
    }
  }

  /** Runs InfluxQL (POST, for CREATE/DROP and the like) and returns all series of all statements. */
  async exec(influxQL: string, db?: string): Promise<InfluxSeries[]> {
    return this.request('POST', influxQL, db);
  }

  /** Runs InfluxQL with epoch=ms and returns the series of all statements (throws on any error). */
  async query(db: string, influxQL: string): Promise<InfluxSeries[]> {
    return this.request('GET', influxQL, db);
  }

  async createDatabase(db: string): Promise<void> {
    await this.exec(`CREATE DATABASE ${quoteIdent(db)}`);
  }

  /** POST /write line protocol (precision ms by default); throws unless 204. */
  async write(db: string, lineProtocol: string, precision: 'ns' | 'u' | 'ms' | 's' = 'ms'): Promise<void> {
    const params = this.authParams({ db, precision });
    const res = await fetch(`${this.url}/write?${params}`, { method: 'POST', body: lineProtocol });
    const body = await res.text();
    if (res.status !== 204) throw new Error(`influxd /write answered ${res.status}: ${body}`);
  }

  private async request(method: 'GET' | 'POST', influxQL: string, db?: string): Promise<InfluxSeries[]> {
    const params = this.authParams({ ...(db === undefined ? {} : { db }), epoch: 'ms', q: influxQL });
    const res = await fetch(`${this.url}/query?${params}`, { method });
    const text = await res.text();
    let parsed: QueryResponse;
    try {
      parsed = JSON.parse(text) as QueryResponse;
    } catch {
      throw new Error(`influxd /query answered ${res.status} with non-JSON: ${text.slice(0, 500)}`);
    }
    if (!res.ok || parsed.error) throw new Error(`influxd /query answered ${res.status}: ${parsed.error ?? text.slice(0, 500)}`);
    const series: InfluxSeries[] = [];
    for (const result of parsed.results ?? []) {
      if (result.error) throw new Error(`InfluxQL error: ${result.error} (query: ${influxQL})`);
      series.push(...(result.series ?? []));
    }
    return series;
  }

  private authParams(params: Record<string, string>): URLSearchParams {
    const search = new URLSearchParams(params);
    if (this.options.auth && this.adminCreated) {
      search.set('u', this.options.auth.username);
      search.set('p', this.options.auth.password);
    }
    return search;
  }

  // The repository's one influxd configuration (scripts/lib/influxd.conf, shared with scripts/demo.sh), filled in.
  private writeConfig(): void {
    for (const sub of ['meta', 'data', 'wal']) mkdirSync(join(this.dir, sub), { recursive: true });
    const values: Record<string, string> = {
      DIR: this.dir,
      BIND: `127.0.0.1:${this.bindPort}`,
      HTTP: `127.0.0.1:${this.httpPort}`,
      AUTH: this.options.auth ? 'true' : 'false',
    };
    const template = readFileSync(join(repoRoot(), 'scripts/lib/influxd.conf'), 'utf8');
    const config = template.replace(/@(DIR|BIND|HTTP|AUTH)@/g, (_m, key: string) => values[key] as string);
    writeFileSync(this.configPath, config);
  }
}
