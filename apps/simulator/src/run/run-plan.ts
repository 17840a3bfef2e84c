import { TELEMETRY_LIMITS } from '@sw/sensors';
import { UsageError } from '../cli-args';
import type { CredentialsFile, ModbusDeviceSpec } from '../credentials/credentials.schema';
import type { RunGateway } from './run.service';

export interface RunFlags {
  gateways?: number;
  points?: number;
  intervalMs?: number;
  perMessage?: number;
  qos?: 0 | 1;
  url?: string;
}

export interface RunPlan {
  /** `demo`: every gateway and point as provisioned, incidents on; `load`: a benchmark. */
  mode: 'demo' | 'load';
  url: string;
  gateways: RunGateway[];
  /** Demo mode: the Modbus TCP devices to serve (ingest polls them). */
  modbusDevices: ModbusDeviceSpec[];
  perMessage: number;
  qos: 0 | 1;
  spreadMs: number;
  verbose: boolean;
}

/** Gateways above this count log connects and disconnects in aggregate only. */
export const VERBOSE_GATEWAY_LIMIT = 20;

export function isLoadMode(flags: RunFlags): boolean {
  return flags.gateways !== undefined || flags.points !== undefined || flags.intervalMs !== undefined || flags.perMessage !== undefined;
}

/**
 * What `run` does with a credentials file and its flags. Load mode takes the first N gateways and
 * their first M points, every point at `intervalMs`, and spreads the gateways over one interval.
 */
export function planRun(file: CredentialsFile, flags: RunFlags, fallbackUrl?: string): RunPlan {
  const url = flags.url ?? fallbackUrl ?? file.brokerUrl;
  const qos = flags.qos ?? 1;
  if (!isLoadMode(flags) && file.kind === 'demo') {
    const gateways = file.gateways.map((g) => ({
      code: g.code,
      password: g.password,
      points: g.points.map((p) => ({ code: p.code, type: p.type, unit: p.unit, baseline: p.baseline, intervalMs: p.intervalS * 1000 })),
    }));
    const modbusDevices = file.modbusDevices ?? [];
    return { mode: 'demo', url, gateways, modbusDevices, perMessage: TELEMETRY_LIMITS.maxReadings, qos, spreadMs: 1_000, verbose: true };
  }
  const n = flags.gateways ?? file.gateways.length;
  if (n > file.gateways.length) {
    throw new UsageError(`--gateways ${n}: the credentials file has ${file.gateways.length}; provision --bench --gateways ${n} first`);
  }
  const chosen = file.gateways.slice(0, n);
  const fewest = Math.min(...chosen.map((g) => g.points.length));
  const m = flags.points ?? fewest;
  if (m > fewest) throw new UsageError(`--points ${m}: some gateways in the credentials file have only ${fewest}`);
  const intervalMs = flags.intervalMs ?? 1_000;
  const perMessage = flags.perMessage ?? m;
  if (perMessage > TELEMETRY_LIMITS.maxReadings) throw new UsageError(`--per-message must be at most ${TELEMETRY_LIMITS.maxReadings}`);
  const gateways = chosen.map((g) => ({
    code: g.code,
    password: g.password,
    points: g.points.slice(0, m).map((p) => ({ code: p.code, type: p.type, unit: p.unit, baseline: p.baseline, intervalMs })),
  }));
  return { mode: 'load', url, gateways, modbusDevices: [], perMessage, qos, spreadMs: intervalMs, verbose: n <= VERBOSE_GATEWAY_LIMIT };
}
