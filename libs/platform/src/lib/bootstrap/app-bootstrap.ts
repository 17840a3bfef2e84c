import type { DynamicModule, INestApplication, NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';

/** How an app starts: its root module, where it listens, and what it sets up in between. */
export interface AppShell<T extends INestApplication> {
  module: DynamicModule;
  port: number;
  host: string;
  options?: NestApplicationOptions;
  /** Runs after the logger and shutdown hooks are in place, before `listen`. */
  configure?: (app: T) => void;
  /** A failed `listen` (an init hook failed) closes what did start before the error is thrown. */
  closeOnFailedListen?: boolean;
}

/**
 * Creates the app with the pino logger (start-up logs buffered until it is there) and Nest's
 * shutdown hooks: on SIGTERM/SIGINT the HTTP server stops taking requests, every module drains in
 * `onModuleDestroy`/`beforeApplicationShutdown`, and the pool closes last (`DataSourceCloser`).
 * Resolves once the app listens (init hooks run: migrations, broker sessions).
 */
export async function bootstrapApp<T extends INestApplication = INestApplication>(shell: AppShell<T>): Promise<T> {
  const app = await NestFactory.create<T>(shell.module, { bufferLogs: true, ...shell.options });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  shell.configure?.(app);
  try {
    await app.listen(shell.port, shell.host);
  } catch (err) {
    if (shell.closeOnFailedListen) await app.close().catch(() => undefined);
    throw err;
  }
  return app;
}

/**
 * `main.ts` run as a program: starts the app; a refused setting (e.g. a placeholder secret) or a
 * failed start ends with one line naming it on stderr and exit code 1.
 */
export function runMain(app: string, start: () => Promise<unknown>): void {
  Promise.resolve()
    .then(start)
    .catch((err: Error) => {
      process.stderr.write(`${app} failed to start: ${err.message}\n`);
      process.exit(1);
    });
}
