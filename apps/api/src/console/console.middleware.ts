import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';

/** Paths the console never answers: the API, the live feed, the OpenAPI UI, health and metrics. */
const NOT_CONSOLE = /^\/(api|ws|docs|health|metrics)(\/|-|$)/;

/**
 * The built console (`dist/apps/console`, beside `dist/apps/api`), or null when the api runs from
 * source (tests) or the console was not built.
 */
export function builtConsoleDir(): string | null {
  if (!__filename.endsWith('.js')) return null;
  const dir = join(__dirname, '..', '..', '..', 'console');
  return existsSync(join(dir, 'index.html')) ? dir : null;
}

/**
 * Serves the duty officers' console at `/`: its files, and index.html for any other GET that
 * asks for a page (SPA fallback), never under /api, /ws, /docs, /health or /metrics.
 */
export function serveConsole(app: NestExpressApplication, dir: string): void {
  const index = join(dir, 'index.html');
  app.useStaticAssets(dir, {
    index: false,
    setHeaders: (res, path) => res.setHeader('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache'),
  });
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || NOT_CONSOLE.test(req.path) || !req.accepts('html')) return next();
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(index);
  });
}
