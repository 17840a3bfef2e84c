import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type AppProcess, createTestDatabase, InfluxdProcess, tempDir } from '@sw/testing';
import pg from 'pg';
import { AlarmProbe } from '../alarms/alarm-probe';
import { RULE_MIX } from '../ingest/bench-setup';
import { bulkProvision } from '../ingest/bulk-provision';
import { appEnv, hopTableText } from '../support/hop-table';
import { startSingleNode } from '../support/single-node';
import { offeredReadingsPerS, runStep, type StepContext, type StepResult, type StepSpec } from './pipeline-step';
import { stepTable, targetChecks, targetLines } from './pipeline-report';

const REPO = join(__dirname, '..', '..', '..', '..', '..');

/** gateways × points (each every intervalMs), 10 readings a message: 10k → ~150k readings/s. */
const BATCHED: StepSpec[] = [
  [100, 10, 100], [200, 10, 100], [400, 10, 100], [500, 10, 83], [500, 10, 62], [500, 10, 50], [500, 10, 40], [500, 10, 33],
].map(([gateways, points, intervalMs]) => ({ ladder: 'batched', gateways: gateways as number, points: points as number, intervalMs: intervalMs as number, perMessage: 10 }));
/** one reading a message: 10k → 40k messages/s */
const SINGLE: StepSpec[] = [
  [100, 10, 100], [200, 10, 100], [250, 10, 100], [300, 10, 100], [400, 10, 100],
].map(([gateways, points, intervalMs]) => ({ ladder: 'single', gateways: gateways as number, points: points as number, intervalMs: intervalMs as number, perMessage: 1 }));
/** unpaced, for the ratio to bare aedes at saturation */
const SATURATION: StepSpec = { ladder: 'saturation', gateways: 200, points: 10, intervalMs: 0, perMessage: 10 };

/**
 * `npm run bench` (pipeline): ingest, alerting and api as real processes over a real influxd and a
 * PostgreSQL database created for the run, driven at rising load. Each ladder stops at the first
 * step that falls behind or loses data.
 *
 * Driven by the bench's own load generator, not `simulator run --gateways …`: the simulator's load
 * mode sends compact readings (~35 B: message-level ts, no quality) where the targets assume
 * ~150 B of JSON per reading with its own ISO timestamp, it publishes on real time (two readings
 * of a point in one ms would overwrite each other, so "stored = published" could not be checked
 * exactly), and it cannot run unpaced for the saturation ratio. `bench:scale` does use the
 * simulator (10,000 real gateway sessions: Last Will, `online`, errors subscription, reconnects).
 */
