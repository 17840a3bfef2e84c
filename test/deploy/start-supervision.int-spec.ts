/**
 * `npm start` (scripts/start.mjs) as a single-node supervisor: when one app dies (SIGKILL, no
 * shutdown hook) the others are stopped and it exits non-zero, so the process manager above it
 * (systemd's Restart=on-failure, a container's restart policy) restarts the whole set. Needs the
 * built apps (`npm run build`; scripts/test.sh builds before the integration stage).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, freePort, InfluxdProcess, tempDir, waitFor, waitForExit, type TestDatabase } from '@sw/testing';

const ROOT = join(__dirname, '../..');

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}

function appOf(pid: number): string | undefined {
  try {
    return /dist\/apps\/(\w+)\/src\/main\.js/.exec(readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '))?.[1];
  } catch {
    return undefined;
  }
}

describe('npm start supervision', () => {
  let db: TestDatabase;
  let influx: InfluxdProcess;
  const spool = tempDir('sw-start-spool-');
  let start: ChildProcess | undefined;
  let output = '';

  beforeAll(async () => {
    for (const app of ['ingest', 'alerting', 'api']) {
      if (!existsSync(join(ROOT, 'dist/apps', app, 'src/main.js'))) throw new Error(`dist/apps/${app} is missing: run \`npm run build\` first`);
    }
    db = await createTestDatabase('start_supervision');
    influx = new InfluxdProcess();
    await influx.start();
  });

  afterAll(async () => {
    if (start && start.exitCode === null) {
      start.kill('SIGKILL');
      await waitForExit(start, 5_000);
    }
    await influx?.cleanup();
    await db?.drop();
    spool.remove();
  });

  it('stops ingest and api and exits non-zero when alerting is killed', async () => {
    const [mqtt, ingest, alerting, api] = [await freePort(), await freePort(), await freePort(), await freePort()];
    start = spawn(process.execPath, [join(ROOT, 'scripts/start.mjs')], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        DATABASE_URL: db.url,
        INFLUX_URL: influx.url,
        SERVICE_MQTT_PASSWORD: 'start-spec-service-password',
        MQTT_PORT: String(mqtt),
        MQTT_BIND: '127.0.0.1',
        BROKER_URL: `mqtt://127.0.0.1:${mqtt}`,
        INGEST_HTTP_PORT: String(ingest),
        SPOOL_DIR: spool.path,
        MODBUS_POLLING: 'false',
        ALERTING_HTTP_PORT: String(alerting),
        API_PORT: String(api),
        API_BIND: '127.0.0.1',
        JWT_SECRET: 'start-spec-jwt-secret-that-is-long-enough',
        ADMIN_USERNAME: 'admin',
        ADMIN_PASSWORD: 'start-spec-admin-password',
        LOG_LEVEL: 'warn',
        LOG_FORMAT: 'json',
      },
    });
    const keep = (chunk: Buffer): void => void (output = (output + chunk.toString()).slice(-20_000));
    start.stdout?.on('data', keep);
    start.stderr?.on('data', keep);
    const supervisor = start;
    const up = async (port: number): Promise<boolean> => fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false);
    try {
      await waitFor(async () => {
        if (supervisor.exitCode !== null) throw new Error(`npm start exited with ${supervisor.exitCode}`);
        return (await up(ingest)) && (await up(alerting)) && (await up(api));
      }, { what: 'the three apps to answer /health', timeoutMs: 240_000, intervalMs: 250 }); // three Nest apps starting at once on a busy machine
    } catch (err) {
      const state = `ingest ${await up(ingest)}, alerting ${await up(alerting)}, api ${await up(api)}`;
      throw new Error(`${(err as Error).message} (${state})\n--- npm start output ---\n${output}`);
    }
    const apps = new Map(childrenOf(supervisor.pid as number).map((pid) => [appOf(pid), pid]));
    expect([...apps.keys()].sort()).toEqual(['alerting', 'api', 'ingest']);

    process.kill(apps.get('alerting') as number, 'SIGKILL');
    expect(await waitForExit(supervisor, 30_000)).toBe(true);
    expect(supervisor.exitCode).not.toBe(0);
    expect(output).toMatch(/alerting exited \(SIGKILL\); stopping the platform/);
    await waitFor(() => !alive(apps.get('ingest') as number) && !alive(apps.get('api') as number), { what: 'ingest and api to be gone', timeoutMs: 5_000 });
    expect(await up(api)).toBe(false);
    expect(await up(ingest)).toBe(false);
  }, 300_000);
});
