import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './ports';
import { waitFor, waitForExit } from './wait';

/**
 * Debian's Mosquitto 2.0 (`/usr/sbin/mosquitto`) on its own port on 127.0.0.1 with its own config
 * dir, for the external-broker mode (password file + ACL written by the platform). The machine's
 * Mosquitto on 1883 is anonymous and never used by tests.
 *
 * Mosquitto started as root drops privileges to the `mosquitto` user unless the config says
 * `user root`; as root we set `user root` (mosquitto 2.0.11 honours it and only prints "should not be
 * run as root"), so the 0700 temp dir, the log file and a password file rewritten by the test stay
 * readable across SIGHUP reloads.
 */

export interface MosquittoOptions {
  /** Absolute or relative path of a mosquitto_passwd file (`password_file`). */
  passwordFile?: string;
  /** Path of an ACL file (`acl_file`). */
  aclFile?: string;
  /** Default: true without a password file, false with one. */
  allowAnonymous?: boolean;
  /** Listener port; a free one is picked at the first start() when not given. */
  port?: number;
  /** Binary; default $MOSQUITTO_BIN or /usr/sbin/mosquitto. */
  binary?: string;
  /** Extra lines appended to the generated mosquitto.conf. */
  extraConfig?: string;
  /** How long start() waits for the port to accept TCP (default 10 s). */
  startTimeoutMs?: number;
  /**
   * A second listener for gateways (README §Security): `per_listener_settings true`, the main
   * listener keeps `passwordFile`/`aclFile` (the service account), this one has its own files and
   * `use_username_as_clientid true`, so a gateway's client id is always its code.
   */
  gatewayListener?: { passwordFile: string; aclFile: string };
}

const execFileAsync = promisify(execFile);

const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;
function track(child: ChildProcess): void {
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const c of liveChildren) c.kill('SIGKILL');
    });
  }
}

function readOr(path: string, fallback: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return fallback;
  }
}

