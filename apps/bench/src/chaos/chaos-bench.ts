import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createDataSource, RegistryService } from '@sw/persistence';
import { AppProcess, freePort, InfluxdProcess, MosquittoProcess, tempDir, waitFor } from '@sw/testing';
import mqtt, { type MqttClient } from 'mqtt';
import WebSocket from 'ws';
import { RULE_MIX } from '../ingest/bench-setup';
import { bulkProvision } from '../ingest/bulk-provision';
import type { LoadGateway } from '../load/load-generator';
import { SERVICE_PASSWORD } from '../support/single-node';
import { auditEdges, committedEdges, headSeq, incidentValue, ON_TIME_MS, sql, type CommittedEdge, type Incidents, type TransitionAudit } from './chaos-audit';
import { CounterSampler } from './chaos-counters';
import { ChaosLoad, type EpochCount } from './chaos-load';
import { type NotificationAudit, NotificationServers } from './chaos-notifications';
import { OwnPostgres } from './own-postgres';

const REPO = join(__dirname, '..', '..', '..', '..', '..');
const ADMIN = { username: 'admin', password: 'chaos-admin-password-123' };
const HOUR = 3_600_000;
/** How long an app may take to answer /health after a (re)start: minutes on a shared machine at load 50. */
const START_MS = 300_000;

interface Platform {
  broker: 'embedded' | 'external';
  influx: InfluxdProcess;
  pg: OwnPostgres;
  load: ChaosLoad;
  mosquitto: MosquittoProcess | null;
  /** the second alerting instance (external pass) */
  alertingB: AppProcess | null;
  baseRate: number;
  highRate: number;
  databaseUrl: string;
  databaseName: string;
  ingest: AppProcess;
  alerting: AppProcess;
  api: AppProcess;
  ports: { mqtt: number; ingest: number; alerting: number; alertingB: number; api: number };
  spoolDir: string;
  /** a tmpfs is mounted over the spool folder (spool-full) */
  spoolMounted: boolean;
  notifications: NotificationServers;
  counters: CounterSampler;
  /** what the fault measured of itself (e.g. the rate the load reached), for the table and JSON */
  note?: string;
}

/** One fault: inject it, and bring the platform back as a process manager (or an operator) would. */
interface Fault {
  name: string;
  /** the pass it runs in: the embedded broker (default) or the external Mosquitto */
  pass?: 'embedded' | 'external';
  what: string;
  inject(p: Platform): Promise<void>;
}

const kill = (app: 'ingest' | 'alerting' | 'api', name = `kill-${app}`, downMs = 1000): Fault => ({
  name,
  what: `SIGKILL ${app}, restarted ${downMs / 1000} s later`,
  async inject(p) {
    await p[app].kill();
    await sleep(downMs);
    await p[app].start(START_MS);
  },
});