export async function runPipelineBench(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      seconds: { type: 'string', default: '10' },
      ladder: { type: 'string', default: 'batched,single' },
      'max-step': { type: 'string', default: '99' },
      'alarm-share': { type: 'string', default: '0.001' },
      window: { type: 'string', default: '16' },
      'drain-s': { type: 'string', default: '30' },
      'max-backlog-s': { type: 'string', default: '5' },
      'p99-bound-ms': { type: 'string', default: '1000' },
      'no-relay': { type: 'boolean', default: false },
      'no-saturation': { type: 'boolean', default: false },
      /** the per-hop trace of the probe's alarms, a table per step (on by default; `--trace off`) */
      trace: { type: 'string', default: 'on' },
      /** app settings, KEY=VALUE,… (e.g. a fast-lane option turned off, to compare) */
      env: { type: 'string', default: '' },
    },
  });
  const ladders = values.ladder.split(',').map((l) => (l === 'single' ? SINGLE : BATCHED).slice(0, Number(values['max-step'])));
  const steps = ladders.flat();
  const maxGateways = Math.max(SATURATION.gateways, ...steps.map((s) => s.gateways));
  const influx = new InfluxdProcess();
  await influx.start();
  const db = await createTestDatabase('bench_pipeline');
  const spool = tempDir('sw-bench-spool-');
  const traceDir = tempDir('sw-bench-trace-');
  const apps: AppProcess[] = [];
  const pgClient = new pg.Client({ connectionString: db.url });
  let probe: AlarmProbe | null = null;
  try {
    console.log(`provisioning ${maxGateways} gateways × 10 points (rule mix: ${RULE_MIX.map((m) => m.type).join(', ')}; one shared gateway secret) …`);
    const setup = await bulkProvision(db.url, { gateways: maxGateways, pointsPer: 10, mix: RULE_MIX, secrets: 'shared' });
    console.log(`  done in ${setup.seconds.toFixed(1)} s`);
    const { brokerUrl, ingest, alerting, api, ingestMetrics, alertingMetrics, wsUrl } = await startSingleNode(
      {
        databaseUrl: db.url,
        influxUrl: influx.url,
        spoolDir: spool.path,
        startTimeoutMs: 60_000,
        trace: values.trace === 'on' ? { dir: traceDir.path, points: [setup.probe.pointId] } : undefined,
        env: appEnv(values.env),
      },
      apps,
    );
    probe = new AlarmProbe(brokerUrl, setup.probe, wsUrl);
    await probe.connect();
    await pgClient.connect();
    const ctx: StepContext = {
      setup,
      brokerUrl,
      ingestMetrics,
      alertingMetrics,
      influx,
      probe,
      pids: { ingest: ingest.pid as number, alerting: alerting.pid as number, api: api.pid as number, influxd: influx.pid as number },
      postgresPids: async () => (await pgClient.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [db.name])).rows.map((r) => r.pid),
      seconds: Number(values.seconds),
      window: Number(values.window),
      alarmShare: Number(values['alarm-share']),
      drainMs: Number(values['drain-s']) * 1000,
      maxBacklogS: Number(values['max-backlog-s']),
      p99BoundMs: Number(values['p99-bound-ms']),
      relay: !values['no-relay'],
      traceDir: values.trace === 'on' ? traceDir.path : null,
    };
    const results: StepResult[] = [];
    for (const ladder of ladders) {
      for (const spec of ladder) {
        const offered = offeredReadingsPerS(spec) as number;
        console.log(`\n▶ ${spec.ladder} step: ${spec.gateways} gateways × ${spec.points} points every ${spec.intervalMs} ms, ${spec.perMessage} reading(s)/message = ${Math.round(offered).toLocaleString('en-US')} readings/s offered, ${ctx.seconds} s`);
        const r = await runStep(ctx, spec);
        results.push(r);
        console.log(`  ${summary(r)}`);
        if (r.hops) console.log(`  per hop:\n${hopTableText(r.hops)}`);
        if (r.problems.length > 0) {
          console.log(`  ✗ falls behind / loses data: ${r.problems.join('; ')}; ${spec.ladder} ladder stops here`);
          break;
        }
      }
    }
    if (!values['no-saturation'] && !values['no-relay']) {
      console.log(`\n▶ saturation: ${SATURATION.gateways} gateways as fast as QoS 1 acknowledgements allow (window ${ctx.window}), pipeline then bare aedes`);
      const r = await runStep(ctx, SATURATION);
      results.push(r);
      console.log(`  ${summary(r)}`);
    }
    console.log(`\n${stepTable(results)}`);
    const checks = targetChecks(results);
    console.log(`\ntargets (reported, not asserted):\n${targetLines(checks)}`);
    const out = join(REPO, 'bench-results');
    mkdirSync(out, { recursive: true });
    const file = join(out, `pipeline-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    const machine = { cpus: cpus().length, model: cpus()[0]?.model, memoryGB: Math.round(totalmem() / 2 ** 30), loadavg: (await import('node:os')).loadavg() };
    writeFileSync(file, JSON.stringify({ machine, options: values, secrets: 'one shared gateway secret', results, targets: checks }, null, 2));
    console.log(`\nJSON: ${file}`);
  } finally {
    await probe?.close().catch(() => undefined);
    await pgClient.end().catch(() => undefined);
    for (const app of [...apps].reverse()) await app.stop();
    await influx.cleanup();
    await db.drop();
    spool.remove();
    traceDir.remove();
  }
}

function summary(r: StepResult): string {
  const f = (n: number | null | undefined) => (n === null || n === undefined ? '–' : n.toLocaleString('en-US'));
  return (
    `sustained ${f(r.sustainedReadingsPerS)} readings/s (${f(r.sustainedMessagesPerS)} msgs/s, ${r.bytesPerReading} B/reading) · InfluxDB ${f(r.influxPointsPerS)} points/s, stored ${f(r.stored)}/${f(r.readings)}` +
    ` · alarm p50 ${r.alarmMs.p50} ms p99 ${r.alarmMs.p99} ms (${r.alarmMs.samples})` +
    (r.relay ? ` · bare aedes ${f(r.relay.readingsPerS)} readings/s, ratio ${r.ratioToRelay}` : '') +
    ` · CPU ${JSON.stringify(r.cpuCores)}`
  );
}

