import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { AppProcess, createTestDatabase, freePort, InfluxdProcess, tempDir, waitFor } from '@sw/testing';
import { RULE_MIX } from '../ingest/bench-setup';
import { bulkProvision } from '../ingest/bulk-provision';
import { sleep } from '../ingest/latency-probe';
import { metricOf, scrape, sumMetric } from '../support/metrics';
import { GroupMeter, rssBytes } from '../support/proc-stats';
import { SERVICE_PASSWORD } from '../support/single-node';
import { startFleet, type SimulatorReport } from './simulator-fleet';

const REPO = join(__dirname, '..', '..', '..', '..', '..');

interface Memory {
  rssMB: number;
  heapMB: number;
}

/**
 * `npm run bench:scale`: 100,000 registered points and 10,000 simultaneous gateway sessions on one
 * node. Alerting's memory per point = (RSS/heap after booting over the points − after booting over
 * none) ÷ points; ingest's per connection = (RSS/heap with every gateway connected − before) ÷
 * connections. The gateways are `simulator run` processes publishing every point every 10 s.
 */
export async function runScaleBench(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      gateways: { type: 'string', default: '10000' },
      points: { type: 'string', default: '10' },
      processes: { type: 'string', default: '4' },
      'interval-s': { type: 'string', default: '10' },
      'hold-s': { type: 'string', default: '30' },
      'connect-concurrency': { type: 'string', default: '25' },
      'connect-timeout-s': { type: 'string', default: '900' },
      secrets: { type: 'string', default: 'shared' },
      'no-heap-script': { type: 'boolean', default: false },
    },
  });
  const gatewayCount = Number(values.gateways);
  const pointsPer = Number(values.points);
  const points = gatewayCount * pointsPer;
  const secrets = values.secrets === 'distinct' ? 'distinct' : 'shared';
  const influx = new InfluxdProcess();
  await influx.start();
  const db = await createTestDatabase('bench_scale');
  const spool = tempDir('sw-bench-spool-');
  const work = tempDir('sw-bench-scale-');
  let apps: AppProcess[] = [];
  let fleet: ReturnType<typeof startFleet> | null = null;
  try {
    const [mqttPort, ingestPort, alertingPort] = [await freePort(), await freePort(), await freePort()];
    const brokerUrl = `mqtt://127.0.0.1:${mqttPort}`;
    const common = { DATABASE_URL: db.url, SERVICE_MQTT_PASSWORD: SERVICE_PASSWORD, INFLUX_URL: influx.url, BROKER_URL: brokerUrl, LOG_LEVEL: 'warn' };
    const ingestMetrics = `http://127.0.0.1:${ingestPort}/metrics`;
    const alertingMetrics = `http://127.0.0.1:${alertingPort}/metrics`;
    const boot = async () => {
      const ingest = new AppProcess('ingest', { ...common, MQTT_PORT: String(mqttPort), MQTT_BIND: '127.0.0.1', INGEST_HTTP_PORT: String(ingestPort), SPOOL_DIR: spool.path }, `http://127.0.0.1:${ingestPort}/health`);
      const alerting = new AppProcess('alerting', { ...common, ALERTING_HTTP_PORT: String(alertingPort) }, `http://127.0.0.1:${alertingPort}/health`);
      const t0 = Date.now();
      await ingest.start(300_000);
      const t1 = Date.now();
      await alerting.start(300_000);
      apps = [ingest, alerting];
      return { ingest, alerting, ingestBootS: (t1 - t0) / 1000, alertingBootS: (Date.now() - t1) / 1000 };
    };
    const memory = async (app: AppProcess, url: string, prefix: string): Promise<Memory> => ({
      rssMB: rssBytes(app.pid as number) / 2 ** 20,
      heapMB: sumMetric(await scrape(url), `${prefix}_nodejs_heap_size_used_bytes`) / 2 ** 20,
    });

    // 1. baseline: both apps over an empty registry (their boot runs the migrations)
    console.log('▶ baseline: ingest and alerting over an empty registry');
    let run = await boot();
    await sleep(5_000);
    const alertingEmpty = await memory(run.alerting, alertingMetrics, 'alerting');
    const ingestEmpty = await memory(run.ingest, ingestMetrics, 'ingest');
    for (const app of [...apps].reverse()) await app.stop();
    apps = [];
    console.log(`  alerting ${mb(alertingEmpty)} · ingest ${mb(ingestEmpty)}`);

    // 2. provision in bulk, then boot again over the full registry
    const secretNote = secrets === 'shared' ? 'one secret and one argon2id hash shared by every gateway (ingest still verifies each gateway once: its cache is per gateway code)' : 'a distinct secret per gateway, hashed with argon2id on the libuv thread pool';
    console.log(`\n▶ provisioning ${gatewayCount.toLocaleString('en-US')} gateways × ${pointsPer} points = ${points.toLocaleString('en-US')} points by bulk INSERT; ${secretNote}`);
    const setup = await bulkProvision(db.url, { gateways: gatewayCount, pointsPer, mix: RULE_MIX, secrets, hashConcurrency: 4, expectedIntervalS: 600 });
    console.log(`  done in ${setup.seconds.toFixed(1)} s (hashing ${setup.hashSeconds.toFixed(1)} s)`);
    run = await boot();
    console.log(`  ingest booted in ${run.ingestBootS.toFixed(1)} s, alerting in ${run.alertingBootS.toFixed(1)} s over ${points.toLocaleString('en-US')} points`);
    await waitFor(async () => (await metricOf(alertingMetrics, 'alerting_points')) >= points, { what: 'alerting to adopt every point', timeoutMs: 120_000, intervalMs: 500 }).catch(() => undefined);
    await sleep(5_000);
    const alertingIdle = await memory(run.alerting, alertingMetrics, 'alerting');
    const ingestBefore = await memory(run.ingest, ingestMetrics, 'ingest');
    const alertingPoints = await metricOf(alertingMetrics, 'alerting_points');
    console.log(`  alerting ${mb(alertingIdle)} for ${alertingPoints.toLocaleString('en-US')} points · ingest ${mb(ingestBefore)} before connections`);

    // 3. the connection storm, then every gateway held while publishing every interval
    const processes = Number(values.processes);
    console.log(`\n▶ ${gatewayCount.toLocaleString('en-US')} gateway sessions from ${processes} simulator processes (${values['connect-concurrency']} connects in flight each), every point every ${values['interval-s']} s, QoS 1`);
    const writtenBefore = await metricOf(ingestMetrics, 'ingest_readings_written_total');
    const stormStart = Date.now();
    fleet = startFleet({ repo: REPO, dir: work.path, brokerUrl, setup, gateways: gatewayCount, points: pointsPer, processes, intervalMs: Number(values['interval-s']) * 1000, connectConcurrency: Number(values['connect-concurrency']) });
    const meter = new GroupMeter({ ingest: [run.ingest.pid as number], alerting: [run.alerting.pid as number], influxd: [influx.pid as number], simulators: fleet.children.map((c) => c.pid as number) });
    let online = 0;
    let lastLog = 0;
    await waitFor(
      async () => {
        online = await metricOf(ingestMetrics, 'ingest_gateways_online');
        if (Date.now() - lastLog > 15_000) {
          lastLog = Date.now();
          console.log(`  ${Math.round((Date.now() - stormStart) / 1000)} s: ${online.toLocaleString('en-US')} online`);
        }
        return online >= gatewayCount;
      },
      { what: `${gatewayCount} gateways online`, timeoutMs: Number(values['connect-timeout-s']) * 1000, intervalMs: 500 },
    ).catch(() => undefined);
    const stormS = (Date.now() - stormStart) / 1000;
    const stormCpu = meter.cores();
    console.log(`  ${online.toLocaleString('en-US')} online after ${stormS.toFixed(1)} s (${Math.round(online / stormS)} connections/s; CPU cores ${JSON.stringify(stormCpu)})`);
    const holdS = Number(values['hold-s']);
    const holdMeter = new GroupMeter({ ingest: [run.ingest.pid as number], alerting: [run.alerting.pid as number], influxd: [influx.pid as number], simulators: fleet.children.map((c) => c.pid as number) });
    let minOnline = online;
    const holdEnd = Date.now() + holdS * 1000;
    while (Date.now() < holdEnd) {
      await sleep(1_000);
      minOnline = Math.min(minOnline, await metricOf(ingestMetrics, 'ingest_gateways_online'));
    }
    const holdCpu = holdMeter.cores();
    const holdRss = holdMeter.rssMB();
    const ingestConnected = await memory(run.ingest, ingestMetrics, 'ingest');
    const alertingBusy = await memory(run.alerting, alertingMetrics, 'alerting');
    console.log(`  held ${holdS} s: at least ${minOnline.toLocaleString('en-US')} online throughout · ingest ${mb(ingestConnected)} · alerting ${mb(alertingBusy)} · CPU cores ${JSON.stringify(holdCpu)}`);
    const reports: SimulatorReport[] = await fleet.stop();
    fleet = null;
    const published = reports.reduce((n, r) => n + r.readings, 0);
    let written = 0;
    await waitFor(async () => (written = (await metricOf(ingestMetrics, 'ingest_readings_written_total')) - writtenBefore) >= published, { what: 'ingest to write every reading', timeoutMs: 30_000, intervalMs: 200 }).catch(() => undefined);
    await sleep(3_000);
    const ingestAfter = await memory(run.ingest, ingestMetrics, 'ingest');
    console.log(`  simulators: ${reports.map((r) => `${r.connected}/${r.gateways} connected in ${r.connectSeconds} s`).join(' · ')}; published ${published.toLocaleString('en-US')} readings, ingest wrote ${written.toLocaleString('en-US')}`);

    // 4. the in-process heap figure for comparison
    const heapScript = values['no-heap-script'] ? null : await alertingHeapScript(points);

    const perPoint = { rssBytes: ((alertingIdle.rssMB - alertingEmpty.rssMB) * 2 ** 20) / points, heapBytes: ((alertingIdle.heapMB - alertingEmpty.heapMB) * 2 ** 20) / points };
    const perPointBusy = { rssBytes: ((alertingBusy.rssMB - alertingEmpty.rssMB) * 2 ** 20) / points, heapBytes: ((alertingBusy.heapMB - alertingEmpty.heapMB) * 2 ** 20) / points };
    const perConnection = { rssBytes: ((ingestConnected.rssMB - ingestBefore.rssMB) * 2 ** 20) / Math.max(1, minOnline), heapBytes: ((ingestConnected.heapMB - ingestBefore.heapMB) * 2 ** 20) / Math.max(1, minOnline) };
    const rows: [string, string][] = [
      ['points registered / adopted by alerting', `${points.toLocaleString('en-US')} / ${alertingPoints.toLocaleString('en-US')}`],
      ['provisioning (bulk INSERT)', `${setup.seconds.toFixed(1)} s (${secrets} secrets, hashing ${setup.hashSeconds.toFixed(1)} s)`],
      ['boot over all points', `ingest ${run.ingestBootS.toFixed(1)} s · alerting ${run.alertingBootS.toFixed(1)} s`],
      ['alerting: empty → all points (idle)', `${mb(alertingEmpty)} → ${mb(alertingIdle)}`],
      ['alerting memory per point (idle)', `RSS ${Math.round(perPoint.rssBytes)} B · heap ${Math.round(perPoint.heapBytes)} B`],
      ['alerting memory per point (readings flowing)', `RSS ${Math.round(perPointBusy.rssBytes)} B · heap ${Math.round(perPointBusy.heapBytes)} B (${mb(alertingBusy)})`],
      ['alerting heap per point, in-process (scripts/alerting-memory.mjs)', heapScript ? `${heapScript.bytesPerPoint} B (${heapScript.rules} rules, ${heapScript.heapMB} MB)` : 'not run'],
      ['connection storm (argon2id check per gateway)', `${online.toLocaleString('en-US')} online after ${stormS.toFixed(1)} s = ${Math.round(online / stormS)} connections/s · ingest ${stormCpu['ingest']} cores`],
      ['held', `≥ ${minOnline.toLocaleString('en-US')} of ${gatewayCount.toLocaleString('en-US')} online for ${holdS} s`],
      ['ingest: before → with connections', `${mb(ingestBefore)} → ${mb(ingestConnected)}`],
      ['ingest memory per connection', `RSS ${Math.round(perConnection.rssBytes)} B · heap ${Math.round(perConnection.heapBytes)} B`],
      ['ingest after every gateway disconnected', `${mb(ingestAfter)} (what stays resident is not per-connection memory; argon2id's memory on libuv's threads and V8's grown heap stay with the process)`],
      ['readings while held', `published ${published.toLocaleString('en-US')} · written by ingest ${written.toLocaleString('en-US')} (${written >= published ? 'all arrived' : 'MISSING'})`],
      ['CPU cores while held', Object.entries(holdCpu).map(([k, v]) => `${k} ${v}`).join(' · ')],
      ['RSS MB while held', Object.entries(holdRss).map(([k, v]) => `${k} ${v}`).join(' · ')],
    ];
    console.log(`\n| measure | value |\n|---|---|\n${rows.map(([k, v]) => `| ${k} | ${v} |`).join('\n')}`);
    const kbPerPoint = Math.max(perPoint.rssBytes, perPointBusy.rssBytes) / 1024;
    console.log(`\ntargets (reported, not asserted):`);
    console.log(`  ${kbPerPoint <= 1 ? 'met   ' : 'MISSED'} alerting memory ≤ 1 KB/point at 100,000 points: ${kbPerPoint.toFixed(2)} KB RSS/point (worst of idle and busy)`);
    console.log(`  ${minOnline >= 10_000 ? 'met   ' : 'MISSED'} 10,000 gateway connections held: ≥ ${minOnline.toLocaleString('en-US')} for ${holdS} s`);
    const out = join(REPO, 'bench-results');
    mkdirSync(out, { recursive: true });
    const file = join(out, `scale-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, JSON.stringify({
      machine: { cpus: cpus().length, loadavg: loadavg() }, options: values, secrets: secretNote, points, alertingPoints,
      provisioningS: setup.seconds, boot: { ingestS: run.ingestBootS, alertingS: run.alertingBootS },
      alerting: { empty: alertingEmpty, idle: alertingIdle, busy: alertingBusy, perPoint, perPointBusy, heapScript },
      ingest: { before: ingestBefore, connected: ingestConnected, afterDisconnect: ingestAfter, perConnection },
      connections: { online, stormS, minOnline, holdS, stormCpu, holdCpu, holdRss }, simulators: reports, published, written,
    }, null, 2));
    console.log(`\nJSON: ${file}`);
  } finally {
    if (fleet) await fleet.stop().catch(() => undefined);
    for (const app of [...apps].reverse()) await app.stop();
    await influx.cleanup();
    await db.drop();
    spool.remove();
    work.remove();
  }
}

const mb = (m: Memory): string => `RSS ${m.rssMB.toFixed(0)} MB, heap ${m.heapMB.toFixed(0)} MB`;

async function alertingHeapScript(points: number): Promise<{ bytesPerPoint: number; rules: number; heapMB: number } | null> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', join(REPO, 'scripts/alerting-memory.mjs'), String(points)], { timeout: 300_000 });
    return JSON.parse(stdout.trim().split('\n').at(-1) as string) as { bytesPerPoint: number; rules: number; heapMB: number };
  } catch (err) {
    console.error(`scripts/alerting-memory.mjs failed: ${(err as Error).message}`);
    return null;
  }
}