export const FAULTS: Fault[] = [
  kill('ingest'),
  kill('alerting'),
  kill('api'),
  // a slow restart (a loaded machine, a process manager's backoff): incidents begin and end meanwhile
  kill('alerting', 'slow-alerting', 20_000),
  {
    name: 'kill-influxd',
    what: 'SIGKILL influxd, restarted 5 s later (same data)',
    async inject(p) {
      await p.influx.kill();
      await sleep(5000);
      await startInflux(p.influx);
    },
  },
  {
    name: 'pg-terminate',
    what: 'pg_terminate_backend of every platform session',
    async inject(p) {
      const [row] = await sql<{ n: number }>(p.pg.url, `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [p.databaseName]);
      console.log(`    terminated ${row?.n ?? 0} sessions`);
    },
  },
  {
    name: 'pg-restart',
    what: 'PostgreSQL restarted (pg_ctl restart -m fast) on the suite’s own cluster',
    async inject(p) {
      p.pg.restart();
    },
  },
  {
    name: 'reconnect-burst',
    what: 'every load gateway’s connection cut at once; all reconnect together 1 s later',
    async inject(p) {
      const n = p.load.cutAll();
      console.log(`    cut ${fmt(n)} gateway connections`);
      await p.load.waitConnected(120_000);
    },
  },
  {
    name: 'restart-broker',
    pass: 'external',
    what: 'Mosquitto stopped and started again (SIGTERM, persistence on; same port)',
    async inject(p) {
      await p.mosquitto?.restart();
    },
  },
  {
    name: 'kill-alerting-2of2',
    pass: 'external',
    what: 'at the high rate, SIGKILL one of two alerting instances (the other takes its partitions), restarted 1 s later',
    async inject(p) {
      const from = { at: Date.now(), n: p.load.published };
      p.load.setRate(p.highRate);
      await sleep(3000);
      await p.alerting.kill();
      await sleep(1000);
      await p.alerting.start(START_MS);
      // a takeover settles once both instances hold their share again (each answers /health with its partitions)
      await waitFor(() => sharedEvenly(p), { what: 'the two alerting instances to share the partitions evenly again', timeoutMs: 60_000, intervalMs: 200 }).catch(() => undefined);
      p.load.setRate(p.baseRate);
      const rate = ((p.load.published - from.n) * 1000) / (Date.now() - from.at);
      p.note = `high rate asked ${fmt(p.highRate)}/s, sent ${fmt(Math.round(rate))}/s over ${((Date.now() - from.at) / 1000).toFixed(1)} s`;
      console.log(`    ${p.note}`);
    },
  },
  {
    name: 'spool-full',
    what: 'influxd down 20 s with the spool on a 256 kB tmpfs (the disk fills before SPOOL_MAX_BYTES)',
    async inject(p) {
      // mounted over the (empty, InfluxDB being up) spool folder now, so the earlier faults had a normal disk
      if (!mountTmpfs(p.spoolDir, '256k')) throw new Error('spool-full needs a tmpfs over the spool folder (root, mount -t tmpfs)');
      p.spoolMounted = true;
      await p.influx.kill();
      await sleep(20_000);
      await startInflux(p.influx);
    },
  },
  {
    name: 'stop-alerting',
    what: 'SIGSTOP alerting for 20 s, then SIGCONT (a hung process)',
    async inject(p) {
      process.kill(p.alerting.pid as number, 'SIGSTOP');
      await sleep(20_000);
      process.kill(p.alerting.pid as number, 'SIGCONT');
    },
  },
];

interface FaultResult {
  fault: string;
  what: string;
  readings: { published: number; acked: number; unacked: number; stored: number; lost: number; duplicated: number };
  transitions: TransitionAudit;
  feed: { events: number; received: number; gaps: number; duplicateFrames: number; reconnects: number };
  notifications: NotificationAudit;
  recoverMs: number;
  /** the platform's own counters, increased over the window (across restarts) */
  counters: Record<string, number>;
  /** external broker: Mosquitto's "Outgoing messages are being dropped for client …" notices in the window (a session's queue full), by client */
  brokerDrops?: Record<string, number>;
  note?: string;
  /** wall time of the window: load before, the fault, recovery, the rest of the window, the audit */
  durations: { injectMs: number; windowMs: number; auditMs: number; totalMs: number };
  ok: boolean;
  /** the fault's own recovery step failed (e.g. an app did not come back within its start timeout) */
  error?: string;
  detail?: { incidentsSent: string[]; firstPointEvents: string[] };
}

/** Each crossing publish (value and time), for the detail of a failed audit. */
const crossingLog: string[] = [];

/**
 * `npm run chaos`: faults one at a time under steady load, each followed by an audit of what was
 * published against what InfluxDB, PostgreSQL, the local SMS and WeChat servers and the duty
 * officer's live feed ended up with, and the platform's own error and drop counters.
 * The platform runs as built processes (ingest with the embedded broker, alerting, api; in a second
 * pass Mosquitto and two alerting instances) over an influxd and a PostgreSQL cluster of its own;
 * gateways behave as in the field (QoS 1, reconnect, resend unacknowledged messages). A crossing
 * gateway raises and clears alarms on its CO points every few seconds throughout (its enterprise has
 * a safety officer, a principal and duty officers on file, so each raise notifies five times); a
 * WebSocket client follows the alarms channel and reconnects with `since`. Table on stdout (with
 * each window's wall time), JSON in bench-results/, exit 1 when anything was lost or duplicated.
 */
export async function runChaosBench(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      rate: { type: 'string', default: '10000' },
      'high-rate': { type: 'string', default: '50000' },
      gateways: { type: 'string', default: '1000' },
      points: { type: 'string', default: '10' },
      crossing: { type: 'string', default: '16' },
      seconds: { type: 'string', default: '40' },
      faults: { type: 'string', default: FAULTS.map((f) => f.name).join(',') },
      out: { type: 'string' },
    },
  });
  const o: PassOptions = {
    rate: Number(values.rate),
    highRate: Number(values['high-rate']),
    gateways: Number(values.gateways),
    points: Number(values.points),
    windowMs: Number(values.seconds) * 1000,
  };
  const chosen = (values.faults as string).split(',').map((name) => {
    const fault = FAULTS.find((f) => f.name === name.trim());
    if (!fault) throw new Error(`unknown fault '${name}' (known: ${FAULTS.map((f) => f.name).join(', ')})`);
    return fault;
  });
  const startedAt = Date.now();
  const influx = new InfluxdProcess();
  await influx.start();
  const notifications = new NotificationServers();
  await notifications.start();
  // PostgreSQL of its own (pg-restart must never touch the machine's shared cluster)
  const pg = new OwnPostgres();
  const results: FaultResult[] = [];
  const skipped: string[] = [];
  try {
    await pg.start();
    await sql(pg.url, 'CREATE DATABASE chaos');
    const db = { url: pg.url.replace(/\/postgres$/, '/chaos'), name: 'chaos' };
    console.log(`provisioning ${fmt(o.gateways)} gateways × ${o.points} points and ${values.crossing} crossing CO points …`);
    const setup = await bulkProvision(db.url, { gateways: o.gateways, pointsPer: o.points, mix: RULE_MIX, secrets: 'shared' });
    const cross = await provisionCrossing(db.url, Number(values.crossing));
    await notifications.seedContacts(db.url, cross.enterpriseId);
    const t0 = Date.now();
    let k = 0;
    for (const broker of ['embedded', 'external'] as const) {
      const faults = chosen.filter((f) => (f.pass ?? 'embedded') === broker);
      if (faults.length === 0) continue;
      console.log(`\n═══ pass: ${broker === 'embedded' ? 'embedded broker (aedes in ingest)' : 'external broker (Mosquitto, max_queued_messages 1000, two alerting instances)'} ═══`);
      k = await runPass(broker, faults, o, { influx, pg, db, setup, cross, t0, k, results, skipped, notifications });
    }
  } finally {
    await influx.cleanup();
    await notifications.stop();
    pg.stop();
  }
  const totalS = Math.round((Date.now() - startedAt) / 1000);
  printTable(results);
  console.log(`\nwhole run: ${fmt(totalS)} s (${fmt(Math.round(results.reduce((n, r) => n + r.durations.totalMs, 0) / 1000))} s in the fault windows and their audits)`);
  const out = (values.out as string | undefined) ?? join(REPO, 'bench-results', `chaos-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  mkdirSync(join(out, '..'), { recursive: true });
  writeFileSync(out, JSON.stringify({ rate: o.rate, highRate: o.highRate, skipped, gateways: o.gateways, points: o.points, windowSeconds: o.windowMs / 1000, totalSeconds: totalS, results }, null, 2));
  console.log(`JSON: ${out}`);
  const bad = results.filter((r) => !r.ok);
  if (bad.length > 0) throw new Error(`LOST OR DUPLICATED in ${bad.map((r) => r.fault).join(', ')}`);
  console.log('every fault: 0 lost, 0 duplicated (readings, transitions, notifications), 0 feed gaps');
}

interface PassOptions {
  rate: number;
  highRate: number;
  gateways: number;
  points: number;
  windowMs: number;
}

interface PassShared {
  influx: InfluxdProcess;
  pg: OwnPostgres;
  db: { url: string; name: string };
  setup: { gateways: LoadGateway[] };
  cross: CrossingSetup;
  t0: number;
  /** fault windows so far (each gets its own hour of reading timestamps) */
  k: number;
  results: FaultResult[];
  skipped: string[];
  notifications: NotificationServers;
}

/** One platform (embedded broker, or Mosquitto with two alerting instances) through its faults; the next window number. */
async function runPass(broker: 'embedded' | 'external', faults: Fault[], o: PassOptions, sh: PassShared): Promise<number> {
  const { influx, pg, db, setup, cross, t0, notifications } = sh;
  let k = sh.k;
  const spool = tempDir('sw-chaos-spool-');
  const spoolB = tempDir('sw-chaos-spool-b-');
  const files = tempDir('sw-chaos-mosq-');
  // spool-full mounts a 256 kB tmpfs over the spool folder (root only): can it here?
  const spoolIsTmpfs = faults.some((f) => f.name === 'spool-full') && canMountTmpfs();
  let platform: Platform | null = null;
  const apps: AppProcess[] = [];
  let load: ChaosLoad | null = null;
  let crossing: Crossing | null = null;
  let feed: FeedClient | null = null;
  let mosquitto: MosquittoProcess | null = null;
  let counters: CounterSampler | null = null;
  try {
    const ports = { mqtt: await freePort(), ingest: await freePort(), alerting: await freePort(), alertingB: await freePort(), api: await freePort() };
    let brokerUrl = `mqtt://127.0.0.1:${ports.mqtt}`;
    let ingestEnv: Record<string, string> = { MQTT_PORT: String(ports.mqtt), MQTT_BIND: '127.0.0.1', MQTT_CONNECT_BURST_PER_IP: String(o.gateways + 100), MQTT_AUTH_IP_MAX_FAILURES: '100000' };
    if (broker === 'external') {
      // the platform's password file and ACL (written by ingest), and the stock per-session queue limit
      const passwordFile = join(files.path, 'passwd');
      const aclFile = join(files.path, 'acl');
      writeFileSync(passwordFile, '');
      writeFileSync(aclFile, '');
      const pidFile = join(files.path, 'mosquitto.pid');
      mosquitto = new MosquittoProcess({
        passwordFile,
        aclFile,
        allowAnonymous: false,
        extraConfig: ['max_queued_messages 1000', 'persistence true', `persistence_location ${files.path}/`, `pid_file ${pidFile}`].join('\n'),
      });
      await mosquitto.start();
      brokerUrl = mosquitto.url;
      ingestEnv = { BROKER_MODE: 'external', MOSQUITTO_PASSWORD_FILE: passwordFile, MOSQUITTO_ACL_FILE: aclFile, MOSQUITTO_RELOAD_COMMAND: `kill -HUP $(cat ${pidFile})` };
    }
    const common = { DATABASE_URL: db.url, SERVICE_MQTT_PASSWORD: SERVICE_PASSWORD, INFLUX_URL: influx.url, BROKER_URL: brokerUrl, LOG_LEVEL: 'warn' };
    load = new ChaosLoad(brokerUrl, setup.gateways, 10, o.rate);
    const alerting = (port: number, id: string) => new AppProcess('alerting', { ...common, ...notifications.env(), ALERTING_HTTP_PORT: String(port), ALERTING_MQTT_CLIENT_ID: id }, `http://127.0.0.1:${port}/health`);
    const p: Platform = {
      broker,
      influx,
      pg,
      load,
      mosquitto,
      highRate: o.highRate,
      baseRate: o.rate,
      databaseUrl: db.url,
      databaseName: db.name,
      ports,
      spoolDir: spool.path,
      spoolMounted: false,
      notifications,
      counters: new CounterSampler([
        { app: 'ingest', url: `http://127.0.0.1:${ports.ingest}` },
        { app: 'alerting', url: `http://127.0.0.1:${ports.alerting}` },
        ...(broker === 'external' ? [{ app: 'alerting' as const, url: `http://127.0.0.1:${ports.alertingB}` }] : []),
        { app: 'api', url: `http://127.0.0.1:${ports.api}` },
      ]),
      ingest: new AppProcess('ingest', { ...common, ...ingestEnv, INGEST_HTTP_PORT: String(ports.ingest), SPOOL_DIR: spool.path, MODBUS_POLLING: 'false' }, `http://127.0.0.1:${ports.ingest}/health`),
      alerting: alerting(ports.alerting, `alerting-chaos-${broker}`),
      alertingB: broker === 'external' ? alerting(ports.alertingB, `alerting-chaos-${broker}-b`) : null,
      api: new AppProcess('api', { ...common, API_PORT: String(ports.api), API_BIND: '127.0.0.1', JWT_SECRET: 'chaos-jwt-secret-that-is-long-enough-1234', ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password }, `http://127.0.0.1:${ports.api}/health`),
    };
    void spoolB;
    platform = p;
    counters = p.counters;
    for (const app of [p.ingest, p.alerting, ...(p.alertingB ? [p.alertingB] : []), p.api]) {
      apps.push(app);
      await app.start(START_MS);
    }
    if (mosquitto) {
      const first = setup.gateways[0] as LoadGateway;
      await waitFor(() => mqttAccepts(brokerUrl, first.code, first.password as string), { what: 'Mosquitto to accept the gateways (password file written and reloaded)', timeoutMs: 60_000, intervalMs: 250 });
    }
    feed = new FeedClient(`ws://127.0.0.1:${ports.api}/ws`, `http://127.0.0.1:${ports.api}`);
    await feed.connect();
    await load.connect();
    crossing = new Crossing(brokerUrl, cross);
    await crossing.connect();
    load.newEpoch(t0 - (40 - k) * HOUR);
    load.start();
    counters.start();
    console.log(`steady load: ${fmt(o.rate)} readings/s from ${fmt(o.gateways)} gateways (QoS 1, 10 readings/message); incidents on ${cross.points.length} CO points every 3 s; ${faults.length} faults, ${o.windowMs / 1000} s each`);

    // every window's incidents, and the seq the pass began at: a late transition counts for its own incident's window
    const windows: Incidents[] = [];
    const passSeq = await headSeq(db.url);
    const skipped = faults.filter((f) => f.name === 'spool-full' && !spoolIsTmpfs).map((f) => f.name);
    if (skipped.length > 0) console.log(`skipped: ${skipped.join(', ')} (needs root to mount a tmpfs for the spool)`);
    sh.skipped.push(...skipped);
    for (const fault of faults.filter((f) => !skipped.includes(f.name))) {
      console.log(`\n▶ ${fault.name}: ${fault.what}`);
      const windowStart = Date.now();
      await counters.reset();
      const brokerLogAt = mosquitto ? brokerLogSize(mosquitto) : 0;
      const epoch = load.newEpoch(t0 - (39 - k) * HOUR);
      const seqBefore = await headSeq(db.url);
      crossing.beginWindow();
      const feedBefore = feed.snapshot();
      await sleep(o.windowMs * 0.25);
      const injectedAt = Date.now();
      // a fault whose recovery step fails (an app that does not come back in time) is reported, not fatal
      let error = await fault.inject(p).then(
        () => null,
        (err: Error) => err.message.split('\n')[0] as string,
      );
      if (error) {
        console.log(`    ✗ ${error}`);
        const apps: [AppProcess | null, number][] = [[p.ingest, p.ports.ingest], [p.alerting, p.ports.alerting], [p.alertingB, p.ports.alertingB], [p.api, p.ports.api]];
        for (const [app, port] of apps) {
          if (!app || (await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false))) continue;
          await app.stop().catch(() => undefined);
          await app.start(START_MS).catch(() => undefined);
        }
      }
      const injectMs = Date.now() - injectedAt;
      const recoverMs = await waitRecovered(p, injectedAt).catch((err: Error) => {
        error ??= `not recovered: ${err.message}`;
        console.log(`    ✗ ${error}`);
        return Date.now() - injectedAt;
      });
      console.log(`    recovered (every app, influxd and PostgreSQL answering) after ${fmt(recoverMs)} ms`);
      await sleep(Math.max(0, o.windowMs * 0.75 - (Date.now() - injectedAt)));
      windows.push(await crossing.endWindow());
      const auditAt = Date.now();
      // the next epoch's readings go to another time range while this one is audited
      load.newEpoch(t0 - (39 - k) * HOUR + HOUR / 2);
      const result = await audit(p, fault, epoch, load, feed, feedBefore, cross, { pointIds: cross.pointIds, afterSeq: passSeq, windows, index: windows.length - 1, faultEndedAt: injectedAt + injectMs }, seqBefore, recoverMs);
      if (mosquitto) result.brokerDrops = brokerDrops(mosquitto, brokerLogAt);
      if (p.note) result.note = p.note;
      p.note = undefined;
      const end = Date.now();
      result.durations = { injectMs, windowMs: auditAt - windowStart, auditMs: end - auditAt, totalMs: end - windowStart };
      if (error) Object.assign(result, { ok: false, error });
      sh.results.push(result);
      console.log(row(result));
      k++;
    }
    load.stop();
    await recountTransitions(p, sh.results.slice(sh.results.length - (k - sh.k)));
    await recountNotifications(p, sh.results.slice(sh.results.length - (k - sh.k)));
    return k;
  } finally {
    counters?.stop();
    load?.stop();
    await load?.close();
    await crossing?.close();
    feed?.close();
    for (const app of [...apps].reverse()) await app.stop().catch(() => undefined);
    await mosquitto?.cleanup().catch(() => undefined);
    if (platform?.spoolMounted) spawnSync('umount', ['-l', spool.path]);
    spool.remove();
    spoolB.remove();
    files.remove();
  }
}

/** Whether the two alerting instances own all 16 partitions, 8 each (from their /health). */
async function sharedEvenly(p: Platform): Promise<boolean> {
  const owned = async (port: number) =>
    fetch(`http://127.0.0.1:${port}/health`)
      .then((r) => r.json() as Promise<{ partitions?: { owned?: number[] } }>)
      .then((b) => b.partitions?.owned ?? [], () => [] as number[]);
  const [a, b] = [await owned(p.ports.alerting), await owned(p.ports.alertingB)];
  return a.length === 8 && b.length === 8 && new Set([...a, ...b]).size === 16;
}

async function mqttAccepts(url: string, username: string, password: string): Promise<boolean> {
  try {
    const c = await mqtt.connectAsync(url, { username, password, clientId: username, reconnectPeriod: 0, connectTimeout: 2000 });
    await c.endAsync();
    return true;
  } catch {
    return false;
  }
}

/** influxd's start waits 20 s for /ping; on a loaded machine it may need another try (same data). */
async function startInflux(influx: InfluxdProcess): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await influx.start();
    } catch (err) {
      if (attempt >= 3) throw err;
      console.log(`    influxd not answering yet (${(err as Error).message.split('\n')[0]}); trying again`);
      await influx.kill().catch(() => undefined);
    }
  }
}

