import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';

const port = z.coerce.number().int().min(1).max(65535);

/** Every setting has a default for a single machine; `.env.example` documents them. */
export const simulatorConfigSchema = z.object({
  DATABASE_URL: z.string().default('postgres://postgres@127.0.0.1:5432/safety_watch'),
  SIMULATOR_BROKER_URL: z.string().regex(/^(mqtts?|wss?):\/\//, 'must be an mqtt://, mqtts://, ws:// or wss:// URL').optional(),
  SIMULATOR_CONTROL_HOST: z.string().default('127.0.0.1'),
  SIMULATOR_CONTROL_PORT: port.default(3009),
  /**
   * The demo's Modbus TCP device (a casting PLC): `run` serves it on this address, `provision`
   * registers its gateway with it (ingest polls it there). 1502: 502 needs root.
   */
  SIMULATOR_MODBUS_HOST: z.string().min(1).default('127.0.0.1'),
  SIMULATOR_MODBUS_PORT: port.default(1502),
  /** Relative paths are taken from the current directory; the default lives at the repo root. */
  SIMULATOR_CREDENTIALS: z.string().optional(),
  /** The api `hazards` records the demo's hazards through. */
  SIMULATOR_API_URL: z.url().default('http://127.0.0.1:3000'),
});

export type SimulatorConfig = z.infer<typeof simulatorConfigSchema>;

export const DEFAULT_BROKER_URL = 'mqtt://127.0.0.1:1883';
export const DEFAULT_CREDENTIALS = '.demo/credentials.json';
export const DEFAULT_BENCH_CREDENTIALS = '.demo/bench-credentials.json';

/** Parses the environment once; a bad setting stops the command with every reason. */
export function loadSimulatorConfig(env: NodeJS.ProcessEnv = process.env): SimulatorConfig {
  const result = simulatorConfigSchema.safeParse(env);
  if (!result.success) {
    const reasons = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n  ');
    throw new Error(`invalid simulator configuration:\n  ${reasons}`);
  }
  return result.data;
}

/** `--credentials`, else SIMULATOR_CREDENTIALS, else the default file under the repo root. */
export function credentialsPath(config: SimulatorConfig, flag: string | undefined, fallback = DEFAULT_CREDENTIALS): string {
  if (flag) return resolve(flag);
  if (config.SIMULATOR_CREDENTIALS) return resolve(config.SIMULATOR_CREDENTIALS);
  return join(workspaceRoot(), fallback);
}

/** The directory holding nx.json above this file (source or dist), else the current directory. */
export function workspaceRoot(from = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir) return process.cwd();
  }
}
