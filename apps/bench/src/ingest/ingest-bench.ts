import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createTestDatabase, freePort, InfluxdProcess, tempDir, waitFor, randomSecret } from '@sw/testing';
import { relayStep } from '../relay/relay-step';
import { startLoad, stop } from '../support/children';
import { CpuMeter, percentile } from '../support/proc-stats';
import { provisionBench } from './bench-setup';
import { LatencyProbe, sleep } from './latency-probe';

const REPO = join(__dirname, '..', '..', '..', '..', '..');

interface StepResult {
  workload: string;
  perMessage: number;
  messages: number;
  readings: number;
  bytesPerReading: number;
  publishMs: number;
  storedMs: number;
  readingsPerS: number;
  messagesPerS: number;
  latencyMs: { p50: number; p99: number; samples: number };
  cpuCores: Record<string, number>;
  cpuUsPerReading: Record<string, number>;
  relay: { readingsPerS: number; messagesPerS: number; cpuCores: Record<string, number> } | null;
  ratioToRelay: number | null;
}

/**
 * `npm run bench:ingest`: the real ingest process (embedded aedes) and a real influxd, driven by a
 * load generator process at QoS 1; the same workload relayed by bare aedes to a subscriber, in the
 * same run, as the reference.
 */
export async function runIngestBench(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      gateways: { type: 'string', default: '200' },
      points: { type: 'string', default: '10' },
      seconds: { type: 'string', default: '15' },
      window: { type: 'string', default: '16' },
      'steady-rate': { type: 'string', default: '10000' },
    },
  });
  const gatewayCount = Number(values.gateways);
  const durationMs = Number(values.seconds) * 1000;
  const window = Number(values.window);
  const influx = new InfluxdProcess();
  await influx.start();
  const db = await createTestDatabase('bench_ingest');
  const spool = tempDir('sw-bench-spool-');
  let ingest: ChildProcess | null = null;
  try {
    console.log(`provisioning ${gatewayCount} gateways × ${values.points} points …`);
    const setup = await provisionBench(db.url, gatewayCount, Number(values.points));
    const mqttPort = await freePort();
    const httpPort = await freePort();
    ingest = spawn(process.execPath, [...(process.env['BENCH_INGEST_NODE_ARGS']?.split(' ').filter(Boolean) ?? []), join(REPO, 'dist/apps/ingest/src/main.js')], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: {
        ...process.env,
        DATABASE_URL: db.url,
        INFLUX_URL: influx.url,
        SERVICE_MQTT_PASSWORD: randomSecret(),
        MQTT_PORT: String(mqttPort),
        MQTT_BIND: '127.0.0.1',
        INGEST_HTTP_PORT: String(httpPort),
        SPOOL_DIR: spool.path,
        LOG_LEVEL: 'warn',
      },
    });
    const metricsUrl = `http://127.0.0.1:${httpPort}/metrics`;
    await waitFor(async () => (await fetch(`http://127.0.0.1:${httpPort}/health`).then((r) => r.ok).catch(() => false)), { what: 'ingest /health', timeoutMs: 30_000 });
    const brokerUrl = `mqtt://127.0.0.1:${mqttPort}`;
    const results: StepResult[] = [];
    const now = Date.now();
    const steady = Number(values['steady-rate']);
    const workloads = [
      { workload: 'batched (10 readings/message)', perMessage: 10, rate: 0 },
      { workload: 'single reading/message', perMessage: 1, rate: 0 },
      { workload: `steady ${fmt(steady)} readings/s (10/msg)`, perMessage: 10, rate: steady / 10 },
    ];
    for (const [i, { workload, perMessage, rate }] of workloads.entries()) {
      const tsBase = now - (4 - i) * 3_600_000; // each step writes its own time range
      console.log(`\n▶ ${workload}: ${durationMs / 1000} s, ${rate ? `${fmt(rate)} messages/s` : `as fast as acknowledged, window ${window} per connection`}`);
      const pipeline = await pipelineStep({ brokerUrl, metricsUrl, influx, ingestPid: ingest.pid as number, setup, perMessage, durationMs, window, tsBase, rate });
      const relay = rate ? null : await relayStep({ gateways: setup.gateways, perMessage, durationMs, window, tsBase });
      const ratio = relay ? round(pipeline.readingsPerS / relay.readingsPerS, 3) : null;
      results.push({ workload, perMessage, ...pipeline, relay, ratioToRelay: ratio });
      console.log(`  pipeline ${fmt(pipeline.readingsPerS)} readings/s · p50 ${pipeline.latencyMs.p50} ms · p99 ${pipeline.latencyMs.p99} ms${relay ? ` · bare aedes relay ${fmt(relay.readingsPerS)} readings/s · ratio ${ratio}` : ''}`);
    }
    const stored = await countStored(influx);
    const published = results.reduce((n, r) => n + r.readings, 0);
    printTable(results, stored, published);
    const out = join(REPO, 'bench-results');
    mkdirSync(out, { recursive: true });
    const file = join(out, `ingest-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, JSON.stringify({ machine: { cpus: cpus().length, model: cpus()[0]?.model }, results, published, stored }, null, 2));
    console.log(`\nJSON: ${file}`);
    if (stored !== published) throw new Error(`LOST READINGS: published ${published}, stored ${stored}`);
  } finally {
    if (ingest) await stop(ingest);
    await influx.cleanup();
    await db.drop();
    spool.remove();
  }
}

async function pipelineStep(o: {
  brokerUrl: string; metricsUrl: string; influx: InfluxdProcess; ingestPid: number;
  setup: Awaited<ReturnType<typeof provisionBench>>; perMessage: number; durationMs: number; window: number; tsBase: number; rate: number;
}) {
  const writtenBefore = await metric(o.metricsUrl, 'ingest_readings_written_total');
  const load = startLoad({ url: o.brokerUrl, gateways: o.setup.gateways, perMessage: o.perMessage, durationMs: o.durationMs, window: o.window, tsBase: o.tsBase, rate: o.rate });
  await load.ready;
  await sleep(1000); // let the connection storm's password checks finish before measuring
  const probe = new LatencyProbe(o.brokerUrl, o.setup.probe, o.influx.url);
  await probe.start();
  const cpu = new CpuMeter({ ingest: o.ingestPid, influxd: o.influx.pid as number, generator: load.child.pid as number, probe: process.pid });
  load.go();
  const result = await load.done;
  const cpuLoad = cpu.read();
  const samples = (await probe.stop()).sort((a, b) => a - b);
  const target = writtenBefore + result.readings + probe.sent;
  let storedAt = Date.now();
  await waitFor(async () => {
    const written = await metric(o.metricsUrl, 'ingest_readings_written_total');
    storedAt = Date.now();
    return written >= target;
  }, { what: `ingest to write ${result.readings} readings`, timeoutMs: 120_000, intervalMs: 100 });
  const storedMs = storedAt - result.firstAt;
  const cpuSec = { ...cpuLoad, generator: cpuLoad['generator'] ?? 0 };
  return {
    messages: result.messages,
    readings: result.readings,
    bytesPerReading: Math.round(result.bytes / result.readings),
    publishMs: result.elapsedMs,
    storedMs,
    readingsPerS: Math.round(result.readings / (storedMs / 1000)),
    messagesPerS: Math.round(result.messages / (storedMs / 1000)),
    latencyMs: { p50: round(percentile(samples, 50), 1), p99: round(percentile(samples, 99), 1), samples: samples.length },
    cpuCores: mapValues(cpuSec, (s) => round(s / (result.elapsedMs / 1000), 2)),
    cpuUsPerReading: mapValues(cpuSec, (s) => round((s * 1e6) / result.readings, 2)),
  };
}

async function metric(url: string, name: string): Promise<number> {
  const text = await fetch(url).then((r) => r.text());
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
}

async function countStored(influx: InfluxdProcess): Promise<number> {
  const series = await influx.query('safety_watch', `SELECT count(value) FROM reading WHERE gateway =~ /^BENCH-/`);
  return Number(series[0]?.values[0]?.[1] ?? 0);
}

function printTable(results: StepResult[], stored: number, published: number): void {
  console.log('\nworkload                        readings/s  msgs/s   p50 ms  p99 ms  relay rdg/s  ratio  B/rdg  CPU cores (ingest/influxd/generator)  µs CPU/reading (ingest/influxd)');
  for (const r of results) {
    console.log(
      `${r.workload.padEnd(31)} ${fmt(r.readingsPerS).padStart(10)} ${fmt(r.messagesPerS).padStart(7)} ${String(r.latencyMs.p50).padStart(8)} ${String(r.latencyMs.p99).padStart(7)} ${(r.relay ? fmt(r.relay.readingsPerS) : '–').padStart(12)} ${String(r.ratioToRelay ?? '–').padStart(6)} ${String(r.bytesPerReading).padStart(6)}  ` +
        `${r.cpuCores['ingest']}/${r.cpuCores['influxd']}/${r.cpuCores['generator']}`.padEnd(38) +
        `${r.cpuUsPerReading['ingest']}/${r.cpuUsPerReading['influxd']}`,
    );
  }
  console.log(`\nnothing lost: published ${published}, stored in InfluxDB ${stored} (${stored === published ? 'OK' : 'MISMATCH'})`);
}

const round = (n: number, d: number) => Math.round(n * 10 ** d) / 10 ** d;
const fmt = (n: number) => n.toLocaleString('en-US');
function mapValues(o: Record<string, number>, f: (v: number) => number): Record<string, number> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));
}