function canMountTmpfs(): boolean {
  const probe = tempDir('sw-chaos-tmpfs-');
  try {
    return mountTmpfs(probe.path, '64k') && spawnSync('umount', [probe.path]).status === 0;
  } finally {
    probe.remove();
  }
}

function mountTmpfs(dir: string, size: string): boolean {
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { encoding: 'utf8' });
  if (r.status !== 0) console.log(`    (no tmpfs for the spool: ${(r.stderr || r.error?.message || '').trim()})`);
  return r.status === 0;
}

async function waitRecovered(p: Platform, since: number): Promise<number> {
  const apps = [p.ingest, p.alerting, ...(p.alertingB ? [p.alertingB] : []), p.api];
  const ports = [p.ports.ingest, p.ports.alerting, ...(p.alertingB ? [p.ports.alertingB] : []), p.ports.api];
  await waitFor(
    async () => {
      const ok = await Promise.all(apps.map((_, i) => fetch(`http://127.0.0.1:${ports[i]}/health`).then((r) => r.ok, () => false)));
      return ok.every(Boolean) && (await p.influx.ping().then(() => true, () => false)) && (await sql(p.pg.url, 'SELECT 1').then(() => true, () => false));
    },
    { what: 'the platform to recover', timeoutMs: 180_000, intervalMs: 100 },
  );
  return Date.now() - since;
}

