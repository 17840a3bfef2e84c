import { type InfluxdProcess, waitFor } from '@sw/testing';
import type { AlarmProbe } from '../alarms/alarm-probe';
import type { BulkProvisioned } from '../ingest/bulk-provision';
import type { LoadGateway } from '../load/load-generator';
import { relayStep, type RelayStepResult } from '../relay/relay-step';
import { startLoad } from '../support/children';
import { hopTable, readHopMarks, type HopRow } from '../support/hop-table';
import { metricOf, scrape, sumMetric } from '../support/metrics';
import { GroupMeter, percentile } from '../support/proc-stats';

/** One rung of a ladder: gateways × points, each point every intervalMs, perMessage readings a message. */
export interface StepSpec {
  ladder: 'batched' | 'single' | 'saturation';
  gateways: number;
  points: number;
  /** 0: unpaced, as fast as QoS 1 acknowledgements allow (the saturation step) */
  intervalMs: number;
  perMessage: number;
}

export interface StepContext {
  setup: BulkProvisioned;
  brokerUrl: string;
  ingestMetrics: string;
  alertingMetrics: string;
  influx: InfluxdProcess;
  probe: AlarmProbe;
  pids: { ingest: number; alerting: number; api: number; influxd: number };
  postgresPids: () => Promise<number[]>;
  seconds: number;
  window: number;
  /** share of readings that cross a threshold (the probe's) */
  alarmShare: number;
  drainMs: number;
  /** a drain longer than this after the load means a queue grew during the step */
  maxBacklogS: number;
  p99BoundMs: number;
  relay: boolean;
  /** where the apps write the per-hop trace (null: off) */
  traceDir: string | null;
}

export interface StepResult extends StepSpec {
  offeredReadingsPerS: number | null;
  messages: number;
  readings: number;
  bytesPerReading: number;
  sustainedReadingsPerS: number;
  sustainedMessagesPerS: number;
  stored: number;
  influxPointsPerS: number;
  /** s after the last acknowledgement until InfluxDB held every reading / alerting had evaluated every reading */
  storeDrainS: number | null;
  alertingDrainS: number | null;
  alarmMs: { p50: number; p99: number; max: number; samples: number; timeouts: number; share: number };
  spooled: number;
  cpuCores: Record<string, number>;
  rssMB: Record<string, number>;
  relay: RelayStepResult | null;
  ratioToRelay: number | null;
  /** the probe's alarm path per hop (null: trace off) */
  hops?: HopRow[] | null;
  /** why the step fell behind or lost data; empty when it kept up */
  problems: string[];
}

export const offeredReadingsPerS = (s: StepSpec): number | null => (s.intervalMs ? (s.gateways * s.points * 1000) / s.intervalMs : null);

