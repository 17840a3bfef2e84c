import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './ports';
import { waitForExit } from './wait';

/** Register contents by 0-based address (only these addresses exist; others answer exception 2). */
export interface PymodbusTables {
  holding?: Record<number, number>;
  input?: Record<number, number>;
  coils?: Record<number, boolean>;
  discrete?: Record<number, boolean>;
}

export interface PymodbusOptions extends PymodbusTables {
  /** Reads touching these addresses answer exception 6 (server device busy). */
  busy?: Partial<Record<keyof PymodbusTables, number[]>>;
  /** Reads touching these addresses answer exception 4 (server device failure). */
  failing?: Partial<Record<keyof PymodbusTables, number[]>>;
  /** Default: a free port picked at the first start(), kept across restarts. */
  port?: number;
  /** Default $PYMODBUS_PYTHON or /usr/bin/python3: Debian's python3-pymodbus lives only there. */
  python?: string;
}

// Beside this file in the sources; from dist/libs/testing/src/lib (tsc copies no .py), the source tree's.
const SCRIPT = [join(__dirname, 'pymodbus-server.py'), join(__dirname, '../../../../../libs/testing/src/lib/pymodbus-server.py')].find((p) =>
  existsSync(p),
) ?? join(__dirname, 'pymodbus-server.py');

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/**
 * A Modbus TCP server from an independent implementation: Debian's python3-pymodbus 3.0.0
 * (`pymodbus-server.py`, zero_mode=True) on 127.0.0.1 and its own port, with known register
 * contents. `kill()` makes the device vanish (SIGKILL), `pause()`/`resume()` make it hang
 * (SIGSTOP: TCP still connects, nothing answers), `start()` again brings it back on the same port.
 */
export class PymodbusProcess {
  private child: ChildProcess | undefined;
  private portValue: number | undefined;
  private output = '';

  constructor(private readonly options: PymodbusOptions = {}) {
    this.portValue = options.port;
  }

  get port(): number {
    if (this.portValue === undefined) throw new Error('PymodbusProcess: no port yet, call start() first');
    return this.portValue;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the server (same port on a restart) and resolves once it listens. */
  async start(timeoutMs = 15_000): Promise<void> {
    if (this.running) throw new Error('PymodbusProcess: already running');
    this.portValue ??= await freePort();
    const { python, holding, input, coils, discrete, busy, failing } = this.options;
    const config = JSON.stringify({ host: '127.0.0.1', port: this.portValue, holding, input, coils, discrete, busy, failing });
    const child = spawn(python ?? process.env['PYMODBUS_PYTHON'] ?? '/usr/bin/python3', [SCRIPT, config], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    live.add(child);
    child.once('exit', () => live.delete(child));
    this.output = '';
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(this.failure(`did not listen within ${timeoutMs} ms`)), timeoutMs);
      const onData = (chunk: Buffer): void => {
        this.output += chunk.toString();
        if (this.output.includes(`ready ${this.portValue}`)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(this.failure(`could not run: ${err.message} (install Debian's python3-pymodbus)`));
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(this.failure(`exited during start-up (code ${code}, signal ${signal})`));
      });
    });
    try {
      await ready;
    } catch (err) {
      await this.kill();
      throw err;
    }
  }

  /** SIGKILL: the device is gone; the kernel resets its connections. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    child.kill('SIGCONT'); // a paused process cannot die before it is continued on some kernels
    child.kill('SIGKILL');
    await waitForExit(child, 5_000);
  }

  /** SIGSTOP: connections stay open and new ones are accepted by the kernel, but nothing answers. */
  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  resume(): void {
    this.child?.kill('SIGCONT');
  }

  private failure(what: string): Error {
    return new Error(`pymodbus server on port ${this.portValue} ${what}\n${this.output.trim()}`);
  }
}