async function audit(
  p: Platform,
  fault: Fault,
  epoch: EpochCount,
  load: ChaosLoad,
  feed: FeedClient,
  feedBefore: { reconnects: number },
  cross: CrossingSetup,
  question: EdgeQuestion,
  seqBefore: number,
  recoverMs: number,
): Promise<FaultResult> {

  // gateways resend what was not acknowledged (mqtt.js keeps it): wait until every reading is
  const acked = await load.drain(epoch, 300_000);
  if (!acked) console.log(`    ${fmt(epoch.published - epoch.acked)} readings still unacknowledged after 300 s`);
  // stored: wait until InfluxDB holds them all, or nothing changed for 15 s (the spool drains meanwhile)
  const stored = await settle(() => countStored(p.influx, epoch.tsBase, epoch.tsBase + HOUR / 2), (n) => n >= epoch.published, 15_000, 180_000);
  const transitions = await auditTransitions(p, question);
  let detail: FaultResult['detail'];
  if (transitions.missing + transitions.duplicated + transitions.outOfOrder > 0) {
    // what went wrong, for the JSON: the incidents sent and the first point's committed events
    const log = new Map<string, string[]>();
    await committedEdges(p.databaseUrl, cross.pointIds.slice(0, 1), seqBefore, log);
    detail = { incidentsSent: crossingLog.splice(0), firstPointEvents: log.get(cross.pointIds[0] as string) ?? [] };
  }
  crossingLog.length = 0;
  const head = await headSeq(p.databaseUrl);
  await settle(async () => feed.highest(), (n) => n >= head, 10_000, 60_000);
  const gaps = feed.missingIn(seqBefore + 1, head);
  // notifications: the messages the committed raises call for, at the local SMS and WeChat servers
  const expectedMessages = await p.notifications.expected(p.databaseUrl, cross.pointIds, seqBefore);
  const notifications = await settleValue(
    async () => p.notifications.count(expectedMessages),
    (n) => n.missing === 0,
    (n) => n.delivered,
    12_000,
    60_000,
  );
  const counters = await p.counters.read();
  // lost: every reading published once all are acknowledged; else (a lower bound) the acknowledged ones not stored
  const unacked = epoch.published - epoch.acked;
  const readings = { published: epoch.published, acked: epoch.acked, unacked, stored, lost: Math.max(0, (unacked === 0 ? epoch.published : epoch.acked) - stored), duplicated: Math.max(0, stored - epoch.published) };
  const feedResult = { events: head - seqBefore, received: head - seqBefore - gaps.missing, gaps: gaps.missing, duplicateFrames: gaps.duplicates, reconnects: feed.reconnects - feedBefore.reconnects };
  const result: FaultResult = {
    fault: fault.name,
    what: fault.what,
    readings,
    transitions,
    feed: feedResult,
    notifications,
    recoverMs,
    counters,
    durations: { injectMs: 0, windowMs: 0, auditMs: 0, totalMs: 0 },
    ...(detail ? { detail } : {}),
    ok: isOk(readings, transitions, feedResult, notifications),
  };
  expectedOf.set(result, expectedMessages);
  questionOf.set(result, question);
  return result;
}

