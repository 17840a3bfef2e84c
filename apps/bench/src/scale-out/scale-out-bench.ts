import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createDataSource, RegistryService } from '@sw/persistence';
import type { DataSource } from 'typeorm';
import { AppProcess, createTestDatabase, freePort, InfluxdProcess, MosquittoProcess, tempDir, waitFor } from '@sw/testing';
import mqtt from 'mqtt';
import { provisionBench, RULE_MIX } from '../ingest/bench-setup';
import type { LoadGateway } from '../load/load-generator';
import { startLoad } from '../support/children';
import { metricOf } from '../support/metrics';
import { CpuMeter, rssBytes } from '../support/proc-stats';
import { SERVICE_PASSWORD } from '../support/single-node';

const REPO = join(__dirname, '..', '..', '..', '..', '..');
const CROSSING_POINTS = 64;

interface ThroughputPhase {
  ingestInstances: number;
  readings: number;
  publishMs: number;
  storedReadingsPerS: number;
  evaluatedReadingsPerS: number;
  stored: number;
  evaluated: number;
  cpuCores: Record<string, number>;
  rssMB: Record<string, number>;
}

/**
 * `npm run bench:scale-out`: scale-out on one machine. A Mosquitto the benchmark starts, configured
 * as docs/contracts.md §1 says (no anonymous access; the password file and pattern ACL written by ingest
 * and reloaded), 1 then 2 ingest instances sharing the gateway topics through `$share/ingest/…`, and
 * 2 alerting instances owning the reading partitions through PostgreSQL advisory-lock leases.
 * (1) throughput with 1 vs 2 ingest instances at full load; (2) SIGKILL one alerting instance with
 * alarms open and readings flowing: how long until the survivor holds every partition, and whether
 * every alarm transition was committed exactly once.
 */
