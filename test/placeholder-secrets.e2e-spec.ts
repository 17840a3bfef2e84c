/**
 * Issue 18: each built app refuses to start with a placeholder secret, one variable at a time,
 * with every `change-me` value the repository's .env.example files ship (read from the files, so a
 * new placeholder is covered too). Real parts: the built apps (`npm run build` first) as child
 * processes; they stop at config parsing, before any connection, so no service is needed. The
 * control run with random secrets gets past the config (and fails later, on the closed ports).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomSecret } from '@sw/testing';

const ROOT = join(__dirname, '..');
const EXAMPLES = ['.env.example', 'docker/.env.example', 'apps/api/.env.example', 'apps/alerting/.env.example', 'apps/uplink/.env.example'];

/** Every placeholder value (containing change-me) the examples give `name`. */
function placeholdersOf(name: string): string[] {
  const values = EXAMPLES.flatMap((f) =>
    readFileSync(join(ROOT, f), 'utf8')
      .split('\n')
      .map((l) => new RegExp(`^#? ?${name}=(.*)$`).exec(l)?.[1] ?? '')
      .filter((v) => /change-me/i.test(v)),
  );
  return [...new Set(values)];
}

const CLOSED = { DATABASE_URL: 'postgres://postgres@127.0.0.1:9/none', INFLUX_URL: 'http://127.0.0.1:9', BROKER_URL: 'mqtt://127.0.0.1:9' };
const APPS = {
  api: { env: { ...CLOSED, JWT_SECRET: randomSecret(), SERVICE_MQTT_PASSWORD: randomSecret(), ADMIN_PASSWORD: randomSecret(), API_PORT: '0' }, secrets: ['JWT_SECRET', 'SERVICE_MQTT_PASSWORD', 'ADMIN_PASSWORD', 'INFLUX_PASSWORD'] },
  ingest: { env: { ...CLOSED, SERVICE_MQTT_PASSWORD: randomSecret(), MQTT_PORT: '0', INGEST_HTTP_PORT: '0' }, secrets: ['SERVICE_MQTT_PASSWORD', 'INFLUX_PASSWORD'] },
  alerting: { env: { ...CLOSED, SERVICE_MQTT_PASSWORD: randomSecret(), ALERTING_HTTP_PORT: '0' }, secrets: ['SERVICE_MQTT_PASSWORD'] },
  uplink: { env: { ...CLOSED, UPLINK_ENDPOINT: 'https://province.test/uplink', UPLINK_KEY_ID: 'k1', UPLINK_SECRET: randomSecret(), UPLINK_HTTP_PORT: '0' }, secrets: ['UPLINK_SECRET', 'INFLUX_PASSWORD'] },
} as const;

function run(app: keyof typeof APPS, env: Record<string, string>, timeout: number): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'dist/apps', app, 'src/main.js')], {
    env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'fatal', ...env },
    encoding: 'utf8',
    timeout,
  });
  return { status: r.status, stderr: r.stderr };
}

describe('placeholder secrets at boot (issue 18)', () => {
  for (const [app, { env, secrets }] of Object.entries(APPS) as [keyof typeof APPS, (typeof APPS)[keyof typeof APPS]][]) {
    for (const name of secrets) {
      it(`${app} refuses every .env.example placeholder of ${name}, naming it and never echoing it`, () => {
        const values = placeholdersOf(name);
        expect(values.length).toBeGreaterThan(0);
        for (const value of values) {
          const { status, stderr } = run(app, { ...env, [name]: value }, 30_000);
          expect(status).toBe(1);
          expect(stderr).toContain(`${app} failed to start: invalid ${app} configuration:`);
          expect(stderr).toContain(`${name}: ${name} is a placeholder (contains "change-me")`);
          expect(stderr).not.toContain(value);
        }
      });
    }

    it(`${app} gets past its configuration with random secrets (the control)`, () => {
      const { stderr } = run(app, env, 8_000);
      expect(stderr).not.toMatch(/invalid \w+ configuration/);
    });
  }

  it('api refuses a short or low-entropy JWT_SECRET with the reason', () => {
    const short = run('api', { ...APPS.api.env, JWT_SECRET: randomSecret(16) }, 30_000);
    expect(short.stderr).toMatch(/JWT_SECRET: JWT_SECRET has 22 characters; at least 32 are required/);
    const flat = run('api', { ...APPS.api.env, JWT_SECRET: 'ab'.repeat(24) }, 30_000);
    expect(flat.stderr).toMatch(/JWT_SECRET: JWT_SECRET is too predictable/);
    expect(flat.stderr).not.toContain('ab'.repeat(24));
  });
});
