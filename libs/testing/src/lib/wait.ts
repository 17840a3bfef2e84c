import { type ChildProcess } from 'node:child_process';

export interface WaitOptions {
  /** Give up after this long (default 10 s). */
  timeoutMs?: number;
  /** Pause between attempts (default 100 ms). */
  intervalMs?: number;
  /** What is awaited, for the error message ("influxd to answer /ping"). */
  what: string;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Lets time pass on purpose, where time passing IS the scenario, never to wait for something to
 * happen (use `waitFor` on the condition for that): the quiet window of a negative assertion
 * ("no duplicate arrives meanwhile"), a device left dead for a while, readings paced in real time,
 * a lock that expires. `why` says which, so a reader can tell it from a synchronising sleep.
 */
export function holdFor(ms: number, why: string): Promise<void> {
  if (why.trim() === '') throw new Error('holdFor: say why the time must pass');
  return sleep(ms);
}

/**
 * Polls `fn` until it returns true. A throw counts as "not yet" and the last one is quoted in the
 * time-out error, which names `what`.
 */
export async function waitFor(fn: () => Promise<boolean> | boolean, options: WaitOptions): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 100;
  const started = Date.now();
  let attempts = 0;
  let lastError: unknown;
  for (;;) {
    attempts++;
    try {
      if (await fn()) return;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    const elapsed = Date.now() - started;
    if (elapsed >= timeoutMs) {
      const last = lastError === undefined ? '' : `; last error: ${lastError instanceof Error ? lastError.message : String(lastError)}`;
      throw new Error(`Timed out after ${elapsed} ms (${attempts} attempts) waiting for ${options.what}${last}`);
    }
    await sleep(Math.min(intervalMs, Math.max(0, timeoutMs - elapsed)));
  }
}

/** Resolves true when the child exits within `timeoutMs` (or had already exited), false otherwise. */
export function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      resolve(false);
    }, timeoutMs);
    const onExit = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    child.once('exit', onExit);
  });
}