export async function runScaleOutBench(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      gateways: { type: 'string', default: '200' },
      points: { type: 'string', default: '10' },
      seconds: { type: 'string', default: '15' },
      window: { type: 'string', default: '16' },
      background: { type: 'string', default: '10000' },
    },
  });
  const seconds = Number(values.seconds);
  const window = Number(values.window);
  const influx = new InfluxdProcess();
  await influx.start();
  const db = await createTestDatabase('bench_scale_out');
  const files = tempDir('sw-bench-mosq-');
  const spools = [tempDir('sw-bench-spool-a-'), tempDir('sw-bench-spool-b-')];
  const passwordFile = join(files.path, 'passwd');
  const aclFile = join(files.path, 'acl');
  writeFileSync(passwordFile, '');
  writeFileSync(aclFile, '');
  const mosquitto = new MosquittoProcess({ passwordFile, aclFile, allowAnonymous: false });
  const apps: AppProcess[] = [];
  try {
    console.log(`provisioning ${values.gateways} gateways × ${values.points} points (rule mix) and ${CROSSING_POINTS} crossing CO points …`);
    const setup = await provisionBench(db.url, Number(values.gateways), Number(values.points), RULE_MIX);
    const crossing = await provisionCrossing(db.url);
    await mosquitto.start();
    const brokerUrl = mosquitto.url;
    const common = { DATABASE_URL: db.url, SERVICE_MQTT_PASSWORD: SERVICE_PASSWORD, INFLUX_URL: influx.url, BROKER_URL: brokerUrl, LOG_LEVEL: 'warn' };
    const ingestEnv = (i: number, port: number) => ({
      ...common,
      BROKER_MODE: 'external',
      MOSQUITTO_PASSWORD_FILE: passwordFile,
      MOSQUITTO_ACL_FILE: aclFile,
      MOSQUITTO_RELOAD_COMMAND: `kill -HUP ${mosquitto.pid}`,
      INGEST_HTTP_PORT: String(port),
      SPOOL_DIR: spools[i]?.path as string,
      MODBUS_POLLING: 'false',
      // two replicas on one host: a session each, sharing the gateway telemetry (README "Configuration")
      INGEST_MQTT_CLIENT_ID: `ingest-bench-${i + 1}`,
      INGEST_MQTT_SHARE_GROUP: 'ingest',
    });
    const ports = { ingest: [await freePort(), await freePort()], alerting: [await freePort(), await freePort()] };
    const newIngest = (i: number) => new AppProcess('ingest', ingestEnv(i, ports.ingest[i] as number), `http://127.0.0.1:${ports.ingest[i]}/health`);
    // first run: ingest writes Mosquitto's password file and ACL; then it steps aside for the reference run
    const writer = newIngest(0);
    apps.push(writer);
    await writer.start();
    await waitFor(() => mosquittoAccepts(brokerUrl, crossing.code, crossing.password), { what: 'Mosquitto to accept the gateways (password file written and reloaded)', timeoutMs: 30_000, intervalMs: 250 });
    await writer.stop();
    const now = Date.now();
    const reference = await relayPhase(brokerUrl, setup.gateways, seconds, window, now - 8 * 3_600_000);
    const ingestA = newIngest(0);
    const ingestB = newIngest(1);
    const alerting = ['a', 'b'].map(
      (name, i) =>
        new AppProcess('alerting', { ...common, ALERTING_MQTT_CLIENT_ID: `alerting-bench-${name}`, ALERTING_HTTP_PORT: String(ports.alerting[i]) }, `http://127.0.0.1:${ports.alerting[i]}/health`),
    ) as [AppProcess, AppProcess];
    const ingestMetrics = ports.ingest.map((p) => `http://127.0.0.1:${p}/metrics`);
    const alertingMetrics = ports.alerting.map((p) => `http://127.0.0.1:${p}/metrics`);
    apps.push(ingestA);
    await ingestA.start();
    for (const app of alerting) {
      apps.push(app);
      await app.start();
    }
    await waitFor(async () => (await owned(ports.alerting[0] as number)) + (await owned(ports.alerting[1] as number)) === 16 && (await owned(ports.alerting[0] as number)) === 8, {
      what: 'the two alerting instances to split the partitions',
      timeoutMs: 20_000,
      intervalMs: 200,
    });
    console.log('partitions: alerting a', await ownedList(ports.alerting[0] as number), '· alerting b', await ownedList(ports.alerting[1] as number));

    const phases: ThroughputPhase[] = [];
    const runPhase = async (instances: AppProcess[], label: number, tsBase: number): Promise<ThroughputPhase> => {
      console.log(`\n▶ ${label} ingest instance(s): ${seconds} s at full load, 10 readings/message, QoS 1, through Mosquitto`);
      const written = async () => sum(await Promise.all(ingestMetrics.slice(0, label).map((u) => metricOf(u, 'ingest_readings_written_total'))));
      const evaluatedNow = async () => sum(await Promise.all(alertingMetrics.map((u) => metricOf(u, 'alerting_readings_evaluated_total').catch(() => 0))));
      const [writtenBefore, evaluatedBefore] = [await written(), await evaluatedNow()];
      const load = startLoad({ url: brokerUrl, gateways: setup.gateways, perMessage: 10, durationMs: seconds * 1000, window, tsBase });
      await load.ready;
      const pids: Record<string, number> = { mosquitto: mosquitto.pid as number, influxd: influx.pid as number, generator: load.child.pid as number };
      instances.forEach((app, i) => (pids[`ingest${i + 1}`] = app.pid as number));
      alerting.forEach((app, i) => (pids[`alerting${i + 1}`] = app.pid as number));
      const cpu = new CpuMeter(pids);
      load.go();
      let rss: Record<string, number> = {};
      const sampleRss = setTimeout(() => (rss = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, round(rssBytes(pid) / 1e6)]))), (seconds * 1000) / 2);
      const result = await load.done;
      clearTimeout(sampleRss);
      const cpuSec = cpu.read();
      let storedAt = Date.now();
      await waitFor(async () => {
        storedAt = Date.now();
        return (await written()) - writtenBefore >= result.readings;
      }, { what: `${result.readings} readings to be written`, timeoutMs: 180_000, intervalMs: 100 });
      let evaluatedAt = Date.now();
      await waitFor(async () => {
        evaluatedAt = Date.now();
        return (await evaluatedNow()) - evaluatedBefore >= result.readings;
      }, { what: `${result.readings} readings to be evaluated`, timeoutMs: 180_000, intervalMs: 100 });
      const stored = await countStored(influx, tsBase, tsBase + 3_600_000);
      const phase: ThroughputPhase = {
        ingestInstances: label,
        readings: result.readings,
        publishMs: result.elapsedMs,
        storedReadingsPerS: Math.round(result.readings / ((storedAt - result.firstAt) / 1000)),
        evaluatedReadingsPerS: Math.round(result.readings / ((evaluatedAt - result.firstAt) / 1000)),
        stored,
        evaluated: (await evaluatedNow()) - evaluatedBefore,
        cpuCores: Object.fromEntries(Object.entries(cpuSec).map(([k, s]) => [k, round(s / (result.elapsedMs / 1000))])),
        rssMB: rss,
      };
      console.log(
        `  stored ${fmt(phase.storedReadingsPerS)} readings/s · evaluated ${fmt(phase.evaluatedReadingsPerS)} readings/s · published ${fmt(result.readings)}, in InfluxDB ${fmt(stored)} ${stored === result.readings ? '(nothing lost)' : '(MISMATCH)'}`,
      );
      console.log(`  CPU cores ${JSON.stringify(phase.cpuCores)}`);
      return phase;
    };
    phases.push(await runPhase([ingestA], 1, now - 6 * 3_600_000));
    apps.push(ingestB);
    await ingestB.start();
    await sleep(1000); // its $share subscription is in place
    phases.push(await runPhase([ingestA, ingestB], 2, now - 4 * 3_600_000));

    // (2) takeover
    console.log(`\n▶ takeover: ${CROSSING_POINTS} alarms open, ${fmt(Number(values.background))} readings/s background, SIGKILL alerting a`);
    const audit = await createDataSource({ url: db.url, poolSize: 2 }).initialize();
    const gw = await mqtt.connectAsync(brokerUrl, { username: crossing.code, password: crossing.password, clientId: crossing.code, reconnectPeriod: 0 });
    const publish = (value: number) => gw.publishAsync(`v1/gateways/${crossing.code}/telemetry`, JSON.stringify({ readings: crossing.points.map((point) => ({ point, value })) }), { qos: 1 });
    const background = startLoad({ url: brokerUrl, gateways: setup.gateways, perMessage: 10, durationMs: 20_000, window, tsBase: now - 2 * 3_600_000, rate: Number(values.background) / 10 });
    await background.ready;
    background.go();
    await publish(200);
    await waitFor(async () => (await eventCount(audit, crossing.gatewayId, 'raised')) >= CROSSING_POINTS, { what: `${CROSSING_POINTS} raised alarms`, timeoutMs: 30_000, intervalMs: 100 });
    const partitionsOfA = await ownedList(ports.alerting[0] as number);
    const killedAt = Date.now();
    await alerting[0].kill();
    await publish(5); // clears; a's share waits in its partitions' broker sessions
    let tookOverAt = Date.now();
    await waitFor(async () => {
      tookOverAt = Date.now();
      return (await owned(ports.alerting[1] as number)) === 16;
    }, { what: 'the survivor to hold every partition', timeoutMs: 30_000, intervalMs: 20 });
    let clearedAt = Date.now();
    await waitFor(async () => {
      clearedAt = Date.now();
      return (await eventCount(audit, crossing.gatewayId, 'cleared')) >= CROSSING_POINTS;
    }, { what: `${CROSSING_POINTS} cleared alarms`, timeoutMs: 30_000, intervalMs: 20 });
    await background.done;
    await sleep(2000); // a duplicate would have arrived by now
    await gw.endAsync();
    const counts = await transitionAudit(audit, crossing.gatewayId);
    await audit.destroy();
    const takeover = {
      partitionsOfKilled: partitionsOfA,
      takeoverMs: tookOverAt - killedAt,
      allClearedMs: clearedAt - killedAt,
      ...counts,
      exactlyOnce: counts.alarms === CROSSING_POINTS && counts.raised === CROSSING_POINTS && counts.cleared === CROSSING_POINTS && counts.duplicates === 0,
    };
    console.log(
      `  survivor held all 16 partitions ${takeover.takeoverMs} ms after the kill; all ${CROSSING_POINTS} clears committed after ${takeover.allClearedMs} ms · ` +
        `${counts.alarms} alarms, ${counts.raised} raised, ${counts.cleared} cleared, ${counts.duplicates} duplicate transitions → ${takeover.exactlyOnce ? 'exactly once' : 'NOT EXACTLY ONCE'}`,
    );

    printTable(phases);
    const speedup = round((phases[1]?.storedReadingsPerS ?? 0) / (phases[0]?.storedReadingsPerS ?? 1));
    console.log(`\n2 vs 1 ingest instances: ×${speedup} stored readings/s; bare Mosquitto → one plain mqtt.js subscriber ($share, QoS 1): ${fmt(reference.readingsPerS)} readings/s`);
    const out = join(REPO, 'bench-results');
    mkdirSync(out, { recursive: true });
    const file = join(out, `scale-out-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, JSON.stringify({ reference, phases, speedup, takeover }, null, 2));
    console.log(`JSON: ${file}`);
    const lost = phases.filter((p) => p.stored !== p.readings);
    if (lost.length > 0) throw new Error(`LOST READINGS in ${lost.map((p) => `${p.ingestInstances} ingest`).join(', ')}`);
    if (!takeover.exactlyOnce) throw new Error('alarm transitions were lost or duplicated across the takeover');
  } finally {
    for (const app of [...apps].reverse()) await app.stop().catch(() => undefined);
    await mosquitto.cleanup();
    await influx.cleanup();
    await db.drop();
    for (const s of spools) s.remove();
    files.remove();
  }
}

/**
 * The reference: the same workload through the same Mosquitto to one plain mqtt.js subscriber on the
 * shared subscription ingest uses (it does nothing with the messages) — what one consumer process can take.
 */
async function relayPhase(brokerUrl: string, gateways: LoadGateway[], seconds: number, window: number, tsBase: number): Promise<{ readingsPerS: number; messages: number }> {
  console.log(`\n▶ reference: bare Mosquitto relay to one mqtt.js subscriber, ${seconds} s, 10 readings/message`);
  const sub = await mqtt.connectAsync(brokerUrl, { username: 'svc.platform', password: SERVICE_PASSWORD, clientId: 'bench-relay-subscriber', reconnectPeriod: 0 });
  let delivered = 0;
  let lastAt = 0;
  sub.on('message', (topic) => {
    if (!topic.startsWith('v1/gateways/')) return;
    delivered++;
    lastAt = Date.now();
  });
  await sub.subscribeAsync('$share/relay/v1/gateways/+/telemetry', { qos: 1 });
  const load = startLoad({ url: brokerUrl, gateways, perMessage: 10, durationMs: seconds * 1000, window, tsBase });
  await load.ready;
  load.go();
  const result = await load.done;
  await waitFor(() => delivered >= result.messages, { what: 'the subscriber to receive every relayed message', timeoutMs: 120_000, intervalMs: 50 });
  await sub.unsubscribeAsync('$share/relay/v1/gateways/+/telemetry');
  await sub.endAsync();
  const readingsPerS = Math.round((delivered * 10) / ((lastAt - result.firstAt) / 1000));
  console.log(`  ${fmt(readingsPerS)} readings/s (${fmt(delivered)} messages)`);
  return { readingsPerS, messages: delivered };
}

/** One gateway with CROSSING_POINTS CO points, spread over the partitions by their ids. */
async function provisionCrossing(databaseUrl: string): Promise<{ code: string; password: string; gatewayId: string; points: string[] }> {
  const ds = await createDataSource({ url: databaseUrl, poolSize: 2 }).initialize();
  try {
    const registry = new RegistryService(ds);
    const [enterprise] = (await ds.query(`SELECT id FROM enterprises LIMIT 1`)) as { id: string }[];
    const { gateway, mqtt: credentials } = await registry.createGateway(enterprise?.id as string, { code: 'CROSS-001', protocol: 'mqtt' });
    const points: string[] = [];
    for (let i = 0; i < CROSSING_POINTS; i++) {
      const code = `X-CO-${String(i).padStart(2, '0')}`;
      await registry.createPoint(gateway.id, { code, type: 'co', unit: 'ppm', name: `交接 CO ${i}` });
      points.push(code);
    }
    return { code: gateway.code, password: credentials?.password as string, gatewayId: gateway.id, points };
  } finally {
    await ds.destroy();
  }
}

async function mosquittoAccepts(url: string, username: string, password: string): Promise<boolean> {
  try {
    const c = await mqtt.connectAsync(url, { username, password, reconnectPeriod: 0, connectTimeout: 2000 });
    await c.endAsync();
    return true;
  } catch {
    return false;
  }
}

async function ownedList(port: number): Promise<number[]> {
  const health = (await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.json())) as { partitions?: { owned?: number[] } };
  return health.partitions?.owned ?? [];
}

async function owned(port: number): Promise<number> {
  return (await ownedList(port).catch(() => [])).length;
}

async function eventCount(ds: DataSource, gatewayId: string, event: 'raised' | 'cleared'): Promise<number> {
  return (await transitionAudit(ds, gatewayId))[event];
}

/** What PostgreSQL committed for the crossing gateway's alarms: counts and transitions committed twice. */
async function transitionAudit(ds: DataSource, gatewayId: string): Promise<{ alarms: number; raised: number; cleared: number; duplicates: number }> {
  {
    const [row] = (await ds.query(
      `SELECT count(DISTINCT a.id)::int AS alarms,
              count(*) FILTER (WHERE e.event = 'raised')::int AS raised,
              count(*) FILTER (WHERE e.event = 'cleared')::int AS cleared
         FROM alarms a LEFT JOIN alarm_events e ON e.alarm_id = a.id
        WHERE a.gateway_id = $1`,
      [gatewayId],
    )) as { alarms: number; raised: number; cleared: number }[];
    const [dup] = (await ds.query(
      `SELECT count(*)::int AS n FROM (
         SELECT e.alarm_id, e.event FROM alarm_events e JOIN alarms a ON a.id = e.alarm_id
          WHERE a.gateway_id = $1 GROUP BY e.alarm_id, e.event HAVING count(*) > 1) d`,
      [gatewayId],
    )) as { n: number }[];
    return { alarms: row?.alarms ?? 0, raised: row?.raised ?? 0, cleared: row?.cleared ?? 0, duplicates: dup?.n ?? 0 };
  }
}

async function countStored(influx: InfluxdProcess, fromMs: number, toMs: number): Promise<number> {
  const series = await influx.query('safety_watch', `SELECT count(value) FROM reading WHERE gateway =~ /^BENCH-/ AND time >= ${fromMs}ms AND time < ${toMs}ms`);
  return Number(series[0]?.values[0]?.[1] ?? 0);
}

function printTable(phases: ThroughputPhase[]): void {
  console.log('\ningest  stored rdg/s  evaluated rdg/s  published   stored      CPU cores');
  for (const p of phases) {
    console.log(
      `${String(p.ingestInstances).padStart(6)}  ${fmt(p.storedReadingsPerS).padStart(12)}  ${fmt(p.evaluatedReadingsPerS).padStart(15)}  ${fmt(p.readings).padStart(10)}  ${fmt(p.stored).padStart(10)}  ${Object.entries(p.cpuCores)
        .map(([k, v]) => `${k} ${v}`)
        .join(' · ')}`,
    );
  }
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const round = (n: number) => Math.round(n * 100) / 100;
const fmt = (n: number) => n.toLocaleString('en-US');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
