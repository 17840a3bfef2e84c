#!/usr/bin/env node
// `npm start`: the platform alone (no simulator), single node, configured by environment variables
// (README, .env.example). Starts every built app as a child process, prefixes their logs, forwards
// SIGINT/SIGTERM, and exits non-zero as soon as one app dies, so a process manager restarts it all.
// Under a process manager that runs one process per app, start `node dist/apps/<app>/src/main.js`.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
loadEnvFile(join(root, '.env'));
// the uplink to the provincial platform runs only when a provincial endpoint is configured
// (docs/contracts.md §6); without one there is nothing for it to do
const APPS = ['ingest', 'alerting', 'api', ...(process.env.UPLINK_ENDPOINT ? ['uplink'] : [])].filter((app) => existsSync(join(root, 'apps', app)));
const missing = APPS.filter((app) => !existsSync(join(root, 'dist/apps', app, 'src/main.js')));
if (missing.length > 0) {
  console.error(`not built: ${missing.join(', ')} — run \`npm run build\` first`);
  process.exit(1);
}

const children = new Map();
let stopping = false;
for (const app of APPS) {
  const child = spawn(process.execPath, [join(root, 'dist/apps', app, 'src/main.js')], { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  children.set(app, child);
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream.on('data', (chunk) => {
      const lines = (rest + chunk.toString()).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) process.stdout.write(`${app.padEnd(8)} | ${line}\n`);
    });
  }
  child.on('exit', (code, signal) => {
    children.delete(app);
    if (!stopping) {
      console.error(`${app} exited (${signal ?? code}); stopping the platform`);
      stop(1);
    } else if (children.size === 0) process.exit(process.exitCode ?? 0);
  });
}

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stop(0));

function stop(code) {
  if (stopping) return;
  stopping = true;
  process.exitCode = code;
  if (children.size === 0) process.exit(code);
  for (const child of children.values()) child.kill('SIGTERM');
  setTimeout(() => {
    for (const child of children.values()) child.kill('SIGKILL');
    process.exit(code || 1);
  }, 15_000).unref();
}

/** KEY=VALUE lines of a .env file; the real environment wins. */
function loadEnvFile(path) {
  if (!existsSync(path)) return;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^\s*([A-Z][A-Z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (m && process.env[m[1]] === undefined) process.env[m[1]] = m[2].replace(/^(['"])(.*)\1$/, '$2');
  }
}
