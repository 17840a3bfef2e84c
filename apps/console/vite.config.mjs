// Vite build of the duty officers' console into dist/apps/console; apps/api serves it at `/`.
// JSX goes through Vite's own Oxc transform with Preact's automatic runtime (no Babel preset).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: '/',
  publicDir: false,
  resolve: { alias: { '@sw/sensors': here('../../libs/sensors/src/index.ts'), '@sw/hazards': here('../../libs/hazards/src/index.ts') } },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: here('../../dist/apps/console'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1200, // echarts (tree-shaken) is most of it
  },
  server: {
    // `nx serve console` next to a running api on its default port
    proxy: { '/api': 'http://127.0.0.1:3000', '/ws': { target: 'ws://127.0.0.1:3000', ws: true } },
  },
});