interface EdgeQuestion {
  pointIds: string[];
  /** the head seq when the pass began */
  afterSeq: number;
  /** the pass's windows so far (this array grows with the pass) */
  windows: Incidents[];
  index: number;
  /** when the fault's injection returned (the app back, the process resumed) */
  faultEndedAt: number;
}

/**
 * The committed edges of a window's incidents, waited for until all are there, or for the final
 * settle window: nothing new for {@link SETTLE_QUIET_MS} (a replay still committing keeps it open) and
 * at most {@link SETTLE_MAX_MS}. What is not committed by then is missing (recounted at the end of
 * the pass); what came after {@link ON_TIME_MS} is late (reported, not a failure).
 */
async function auditTransitions(p: Platform, q: EdgeQuestion): Promise<TransitionAudit> {
  const judge = (m: Map<string, CommittedEdge[]>) => auditEdges(m, q.pointIds, q.windows, q.index, q.faultEndedAt);
  const edges = await settleValue(() => committedEdges(p.databaseUrl, q.pointIds, q.afterSeq), (m) => judge(m).missing === 0, (m) => judge(m).committed, SETTLE_QUIET_MS, SETTLE_MAX_MS);
  return judge(edges);
}

const SETTLE_QUIET_MS = 20_000;
const SETTLE_MAX_MS = 180_000;
const questionOf = new WeakMap<FaultResult, EdgeQuestion>();

