import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type AppProcess, createTestDatabase, InfluxdProcess, tempDir, waitFor } from '@sw/testing';
import { provisionBench, RULE_MIX } from '../ingest/bench-setup';
import { startLoad } from '../support/children';
import { appEnv, hopTable, hopTableText, readHopMarks } from '../support/hop-table';
import { CpuMeter, percentile, rssBytes } from '../support/proc-stats';
import { startSingleNode } from '../support/single-node';
import { AlarmProbe } from './alarm-probe';

const REPO = join(__dirname, '..', '..', '..', '..', '..');

/**
 * `npm run bench:alarms`: ingest, alerting and api as real processes over a real influxd and
 * PostgreSQL. (1) readings/s through alerting with the demo district's rule mix at full load;
 * (2) publish → WebSocket alarm latency under steady background load.
 */
export async function runAlarmsBench(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      gateways: { type: 'string', default: '200' },
      points: { type: 'string', default: '10' },
      seconds: { type: 'string', default: '15' },
      background: { type: 'string', default: '10000' },
      window: { type: 'string', default: '16' },
      /** the per-hop trace of the probe's alarms (on by default; `--trace off`) */
      trace: { type: 'string', default: 'on' },
      /** `latency` skips the throughput phase */
      phases: { type: 'string', default: 'throughput,latency' },
      /** app settings, KEY=VALUE,… (e.g. a fast-lane option turned off, to compare) */
      env: { type: 'string', default: '' },
    },
  });
  const seconds = Number(values.seconds);
  const influx = new InfluxdProcess();
  await influx.start();
  const db = await createTestDatabase('bench_alarms');
  const spool = tempDir('sw-bench-spool-');
  const traceDir = tempDir('sw-bench-trace-');
  const phases = values.phases.split(',');
  const apps: AppProcess[] = [];
  try {
    console.log(`provisioning ${values.gateways} gateways × ${values.points} points (rule mix: ${RULE_MIX.map((m) => m.type).join(', ')}) …`);
    const setup = await provisionBench(db.url, Number(values.gateways), Number(values.points), RULE_MIX);
    const trace = values.trace === 'on' ? { dir: traceDir.path, points: [setup.probe.pointId] } : undefined;
    const { brokerUrl, ingest, alerting, api, alertingMetrics, wsUrl } = await startSingleNode({ databaseUrl: db.url, influxUrl: influx.url, spoolDir: spool.path, startTimeoutMs: 90_000, trace, env: appEnv(values.env) }, apps);
    const now = Date.now();

    // (1) throughput through alerting
    let throughput = NaN;
    let load: { readings: number; elapsedMs: number } = { readings: 0, elapsedMs: 1 };
    let cpuSec: Record<string, number> = {};
    if (phases.includes('throughput')) {
      console.log(`\n▶ alerting throughput: ${seconds} s at full load, 10 readings/message`);
      const evaluatedBefore = await evaluated(alertingMetrics);
      const full = startLoad({ url: brokerUrl, gateways: setup.gateways, perMessage: 10, durationMs: seconds * 1000, window: Number(values.window), tsBase: now - 3 * 3_600_000 });
      await full.ready;
      const cpu = new CpuMeter({ ingest: ingest.pid as number, alerting: alerting.pid as number, api: api.pid as number, influxd: influx.pid as number, generator: full.child.pid as number });
      full.go();
      const fullResult = await full.done;
      load = fullResult;
      cpuSec = cpu.read();
      let doneAt = Date.now();
      await waitFor(async () => {
        doneAt = Date.now();
        return (await evaluated(alertingMetrics)) - evaluatedBefore >= load.readings;
      }, { what: `alerting to evaluate ${load.readings} readings`, timeoutMs: 180_000, intervalMs: 200 });
      throughput = Math.round(load.readings / ((doneAt - fullResult.firstAt) / 1000));
      console.log(`  ${throughput.toLocaleString('en-US')} readings/s evaluated end to end (published ${load.readings.toLocaleString('en-US')})`);
    }

    // (2) latency under steady background load
    const background = Number(values.background);
    console.log(`\n▶ publish → WebSocket alarm latency under ${background.toLocaleString('en-US')} readings/s background, ${seconds} s`);
    const probe = new AlarmProbe(brokerUrl, setup.probe, wsUrl);
    await probe.connect();
    const steady = startLoad({ url: brokerUrl, gateways: setup.gateways, perMessage: 10, durationMs: seconds * 1000, window: Number(values.window), tsBase: now - 2 * 3_600_000, rate: background / 10 });
    await steady.ready;
    const gcBefore = await gcOf(alertingMetrics);
    steady.go();
    probe.start();
    const steadyResult = await steady.done;
    const gcAfter = await gcOf(alertingMetrics);
    const gc = { pauses: gcAfter.count - gcBefore.count, totalMs: round(gcAfter.sumMs - gcBefore.sumMs), over10ms: gcAfter.over10 - gcBefore.over10, over100ms: gcAfter.over100 - gcBefore.over100, shareOfTime: round((gcAfter.sumMs - gcBefore.sumMs) / steadyResult.elapsedMs) };
    const samples = (await probe.stop()).sort((a, b) => a - b);
    const probeTraces = [...probe.traces];
    await probe.close();
    const latency = { p50: round(percentile(samples, 50)), p99: round(percentile(samples, 99)), max: round(samples.at(-1) ?? NaN), samples: samples.length };
    const achieved = Math.round(steadyResult.readings / (steadyResult.elapsedMs / 1000));
    console.log(`  background achieved ${achieved.toLocaleString('en-US')} readings/s · p50 ${latency.p50} ms · p99 ${latency.p99} ms · max ${latency.max} ms (${latency.samples} alarm events)`);
    console.log(`  alerting's GC meanwhile: ${gc.pauses} pauses, ${gc.totalMs} ms in all (${round(gc.shareOfTime * 100)} % of the time), ${gc.over10ms} over 10 ms, ${gc.over100ms} over 100 ms`);
    let hops = null;
    if (trace) {
      await new Promise((r) => setTimeout(r, 500)); // the apps write their marks every 200 ms
      hops = hopTable(readHopMarks(traceDir.path), probeTraces);
      console.log(`\nper hop (publish → WebSocket, ${probeTraces.length} alarm events):\n${hopTableText(hops)}`);
    }

    const memory = { alertingRssMB: round(rssBytes(alerting.pid as number) / 1e6), points: Number(values.gateways) * Number(values.points) };
    const result = {
      alertingThroughput: { readingsPerS: throughput, readings: load.readings, cpuCores: mapValues(cpuSec, (s) => round(s / (load.elapsedMs / 1000))) },
      latency: { backgroundReadingsPerS: achieved, ...latency },
      hops,
      gc,
      env: values.env,
      memory,
    };
    console.log(`\nCPU cores at full load: ${JSON.stringify(result.alertingThroughput.cpuCores)} · alerting RSS ${memory.alertingRssMB} MB for ${memory.points} points`);
    const out = join(REPO, 'bench-results');
    mkdirSync(out, { recursive: true });
    const file = join(out, `alarms-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, JSON.stringify(result, null, 2));
    console.log(`JSON: ${file}`);
  } finally {
    for (const app of apps) if (app.pid !== undefined && !alive(app.pid)) console.error(`${app.name} is gone; its last output:\n${app.logs()}`);
    for (const app of [...apps].reverse()) await app.stop();
    await influx.cleanup();
    await db.drop();
    spool.remove();
    traceDir.remove();
  }
}

/** alerting's counter of readings evaluated (the first `alerting_readings…_total` it exposes). */
async function evaluated(url: string): Promise<number> {
  const text = await fetch(url).then((r) => r.text());
  const m = /^alerting_readings\w*_total(?:\{[^}]*\})? (\S+)$/m.exec(text);
  if (!m) throw new Error('alerting exposes no alerting_readings…_total counter');
  return Number(m[1]);
}

/** alerting's GC pauses so far (prom-client's `nodejs_gc_duration_seconds`, from perf_hooks): count, total, and how many exceeded 10 and 100 ms. */
async function gcOf(url: string): Promise<{ count: number; sumMs: number; over10: number; over100: number }> {
  const text = await fetch(url).then((r) => r.text());
  const total = (re: RegExp): number => [...text.matchAll(re)].reduce((n, m) => n + Number(m[1]), 0);
  const count = total(/^alerting_nodejs_gc_duration_seconds_count\{[^}]*\} (\S+)$/gm);
  const upTo = (le: string): number => total(new RegExp(`^alerting_nodejs_gc_duration_seconds_bucket\\{[^}]*le="${le}"[^}]*\\} (\\S+)$`, 'gm'));
  return { count, sumMs: total(/^alerting_nodejs_gc_duration_seconds_sum\{[^}]*\} (\S+)$/gm) * 1000, over10: count - upTo('0.01'), over100: count - upTo('0.1') };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const round = (n: number) => Math.round(n * 100) / 100;
function mapValues(o: Record<string, number>, f: (v: number) => number): Record<string, number> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));
}
