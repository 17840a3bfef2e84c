import type { Server } from 'node:http';
import { parseArgs } from 'node:util';
import { oneOf, optionalPositiveInt, positiveInt } from '../cli-args';
import { readCredentials } from '../credentials/credentials.repository';
import { ControlController } from '../incidents/control.controller';
import { IncidentsService } from '../incidents/incidents.service';
import { ModbusDevice } from '../modbus/modbus-device';
import { ModbusDeviceServer } from '../modbus/modbus-device-server';
import { credentialsPath, DEFAULT_BENCH_CREDENTIALS, type SimulatorConfig } from '../simulator.config';
import { isLoadMode, planRun, type RunFlags, type RunPlan } from './run-plan';
import { runReport } from './run-report';
import { RunService } from './run.service';

const LOAD_DEFAULT_DURATION_S = 60;

export async function runCommand(config: SimulatorConfig, args: string[]): Promise<number> {
  const opts = parseRunArgs(args);
  const file = credentialsPath(config, opts.credentials, isLoadMode(opts.flags) ? DEFAULT_BENCH_CREDENTIALS : undefined);
  const plan = planRun(await readCredentials(file), opts.flags, config.SIMULATOR_BROKER_URL);
  // With --json, stdout carries the report only.
  const log = (line: string): void => (opts.json ? console.error : console.log)(`${new Date().toISOString().slice(11, 19)} ${line}`);
  const { incidents, server } = await startControl(plan, config, opts.control, log);
  const devices = await startModbusDevices(plan, incidents, log);

  const points = plan.gateways.reduce((n, g) => n + g.points.length, 0);
  log(`${plan.mode}: ${plan.gateways.length} gateways, ${points} points → ${plan.url} (QoS ${plan.qos}) from ${file}`);
  const service = new RunService(
    { ...plan, maxInFlight: opts.maxInFlight, connectConcurrency: opts.connectConcurrency, connectTimeoutMs: 30_000, log },
    incidents,
  );
  const connect = await service.connect();
  log(`${connect.connected}/${plan.gateways.length} gateways connected in ${connect.seconds.toFixed(1)} s`);
  const startedAt = Date.now();
  service.start(startedAt);
  service.stats.window(startedAt);
  const summary = setInterval(() => log(service.summary()), opts.summaryS * 1000);

  await stopSignal(opts.durationS ?? (plan.mode === 'load' ? LOAD_DEFAULT_DURATION_S : undefined));
  clearInterval(summary);
  log('stopping: waiting for outstanding acks, then marking gateways offline');
  await service.drain();
  const seconds = (Date.now() - startedAt) / 1000;
  log(service.summary());
  await service.disconnect();
  await Promise.all(devices.map((d) => d.close()));
  server?.close();
  if (opts.json) console.log(JSON.stringify(runReport(plan, connect, service.stats, seconds)));
  return 0;
}

function parseRunArgs(args: string[]) {
  const { values: v } = parseArgs({
    args,
    options: {
      credentials: { type: 'string' },
      url: { type: 'string' },
      gateways: { type: 'string' },
      points: { type: 'string' },
      'interval-ms': { type: 'string' },
      'per-message': { type: 'string' },
      qos: { type: 'string' },
      duration: { type: 'string' },
      'summary-s': { type: 'string', default: '10' },
      'max-in-flight': { type: 'string', default: '100' },
      'connect-concurrency': { type: 'string', default: '100' },
      'no-control': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const flags: RunFlags = {
    gateways: optionalPositiveInt(v.gateways, 'gateways'),
    points: optionalPositiveInt(v.points, 'points'),
    intervalMs: optionalPositiveInt(v['interval-ms'], 'interval-ms'),
    perMessage: optionalPositiveInt(v['per-message'], 'per-message'),
    qos: v.qos === undefined ? undefined : oneOf(v.qos, ['0', '1'] as const, '--qos') === '0' ? 0 : 1,
    url: v.url,
  };
  return {
    flags,
    credentials: v.credentials,
    durationS: optionalPositiveInt(v.duration, 'duration'),
    summaryS: positiveInt(v['summary-s'], 'summary-s'),
    maxInFlight: positiveInt(v['max-in-flight'], 'max-in-flight'),
    connectConcurrency: positiveInt(v['connect-concurrency'], 'connect-concurrency'),
    control: !v['no-control'],
    json: v.json,
  };
}

/** Demo mode only: incidents, and the control API unless --no-control. */
async function startControl(
  plan: RunPlan,
  config: SimulatorConfig,
  enabled: boolean,
  log: (line: string) => void,
): Promise<{ incidents: IncidentsService | null; server: Server | undefined }> {
  if (plan.mode !== 'demo') return { incidents: null, server: undefined };
  const incidents = new IncidentsService([...plan.gateways, ...plan.modbusDevices].map((g) => ({ code: g.code, points: g.points })));
  if (!enabled) return { incidents, server: undefined };
  const { SIMULATOR_CONTROL_HOST: host, SIMULATOR_CONTROL_PORT: port } = config;
  const server = await new ControlController(incidents, log).listen(host, port);
  log(`control API on http://${host}:${port}/incidents`);
  return { incidents, server };
}

/**
 * Demo mode: serves each Modbus TCP device of the credentials file on the address its gateway is
 * registered with (ingest polls it there); incidents act on it like on an MQTT gateway.
 */
async function startModbusDevices(plan: RunPlan, incidents: IncidentsService | null, log: (line: string) => void): Promise<ModbusDeviceServer[]> {
  const servers: ModbusDeviceServer[] = [];
  for (const spec of plan.modbusDevices) {
    const server = new ModbusDeviceServer(new ModbusDevice(spec), incidents, log);
    await server.listen(spec.host, spec.port, spec.unitId);
    servers.push(server);
    log(`modbus device ${spec.code} on ${spec.host}:${spec.port} unit ${spec.unitId}: ${spec.points.map((p) => p.code).join(', ')} (polled by ingest)`);
  }
  return servers;
}

/** Resolves after `seconds`, or on SIGINT/SIGTERM; a second signal exits at once. */
function stopSignal(seconds: number | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = seconds === undefined ? null : setTimeout(done, seconds * 1000);
    function done(): void {
      if (timer) clearTimeout(timer);
      process.removeListener('SIGINT', done).removeListener('SIGTERM', done);
      process.once('SIGINT', () => process.exit(130)).once('SIGTERM', () => process.exit(143));
      resolve();
    }
    process.once('SIGINT', done).once('SIGTERM', done);
  });
}