/** Before a pass's platform stops: a window's transitions committed after its audit (a replay still running) count as late, not missing. */
async function recountTransitions(p: Platform, results: FaultResult[]): Promise<void> {
  for (const r of results) {
    const q = questionOf.get(r);
    if (!q || r.transitions.missing === 0) continue;
    const again = auditEdges(await committedEdges(p.databaseUrl, q.pointIds, q.afterSeq), q.pointIds, q.windows, q.index, q.faultEndedAt);
    console.log(`    ${r.fault}: transitions recounted at the end of the pass: missing ${r.transitions.missing} → ${again.missing}, late ${r.transitions.late} → ${again.late}`);
    r.transitions = again;
    r.ok = !r.error && isOk(r.readings, r.transitions, r.feed, r.notifications);
  }
}

function isOk(readings: FaultResult['readings'], transitions: TransitionAudit, feed: FaultResult['feed'], n: NotificationAudit): boolean {
  return (
    readings.lost === 0 &&
    readings.unacked === 0 &&
    readings.duplicated === 0 &&
    transitions.missing === 0 &&
    transitions.duplicated === 0 &&
    transitions.outOfOrder === 0 &&
    feed.gaps === 0 &&
    n.missing === 0 &&
    n.duplicated === 0
  );
}

/** The messages each window's audit expected (for the recount at the end of the pass). */
const expectedOf = new WeakMap<FaultResult, Awaited<ReturnType<NotificationServers['expected']>>>();

/**
 * Before a pass's platform stops: counts every window's notifications again, once the last ones
 * are delivered (or nothing changed for 12 s), so a message delivered late (a lease that a killed
 * instance held runs out) counts as delivered, and a resend after a window's audit as duplicated.
 */
async function recountNotifications(p: Platform, results: FaultResult[]): Promise<void> {
  const all = results.flatMap((r) => expectedOf.get(r) ?? []);
  await settleValue(
    async () => p.notifications.count(all),
    (n) => n.missing === 0,
    (n) => n.delivered,
    12_000,
    60_000,
  );
  // resends of a message a killed instance had claimed come one lease (NOTIFY_LEASE_MS) later
  await sleep(2000);
  for (const r of results) {
    const n = p.notifications.count(expectedOf.get(r) ?? []);
    if (n.missing !== r.notifications.missing || n.resent !== r.notifications.resent) console.log(`    ${r.fault}: notifications recounted at the end of the pass: missing ${r.notifications.missing} → ${n.missing}, resent ${r.notifications.resent} → ${n.resent}`);
    r.notifications = n;
    r.ok = !r.error && isOk(r.readings, r.transitions, r.feed, n);
  }
}

/** Mosquitto's log size now (where a window's notices begin). */
function brokerLogSize(m: MosquittoProcess): number {
  return existsSync(m.logPath) ? statSync(m.logPath).size : 0;
}

/** "Outgoing messages are being dropped for client X." notices since `from` (Mosquitto logs one when a session's queue starts overflowing). */
function brokerDrops(m: MosquittoProcess, from: number): Record<string, number> {
  const text = existsSync(m.logPath) ? readFileSync(m.logPath).subarray(from).toString('utf8') : '';
  const out: Record<string, number> = {};
  for (const match of text.matchAll(/Outgoing messages are being dropped for client (\S+?)\.?$/gm)) out[match[1] as string] = (out[match[1] as string] ?? 0) + 1;
  return out;
}

async function settle(read: () => Promise<number>, done: (n: number) => boolean, quietMs: number, timeoutMs: number): Promise<number> {
  return settleValue(read, done, (n) => n, quietMs, timeoutMs);
}