function tcpAccepts(port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolvePromise(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Adds or replaces `username` in a mosquitto password file with `mosquitto_passwd -b` (creating the
 * file with -c when it does not exist yet).
 */
export async function mosquittoPasswd(file: string, username: string, password: string): Promise<void> {
  const args = existsSync(file) ? ['-b', file, username, password] : ['-c', '-b', file, username, password];
  await execFileAsync('mosquitto_passwd', args);
}

export class MosquittoProcess {
  readonly dir: string;
  readonly configPath: string;
  readonly logPath: string;
  /** mosquitto's own stdout/stderr (start-up errors before the log file opens). */
  readonly stderrPath: string;
  private portValue: number | undefined;
  private gatewayPortValue: number | undefined;
  private started = false;
  private child: ChildProcess | undefined;
  private readonly binary: string;

  constructor(private readonly options: MosquittoOptions = {}) {
    this.dir = mkdtempSync(join(tmpdir(), 'sw-mosquitto-'));
    this.configPath = join(this.dir, 'mosquitto.conf');
    this.logPath = join(this.dir, 'mosquitto.log');
    this.stderrPath = join(this.dir, 'stderr.log');
    this.portValue = options.port;
    this.binary = options.binary ?? process.env['MOSQUITTO_BIN'] ?? '/usr/sbin/mosquitto';
  }

  get port(): number {
    if (this.portValue === undefined) throw new Error('MosquittoProcess: no port yet, call start() first');
    return this.portValue;
  }

  /** mqtt://127.0.0.1:PORT */
  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  /** The gateway listener's mqtt://127.0.0.1:PORT (with `gatewayListener` only). */
  get gatewayUrl(): string {
    if (this.gatewayPortValue === undefined) throw new Error('MosquittoProcess: no gateway listener (options.gatewayListener) or not started');
    return `mqtt://127.0.0.1:${this.gatewayPortValue}`;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }

  /**
   * Starts mosquitto (same port on a restart) and waits until the port accepts TCP. A port picked by
   * this class is re-picked (up to 3 tries) if another process grabbed it before the first start.
   */
  async start(): Promise<void> {
    if (this.running) throw new Error('MosquittoProcess: already running');
    const repickable = this.options.port === undefined && !this.started;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.startOnce();
        this.started = true;
        return;
      } catch (error) {
        if (!repickable || attempt >= 3 || !/address already in use/i.test(String(error))) throw error;
        this.portValue = undefined;
        this.gatewayPortValue = undefined;
      }
    }
  }

  private async startOnce(): Promise<void> {
    this.portValue ??= await freePort();
    if (this.options.gatewayListener) this.gatewayPortValue ??= await freePort();
    this.writeConfig();

    // A TCP accept alone could come from another server on the port; the log line proves it is ours.
    const runningLines = (): number => (readOr(this.logPath, '').match(/mosquitto version \S+ running/g) ?? []).length;
    const runningBefore = runningLines();
    const outFd = openSync(this.stderrPath, 'a');
    let child: ChildProcess;
    try {
      child = spawn(this.binary, ['-c', this.configPath], { cwd: this.dir, stdio: ['ignore', outFd, outFd] });
    } finally {
      closeSync(outFd);
    }
    this.child = child;
    track(child);

    let failure: Error | undefined;
    const onError = (error: Error): void => {
      failure = new Error(`could not run ${this.binary}: ${error.message} (install Debian's mosquitto package)`);
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      failure ??= new Error(`mosquitto exited during start-up (code ${code}, signal ${signal})`);
    };
    child.once('error', onError);
    child.once('exit', onExit);
    try {
      await waitFor(async () => failure !== undefined || (runningLines() > runningBefore && (await tcpAccepts(this.port))), {
        what: `mosquitto to accept TCP on 127.0.0.1:${this.port}`,
        timeoutMs: this.options.startTimeoutMs ?? 10_000,
        intervalMs: 50,
      });
      if (failure) throw failure;
    } catch (error) {
      if (this.running) {
        child.kill('SIGKILL');
        await waitForExit(child, 5_000);
      }
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`${message}\n${this.logTail()}`);
    } finally {
      child.off('error', onError);
      child.off('exit', onExit);
    }
  }

  /**
   * SIGHUP: mosquitto re-reads its config, password file and ACL file. Resolves once the log shows
   * the reload (or after 5 s at most).
   */
  async reload(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) throw new Error('MosquittoProcess: not running');
    const count = (): number => readOr(this.logPath, '').split('Reloading config').length;
    const before = count();
    child.kill('SIGHUP');
    await waitFor(() => count() > before, { what: 'mosquitto to log "Reloading config" after SIGHUP', timeoutMs: 5_000, intervalMs: 20 });
  }

  /** SIGTERM, wait for the exit (SIGKILL after 10 s). */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    child.kill('SIGTERM');
    if (!(await waitForExit(child, 10_000))) {
      child.kill('SIGKILL');
      await waitForExit(child, 5_000);
    }
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    child.kill('SIGKILL');
    await waitForExit(child, 5_000);
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** The last `lines` lines of mosquitto.log, plus whatever mosquitto printed on stdout/stderr. */
  logTail(lines = 50): string {
    const log = readOr(this.logPath, '(no log written)').split('\n').slice(-lines).join('\n');
    const out = readOr(this.stderrPath, '').trim();
    return `--- tail of ${this.logPath} ---\n${log}${out ? `\n--- mosquitto stdout/stderr ---\n${out}` : ''}`;
  }

  /** Stops mosquitto if needed and removes the config dir. */
  async cleanup(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private writeConfig(): void {
    const { passwordFile, aclFile, extraConfig, gatewayListener } = this.options;
    const allowAnonymous = this.options.allowAnonymous ?? passwordFile === undefined;
    const lines = [
      '# Generated by libs/testing/mosquitto.ts',
      ...(process.getuid?.() === 0 ? ['user root'] : []),
      `per_listener_settings ${gatewayListener ? 'true' : 'false'}`,
      `listener ${this.port} 127.0.0.1`,
      `allow_anonymous ${allowAnonymous ? 'true' : 'false'}`,
      ...(passwordFile ? [`password_file ${resolve(passwordFile)}`] : []),
      ...(aclFile ? [`acl_file ${resolve(aclFile)}`] : []),
      ...(gatewayListener
        ? [
            `listener ${this.gatewayPortValue} 127.0.0.1`,
            'allow_anonymous false',
            'use_username_as_clientid true',
            `password_file ${resolve(gatewayListener.passwordFile)}`,
            `acl_file ${resolve(gatewayListener.aclFile)}`,
          ]
        : []),
      'persistence false',
      'max_queued_messages 100000',
      'max_queued_bytes 0',
      'max_inflight_messages 0',
      'max_inflight_bytes 0',
      'set_tcp_nodelay true',
      `log_dest file ${this.logPath}`,
      'log_type error',
      'log_type warning',
      'log_type notice',
      'log_type information',
      'connection_messages true',
      'log_timestamp_format %Y-%m-%dT%H:%M:%S',
      ...(extraConfig ? [extraConfig] : []),
      '',
    ];
    writeFileSync(this.configPath, lines.join('\n'));
  }
}
