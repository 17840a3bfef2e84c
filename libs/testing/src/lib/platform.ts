import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { usccCheckChar } from '@sw/sensors';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';

const execFileAsync = promisify(execFile);
import { repoRoot } from './repo-root';

/** Runs the built CLI (`npm run build` first; scripts/test.sh does) against a database, as an operator would. */
export async function cli<T = Record<string, unknown>>(databaseUrl: string, ...args: string[]): Promise<T> {
  const { stdout } = await execFileAsync('node', [join(repoRoot(), 'dist/apps/cli/src/main.js'), '--json', ...args], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
  });
  return JSON.parse(stdout) as T;
}

export interface RegisteredGateway {
  enterpriseId: string;
  gatewayId: string;
  code: string;
  password: string;
  points: Record<string, string>;
}

/** An enterprise with one MQTT gateway and the given points (code → type), through the CLI. */
export async function registerGateway(
  databaseUrl: string,
  opts: { uscc: string; code: string; region?: string; points: Record<string, string> },
): Promise<RegisteredGateway> {
  const existing = await cli<{ enterprise: { id: string } }>(databaseUrl, 'enterprise', 'add', '--name', `企业${opts.code}`, '--uscc', opts.uscc,
    '--region', opts.region ?? '320505', '--categories', 'steel').catch(() => null);
  const gw = await cli<{ gateway: { id: string; enterpriseId: string }; mqtt: { password: string } }>(
    databaseUrl, 'gateway', 'add', '--enterprise', opts.uscc, '--code', opts.code);
  const points: Record<string, string> = {};
  for (const [code, type] of Object.entries(opts.points)) {
    const p = await cli<{ point: { id: string } }>(databaseUrl, 'point', 'add', '--gateway', opts.code, '--code', code, '--type', type, '--name', code);
    points[code] = p.point.id;
  }
  return { enterpriseId: existing?.enterprise.id ?? gw.gateway.enterpriseId, gatewayId: gw.gateway.id, code: opts.code, password: gw.mqtt.password, points };
}

/**
 * A real MQTT client; `reconnectPeriod: 0` so a refusal surfaces as an error instead of retries.
 * With a username and no client id it connects as `username:<random>`, an id a gateway may use
 * (its code, `:` and a suffix) and that never collides with another test client.
 */
export function connectMqtt(url: string, options: IClientOptions): Promise<MqttClient> {
  const clientId = options.clientId ?? (options.username ? `${options.username}:${Math.random().toString(16).slice(2, 10)}` : undefined);
  return mqtt.connectAsync(url, { reconnectPeriod: 0, connectTimeout: 5_000, protocolVersion: 4, ...options, ...(clientId ? { clientId } : {}) });
}

/** A temp folder removed by the returned function. */
export function tempDir(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** The n-th valid GB 32100 code of a test (the check character computed by the domain lib). */
export function testUscc(n: number): string {
  const first17 = `91320505MA${String(n).padStart(7, '0')}`;
  return first17 + (usccCheckChar(first17) as string);
}