/** Runs one step against the pipeline, then (optionally) the same workload against bare aedes. */
export async function runStep(ctx: StepContext, spec: StepSpec): Promise<StepResult> {
  const offered = offeredReadingsPerS(spec);
  const gateways: LoadGateway[] = ctx.setup.gateways.slice(0, spec.gateways).map((g) => ({ ...g, points: g.points.slice(0, spec.points), baselines: g.baselines?.slice(0, spec.points) }));
  const rate = offered ? offered / spec.perMessage : 0;
  const tsBase = Date.now() - 60_000; // each step's readings sit in their own minute, 1 ms apart per point
  const before = await counters(ctx);
  const load = startLoad({ url: ctx.brokerUrl, gateways, perMessage: spec.perMessage, durationMs: ctx.seconds * 1000, window: ctx.window, tsBase, rate });
  await load.ready;
  const { ingest, alerting, api, influxd } = ctx.pids;
  const meter = new GroupMeter({ ingest: [ingest], alerting: [alerting], api: [api], influxd: [influxd], postgres: await ctx.postgresPids(), generator: [load.child.pid as number], 'bench+probe': [process.pid] });
  const expectedRate = (offered ?? 20_000) * ctx.alarmShare; // samples/s the probe aims at
  ctx.probe.pauseMs = Math.max(2, 1000 / expectedRate);
  load.go();
  ctx.probe.start();
  const result = await load.done;
  const cpuCores = meter.cores();
  const rssMB = meter.rssMB();
  const samples = (await ctx.probe.stop()).sort((a, b) => a - b);
  const probeTraces = [...ctx.probe.traces];
  const loadEnd = Date.now();
  const problems: string[] = [];

  const stored = await drain(ctx, before, result.readings + ctx.probe.sent, loadEnd);
  if (stored.storeDrainS === null) problems.push(`ingest had not written every reading ${ctx.drainMs / 1000} s after the load`);
  if (stored.alertingDrainS === null) problems.push(`alerting had not evaluated every reading ${ctx.drainMs / 1000} s after the load`);
  if ((stored.storeDrainS ?? 0) > ctx.maxBacklogS) problems.push(`ingest's write queue grew: ${stored.storeDrainS} s to drain`);
  if ((stored.alertingDrainS ?? 0) > ctx.maxBacklogS) problems.push(`alerting's backlog grew: ${stored.alertingDrainS} s to drain`);
  const count = await countStored(ctx.influx, tsBase);
  if (count !== result.readings) problems.push(`LOST: published ${result.readings}, InfluxDB holds ${count}`);
  const after = await counters(ctx);
  const spooled = after.spooled - before.spooled;
  if (spooled > 0 || after.spoolBytes > 0) problems.push(`ingest spooled ${spooled} readings (spool ${after.spoolBytes} B)`);

  const seconds = Math.max(result.elapsedMs, ctx.seconds * 1000) / 1000;
  const sustained = Math.round(result.readings / seconds);
  if (offered && sustained < 0.95 * offered) problems.push(`sustained ${sustained} < 95 % of offered ${Math.round(offered)} readings/s`);
  const alarmMs = {
    p50: round(percentile(samples, 50), 1),
    p99: round(percentile(samples, 99), 1),
    max: round(samples.at(-1) ?? NaN, 1),
    samples: samples.length,
    timeouts: ctx.probe.timeouts,
    share: round((ctx.probe.sent / Math.max(1, result.readings)) * 100, 3),
  };
  if (ctx.probe.timeouts > 0) problems.push(`${ctx.probe.timeouts} alarm events did not arrive within 10 s`);
  if (alarmMs.p99 > ctx.p99BoundMs) problems.push(`alarm p99 ${alarmMs.p99} ms > ${ctx.p99BoundMs} ms`);
  const storedSpan = stored.storedAt ? (stored.storedAt - result.firstAt) / 1000 : NaN;

  const hops = ctx.traceDir ? hopTable(readHopMarks(ctx.traceDir), probeTraces) : null; // the drain above let the apps write their marks
  const relay = ctx.relay ? await relayStep({ gateways, perMessage: spec.perMessage, durationMs: ctx.seconds * 1000, window: ctx.window, tsBase, rate }) : null;
  return {
    ...spec,
    offeredReadingsPerS: offered === null ? null : Math.round(offered),
    messages: result.messages,
    readings: result.readings,
    bytesPerReading: Math.round(result.bytes / Math.max(1, result.readings)),
    sustainedReadingsPerS: sustained,
    sustainedMessagesPerS: Math.round(result.messages / seconds),
    stored: count,
    influxPointsPerS: Math.round(count / storedSpan),
    storeDrainS: stored.storeDrainS,
    alertingDrainS: stored.alertingDrainS,
    alarmMs,
    spooled,
    cpuCores,
    rssMB,
    relay,
    ratioToRelay: relay ? round(sustained / relay.readingsPerS, 2) : null,
    hops,
    problems: spec.intervalMs ? problems : problems.filter((p) => !p.startsWith('sustained')),
  };
}

interface Counters {
  written: number;
  spooled: number;
  spoolBytes: number;
  alerting: number;
}

async function counters(ctx: StepContext): Promise<Counters> {
  const ingest = await scrape(ctx.ingestMetrics);
  return {
    written: sumMetric(ingest, 'ingest_readings_written_total'),
    spooled: sumMetric(ingest, 'ingest_readings_spooled_total'),
    spoolBytes: sumMetric(ingest, 'ingest_spool_bytes'),
    alerting: await alertingSeen(ctx.alertingMetrics),
  };
}

/** Readings alerting has taken in: evaluated, or ignored for a reason (e.g. unknown point). */
async function alertingSeen(url: string): Promise<number> {
  const text = await scrape(url);
  return sumMetric(text, 'alerting_readings_evaluated_total') + sumMetric(text, 'alerting_readings_ignored_total');
}

async function drain(ctx: StepContext, before: Counters, expected: number, loadEnd: number) {
  let storedAt: number | null = null;
  let evaluatedAt: number | null = null;
  await waitFor(
    async () => {
      if (storedAt === null && (await metricOf(ctx.ingestMetrics, 'ingest_readings_written_total')) - before.written >= expected) storedAt = Date.now();
      if (evaluatedAt === null && (await alertingSeen(ctx.alertingMetrics)) - before.alerting >= expected) evaluatedAt = Date.now();
      return storedAt !== null && evaluatedAt !== null;
    },
    { what: 'the pipeline to drain', timeoutMs: ctx.drainMs, intervalMs: 100 },
  ).catch(() => undefined); // reported as a problem of the step
  const since = (t: number | null) => (t === null ? null : round(Math.max(0, t - loadEnd) / 1000, 2));
  return { storedAt, storeDrainS: since(storedAt), alertingDrainS: since(evaluatedAt) };
}

async function countStored(influx: InfluxdProcess, tsBase: number): Promise<number> {
  const from = BigInt(tsBase) * 1_000_000n;
  const to = BigInt(tsBase + 60_000) * 1_000_000n;
  const series = await influx.query('safety_watch', `SELECT count(value) FROM reading WHERE gateway =~ /^BENCH-/ AND time >= ${from} AND time < ${to}`);
  return Number(series[0]?.values[0]?.[1] ?? 0);
}

export const round = (n: number, d: number): number => Math.round(n * 10 ** d) / 10 ** d;
