// After `tsc` has emitted apps and libs into dist/ (same layout as the sources), make the
// workspace aliases (`@sw/sensors`, …) resolvable at run time by writing tiny CommonJS shims in
// dist/node_modules. Node finds them by walking up from dist/apps/<app>/src.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { compilerOptions } = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8'));
for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
  const shimDir = join(root, 'dist', 'node_modules', alias);
  mkdirSync(shimDir, { recursive: true });
  const compiled = join(root, 'dist', target.replace(/\.ts$/, '.js'));
  const rel = relative(shimDir, compiled).split('\\').join('/');
  writeFileSync(join(shimDir, 'index.js'), `module.exports = require('${rel.startsWith('.') ? rel : './' + rel}');\n`);
}
