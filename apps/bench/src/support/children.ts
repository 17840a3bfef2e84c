import { type ChildProcess, fork, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { LoadResult, LoadSpec } from '../load/load-generator';

const MAIN = join(__dirname, '..', 'main.js');

/** A load generator in its own process, so its CPU is measured apart from the system under test. */
export interface LoadRun {
  child: ChildProcess;
  /** resolves when every connection is up; call go() to start publishing */
  ready: Promise<void>;
  go(): void;
  done: Promise<LoadResult>;
}

export function startLoad(spec: LoadSpec): LoadRun {
  const child = fork(MAIN, ['load'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let onReady = (): void => undefined;
  let onExit: (err: Error) => void = () => undefined;
  // a generator that dies before it is ready (its gateways refused) fails `ready` too, instead of leaving it pending
  const ready = new Promise<void>((resolve, reject) => {
    onReady = resolve;
    onExit = reject;
  });
  const done = new Promise<LoadResult>((resolve, reject) => {
    child.on('message', (m) => ((m as { type?: string }).type === 'ready' ? onReady() : resolve(m as LoadResult)));
    child.once('exit', (code) => {
      const err = new Error(`load generator exited with ${code}${code === 0 ? '' : ' (its output above says why)'}`);
      onExit(err);
      reject(err);
    });
  });
  // observed by the caller; never an unhandled rejection meanwhile
  ready.catch(() => undefined);
  done.catch(() => undefined);
  child.send(spec);
  return { child, ready, go: () => child.send('go'), done };
}

/** Bare aedes in its own process; resolves with its port. */
export function startRelay(): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [MAIN, 'relay'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout?.once('data', (chunk: Buffer) => resolve({ child, port: (JSON.parse(chunk.toString()) as { port: number }).port }));
    child.once('exit', (code) => reject(new Error(`bare relay exited with ${code}`)));
  });
}

export function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
