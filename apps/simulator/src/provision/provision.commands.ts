import { parseArgs } from 'node:util';
import { createDataSource } from '@sw/persistence';
import type { DataSource } from 'typeorm';
import { positiveInt } from '../cli-args';
import { writeCredentials } from '../credentials/credentials.repository';
import type { CredentialsFile, CredentialsGateway, ModbusDeviceSpec } from '../credentials/credentials.schema';
import { credentialsPath, DEFAULT_BENCH_CREDENTIALS, DEFAULT_BROKER_URL, type SimulatorConfig } from '../simulator.config';
import { BenchProvisionService } from './bench-provision.service';
import { DemoProvisionService, type DemoProvisionResult } from './demo-provision.service';

interface Target {
  file: string;
  brokerUrl: string;
  modbus: { host: string; port: number };
  json: boolean;
  log: (line: string) => void;
}

export async function provisionCommand(config: SimulatorConfig, args: string[]): Promise<number> {
  const { values: v } = parseArgs({
    args,
    options: {
      bench: { type: 'boolean', default: false },
      gateways: { type: 'string', default: '100' },
      points: { type: 'string', default: '10' },
      'interval-s': { type: 'string', default: '60' },
      'per-enterprise': { type: 'string', default: '500' },
      'hash-concurrency': { type: 'string', default: '8' },
      url: { type: 'string' },
      credentials: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const target: Target = {
    file: credentialsPath(config, v.credentials, v.bench ? DEFAULT_BENCH_CREDENTIALS : undefined),
    brokerUrl: v.url ?? config.SIMULATOR_BROKER_URL ?? DEFAULT_BROKER_URL,
    modbus: { host: config.SIMULATOR_MODBUS_HOST, port: config.SIMULATOR_MODBUS_PORT },
    json: v.json,
    log: (line) => (v.json ? console.error : console.log)(line), // with --json, stdout carries the result only
  };
  const bench = v.bench
    ? {
        gateways: positiveInt(v.gateways, 'gateways'),
        points: positiveInt(v.points, 'points'),
        intervalS: positiveInt(v['interval-s'], 'interval-s'),
        perEnterprise: positiveInt(v['per-enterprise'], 'per-enterprise'),
        hashConcurrency: positiveInt(v['hash-concurrency'], 'hash-concurrency'),
        log: target.log,
      }
    : null;
  const ds = await createDataSource({ url: config.DATABASE_URL, poolSize: 4, applicationName: 'simulator' }).initialize();
  try {
    if (bench) await provisionBench(ds, bench, target);
    else await provisionDemo(ds, target);
    return 0;
  } finally {
    await ds.destroy();
  }
}

async function provisionBench(ds: DataSource, options: Parameters<BenchProvisionService['provision']>[0], target: Target): Promise<void> {
  const { credentials, ...summary } = await new BenchProvisionService(ds).provision(options);
  await save(target, 'bench', credentials);
  if (target.json) return console.log(JSON.stringify({ ...summary, brokerUrl: target.brokerUrl, credentialsFile: target.file }));
  target.log(
    `bench: ${summary.gateways} gateways × ${options.points} points under ${summary.enterprises} enterprise(s), ` +
      `${summary.pointsCreated} points new, in ${summary.seconds.toFixed(1)} s`,
  );
  target.log(`credentials (secrets, mode 0600): ${target.file}  broker: ${target.brokerUrl}`);
}

async function provisionDemo(ds: DataSource, target: Target): Promise<void> {
  const result = await new DemoProvisionService(ds).provision(undefined, target.modbus);
  await save(target, 'demo', result.credentials, result.modbusDevices);
  if (target.json) {
    return console.log(
      JSON.stringify({ enterprises: result.enterprises, gateways: result.gateways, brokerUrl: target.brokerUrl, credentialsFile: target.file }),
    );
  }
  printDemoSummary(result, target);
}

function save(target: Target, kind: CredentialsFile['kind'], gateways: CredentialsGateway[], modbusDevices?: ModbusDeviceSpec[]): Promise<void> {
  const file: CredentialsFile = { version: 1, kind, brokerUrl: target.brokerUrl, writtenAt: new Date().toISOString(), gateways };
  return writeCredentials(target.file, modbusDevices && modbusDevices.length > 0 ? { ...file, modbusDevices } : file);
}

function printDemoSummary(result: DemoProvisionResult, target: Target): void {
  console.log('enterprises:');
  for (const e of result.enterprises) {
    console.log(`  ${e.created ? 'created' : 'exists '}  ${e.uscc}  ${e.regionCode}  ${e.name}  [${e.riskCategories.join(', ')}]`);
  }
  console.log('gateways:');
  for (const g of result.gateways) {
    const points = g.pointsCreated > 0 ? `${g.points} points (${g.pointsCreated} new)` : `${g.points} points`;
    console.log(`  ${g.credentials.padEnd(7)}  ${g.code.padEnd(14)} ${points.padEnd(22)} ${g.enterprise}`);
    if (g.warning) console.log(`    warning: ${g.warning}`);
  }
  const points = result.gateways.reduce((n, g) => n + g.points, 0);
  console.log(`${result.enterprises.length} enterprises, ${result.gateways.length} gateways, ${points} points`);
  console.log(`credentials (secrets, mode 0600): ${target.file}  broker: ${target.brokerUrl}`);
  for (const d of result.modbusDevices) console.log(`modbus device ${d.code}: served by \`run\` on ${d.host}:${d.port} unit ${d.unitId}, polled by ingest`);
  console.log('next: simulator run   (incidents: simulator incident co_leak | cooling_water_loss | hopper_over_temperature | gateway_silent)');
}
