import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let cached: string | null = null;

/** The workspace root, found from this file whether it runs from the sources (jest) or from dist/ (benchmarks). */
export function repoRoot(): string {
  if (cached) return cached;
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && existsSync(join(dir, 'nx.json')) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'safety-watch') {
      cached = dir;
      return dir;
    }
  }
  throw new Error(`cannot find the workspace root above ${__dirname}`);
}