/** Polls until `done`, or until the measure has not changed for `quietMs`, or `timeoutMs`; the last value. */
async function settleValue<T>(read: () => Promise<T>, done: (v: T) => boolean, measure: (v: T) => number, quietMs: number, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last = -1;
  let changedAt = Date.now();
  for (;;) {
    const v = await read().catch(() => null);
    if (v !== null) {
      if (done(v)) return v;
      const m = measure(v);
      if (m !== last) {
        last = m;
        changedAt = Date.now();
      } else if (Date.now() - changedAt >= quietMs || Date.now() >= until) return v;
    } else if (Date.now() >= until) throw new Error('the audit query kept failing');
    await sleep(500);
  }
}

async function countStored(influx: InfluxdProcess, fromMs: number, toMs: number): Promise<number> {
  const series = await influx.query('safety_watch', `SELECT count(value) FROM reading WHERE gateway =~ /^BENCH-/ AND time >= ${fromMs}ms AND time < ${toMs}ms`);
  return Number(series[0]?.values[0]?.[1] ?? 0);
}

interface CrossingSetup {
  enterpriseId: string;
  code: string;
  password: string;
  points: string[];
  pointIds: string[];
}

async function provisionCrossing(databaseUrl: string, count: number): Promise<CrossingSetup> {
  const ds = await createDataSource({ url: databaseUrl, poolSize: 2 }).initialize();
  try {
    const registry = new RegistryService(ds);
    const [enterprise] = (await ds.query(`SELECT id FROM enterprises LIMIT 1`)) as { id: string }[];
    const { gateway, mqtt: credentials } = await registry.createGateway(enterprise?.id as string, { code: 'CROSS-001', protocol: 'mqtt' });
    const points: string[] = [];
    const pointIds: string[] = [];
    for (let i = 0; i < count; i++) {
      const code = `X-CO-${String(i).padStart(2, '0')}`;
      const point = await registry.createPoint(gateway.id, { code, type: 'co', unit: 'ppm', name: `事故 CO ${i}` });
      points.push(code);
      pointIds.push(point.id);
    }
    return { enterpriseId: enterprise?.id as string, code: gateway.code, password: credentials?.password as string, points, pointIds };
  } finally {
    await ds.destroy();
  }
}

/**
 * Incidents: every 3 s all crossing points go to 200 ppm, 1.5 s later back to 5 ppm, each value
 * plus the incident's number in the pass in ten-thousandths, so the audit knows which incident a
 * committed transition answers (`incidentValue`); one expected up and one expected clear per point
 * and cycle. QoS 1 with reconnection like the load; each reading carries its own ts so a resent
 * message cannot count twice.
 */
class Crossing {
  private client!: MqttClient;
  private timer: NodeJS.Timeout | null = null;
  private incidents: Incidents = { ups: [], clears: [] };
  private pending: Promise<unknown>[] = [];
  private high = false;
  /** incidents sent in the pass so far (the next one's number) */
  private cycle = 0;

  constructor(
    private readonly url: string,
    private readonly setup: CrossingSetup,
  ) {}

  async connect(): Promise<void> {
    this.client = await mqtt.connectAsync(this.url, { username: this.setup.code, password: this.setup.password, clientId: this.setup.code, reconnectPeriod: 1000, protocolVersion: 4 });
    this.client.on('error', () => undefined);
  }

  beginWindow(): void {
    this.incidents = { ups: [], clears: [] };
    this.high = false;
    this.pending = [];
    this.timer = setInterval(() => this.tick(), 1500);
  }

  /** Stops after a complete incident; resolves with the incidents (when each up and clear was sent) once all are acknowledged. */
  async endWindow(): Promise<Incidents> {
    while (this.high) await sleep(100);
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.all(this.pending);
    return this.incidents;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.client?.endAsync(true).catch(() => undefined);
  }

  private tick(): void {
    this.high = !this.high;
    // the up and the clear of one incident carry its number (see incidentValue)
    const value = incidentValue(this.high ? 'up' : 'clear', this.high ? this.cycle : this.cycle++);
    const ts = Date.now();
    (this.high ? this.incidents.ups : this.incidents.clears).push(ts);
    crossingLog.push(`${value} ${new Date(ts).toISOString()}`);
    const payload = JSON.stringify({ ts, readings: this.setup.points.map((point) => ({ point, value, ts })) });
    this.pending.push(new Promise((resolve) => this.client.publish(`v1/gateways/${this.setup.code}/telemetry`, payload, { qos: 1 }, resolve)));
  }
}

/** The duty officer's screen: the alarms channel, reconnecting with `since` after any close. */
class FeedClient {
  private socket: WebSocket | null = null;
  private readonly seen = new Map<number, number>();
  private last = 0;
  reconnects = 0;
  private closed = false;
  private token = '';

  constructor(
    private readonly wsUrl: string,
    private readonly apiUrl: string,
  ) {}

  async connect(): Promise<void> {
    this.token = await login(this.apiUrl);
    await new Promise<void>((resolve) => this.open(resolve));
  }

  highest(): number {
    return this.last;
  }

  snapshot(): { reconnects: number } {
    return { reconnects: this.reconnects };
  }

  /** seqs in [from, to] never received, and seqs received more than once there */
  missingIn(from: number, to: number): { missing: number; duplicates: number } {
    let missing = 0;
    let duplicates = 0;
    for (let s = from; s <= to; s++) {
      const n = this.seen.get(s) ?? 0;
      if (n === 0) missing++;
      if (n > 1) duplicates += n - 1;
    }
    return { missing, duplicates };
  }

