import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXAMPLE_VALUES } from '@sw/secrets';

const ROOT = join(__dirname, '../../../..');

function envExamples(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory()) return ['node_modules', 'dist', '.git', 'tmp', '.run', '.demo'].includes(e.name) ? [] : envExamples(join(dir, e.name));
    return e.name === '.env.example' ? [join(dir, e.name)] : [];
  });
}

// libs/secrets refuses any value of any .env.example as a secret; its list must not drift.
describe('EXAMPLE_VALUES', () => {
  it('holds every value of 8 characters or more of every .env.example in the repository (commented-out ones too)', () => {
    const files = envExamples(ROOT);
    expect(files.length).toBeGreaterThanOrEqual(5);
    const missing = files.flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .map((l) => /^#? ?[A-Z][A-Z0-9_]*=(.+)$/.exec(l)?.[1])
        .filter((v): v is string => v !== undefined && [...v].length >= 8 && !EXAMPLE_VALUES.has(v))
        .map((v) => `${f}: ${v}`),
    );
    expect(missing).toEqual([]); // add them to libs/secrets/src/lib/example-values.ts
  });
});