  close(): void {
    this.closed = true;
    this.socket?.close();
  }

  private open(onLive?: () => void): void {
    const socket = new WebSocket(`${this.wsUrl}?token=${this.token}`);
    this.socket = socket;
    socket.on('message', (raw) => {
      const frame = JSON.parse(raw.toString()) as { type: string; seq?: number };
      if (frame.type === 'ready') socket.send(JSON.stringify({ type: 'subscribe', channels: ['alarms'], ...(this.last > 0 ? { since: this.last } : {}) }));
      else if (frame.type === 'live') onLive?.();
      else if (frame.type === 'alarm' && typeof frame.seq === 'number') {
        this.seen.set(frame.seq, (this.seen.get(frame.seq) ?? 0) + 1);
        if (frame.seq > this.last) this.last = frame.seq;
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (this.closed) return;
      this.reconnects++;
      setTimeout(() => this.open(), 500);
    });
  }
}

async function login(api: string): Promise<string> {
  const res = await fetch(`${api}/api/v1/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
  if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

const HEADER = `fault                published     stored unacked   lost  dup │ transitions  miss  dup  order   late (max/p50 s, >${ON_TIME_MS / 1000} s) replay s │ notifications miss dup │ feed ev  gaps │ recover s  window s`;

/** Counters shown under a row when they moved (short names; the JSON has every one). */
const SHOWN: [string, string][] = [
  ['ingest_readings_dropped_total', 'ingest dropped'],
  ['ingest_readings_spooled_total', 'spooled'],
  ['ingest_readings_held_total', 'held (spool full, PUBACKs waited)'],
  ['ingest_influx_write_failures_total', 'influx write failures'],
  ['ingest_readings_refused_by_influx_total', 'refused by influx'],
  ['ingest_readings_rejected_total', 'rejected'],
  ['ingest_messages_duplicate_total', 'duplicate messages'],
  ['ingest_auth_failures_total', 'auth failures'],
  ['alerting_readings_ignored_total', 'alerting ignored'],
  ['alerting_reading_batches_rejected_total', 'batches rejected'],
  ['alerting_event_publish_failures_total', 'event publish failures'],
  ['alerting_transition_retries_total', 'transition retries'],
  ['alerting_transitions_fenced_total', 'fenced'],
  ['alerting_transitions_grouped_total', 'transitions grouped (committed with an earlier one of their alarm)'],
  ['api_live_sockets_dropped_total', 'api sockets dropped'],
  ['api_live_gap_fills_total', 'gap fills'],
];

function row(r: FaultResult): string {
  const line = [
    r.fault.padEnd(18),
    fmt(r.readings.published).padStart(11),
    fmt(r.readings.stored).padStart(10),
    String(r.readings.unacked).padStart(7),
    String(r.readings.lost).padStart(6),
    String(r.readings.duplicated).padStart(4),
    '│',
    `${r.transitions.committed}/${r.transitions.expected}`.padStart(11),
    String(r.transitions.missing).padStart(5),
    String(r.transitions.duplicated).padStart(4),
    String(r.transitions.outOfOrder).padStart(6),
    `${r.transitions.late}${r.transitions.late > 0 ? ` (${(r.transitions.lateMaxMs / 1000).toFixed(1)}/${(r.transitions.lateP50Ms / 1000).toFixed(1)})` : ''}`.padStart(28),
    (r.transitions.replayMs / 1000).toFixed(1).padStart(8),
    '│',
    `${r.notifications.delivered}/${r.notifications.expected}`.padStart(13),
    String(r.notifications.missing).padStart(4),
    String(r.notifications.duplicated).padStart(3),
    '│',
    String(r.feed.events).padStart(7),
    String(r.feed.gaps).padStart(5),
    '│',
    (r.recoverMs / 1000).toFixed(1).padStart(9),
    (r.durations.totalMs / 1000).toFixed(0).padStart(9),
    r.ok ? '' : '  ✗',
  ].join(' ');
  const moved = SHOWN.filter(([name]) => (r.counters[name] ?? 0) > 0).map(([name, short]) => `${short} ${fmt(r.counters[name] as number)}`);
  const drops = Object.entries(r.brokerDrops ?? {}).map(([client, n]) => `${client}×${n}`);
  const notes = [
    moved.length > 0 ? `counters: ${moved.join(', ')}` : 'counters: no errors or drops',
    ...(drops.length > 0 ? [`Mosquitto dropped messages (queue full) for ${drops.join(', ')}`] : []),
    ...(r.brokerDrops
      ? [`readings to alerting: ingest published ${fmt(r.counters['ingest_readings_published_total'] ?? 0)}, alerting took in ${fmt((r.counters['alerting_readings_evaluated_total'] ?? 0) + (r.counters['alerting_readings_ignored_total'] ?? 0))} (evaluated or ignored; a killed instance's last second uncounted)`]
      : []),
    ...(r.notifications.resent > 0 ? [`notifications resent ${r.notifications.resent} (SMS ${r.notifications.duplicated}: a person got those twice; WeChat drops a repeated client_msg_id)`] : []),
    ...(r.note ? [r.note] : []),
    ...(r.error ? [`error: ${r.error}`] : []),
  ];
  return `${line}\n${' '.repeat(20)}${notes.join('; ')}`;
}

function printTable(results: FaultResult[]): void {
  console.log(`\n${HEADER}`);
  for (const r of results) console.log(row(r));
}

const fmt = (n: number) => n.toLocaleString('en-US');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
