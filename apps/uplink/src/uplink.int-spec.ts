/**
 * The uplink as a real process (dist/apps/uplink, `nx run uplink:build` first) against real
 * PostgreSQL, a real influxd and the local provincial server (libs/testing ProvinceServer):
 * docs/contracts.md §6 and issue 16's acceptance — the province down for a while under the demo
 * district's load, then back → everything arrives exactly once, in order per enterprise, every
 * signature valid; SIGKILL of the uplink mid-backfill loses and duplicates nothing; a bad signature
 * is refused with its code; backlog and lag show in /metrics and the status the api serves.
 *
 * Time is compressed: readings windows of 1 s instead of 60 s, retries from 100 ms capped at 1 s.
 * UPLINK_TEST_OUTAGE_S (default 30) and UPLINK_TEST_AFTER_S (20) set the outage and the load after
 * it; `npm run test:uplink-outage` runs the 10-minute outage of the issue.
 */
import { createDataSource, UplinkStatusRepository } from '@sw/persistence';
import { AppProcess, createTestDatabase, freePorts, holdFor, InfluxdProcess, ProvinceServer, randomSecret, waitFor, type ProvinceRecord, type TestDatabase } from '@sw/testing';
import { signRequest } from '@sw/uplink-protocol';
import type { DataSource } from 'typeorm';
import { DistrictLoad, provisionDistrict, type District } from './testing/district-load';

const OUTAGE_S = Number(process.env['UPLINK_TEST_OUTAGE_S'] ?? 30);
const AFTER_S = Number(process.env['UPLINK_TEST_AFTER_S'] ?? 20);
const BEFORE_S = 10;
const DB = 'safety_watch';
const SENDER = 'sw-test';
const KEY_ID = 'district-test';

describe('uplink to the province (real processes)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let influxd: InfluxdProcess;
  let province: ProvinceServer;
  let uplink: AppProcess;
  let district: District;
  let metricsUrl: string;
  const secret = randomSecret();

  beforeAll(async () => {
    db = await createTestDatabase('uplink');
    ds = await createDataSource({ url: db.url, poolSize: 4 }).initialize();
    district = await provisionDistrict(ds);
    influxd = new InfluxdProcess();
    await influxd.start();
    await influxd.createDatabase(DB);
    province = await new ProvinceServer(new Map([[KEY_ID, secret]])).start();
    const [httpPort] = (await freePorts(1)) as [number];
    metricsUrl = `http://127.0.0.1:${httpPort}/metrics`;
    uplink = new AppProcess(
      'uplink',
      {
        DATABASE_URL: db.url,
        INFLUX_URL: influxd.url,
        INFLUX_DB: DB,
        UPLINK_HTTP_PORT: String(httpPort),
        UPLINK_ENDPOINT: province.url,
        UPLINK_SENDER_ID: SENDER,
        UPLINK_KEY_ID: KEY_ID,
        UPLINK_SECRET: secret,
        UPLINK_READINGS_INTERVAL_S: '1',
        UPLINK_READINGS_LATENESS_S: '1',
        UPLINK_READINGS_MAX_WINDOWS: '30',
        UPLINK_POLL_MS: '100',
        UPLINK_BATCH_SIZE: '10',
        UPLINK_PARALLEL: '2',
        UPLINK_BACKOFF_MS: '100',
        UPLINK_BACKOFF_MAX_MS: '1000',
        UPLINK_LEDGER_INTERVAL_MS: '500',
        UPLINK_SETTLE_MS: '2000',
        LOG_LEVEL: 'info',
      },
      `http://127.0.0.1:${httpPort}/health`,
    );
    await uplink.start();
    // the ledger goes first: every enterprise's base data is its message 1
    await waitFor(() => mine().filter((m) => m.type === 'enterprise').length === district.enterprises.length, { what: 'the ledger at the province', timeoutMs: 20_000 });
  }, 120_000);

  afterAll(async () => {
    await uplink?.stop();
    await province?.stop();
    await influxd?.cleanup();
    await ds?.destroy();
    await db?.drop();
  });

  const mine = (): ProvinceRecord[] => province.all.filter((m) => m.sender === SENDER);

  async function metric(name: string, labels = ''): Promise<number> {
    const text = await (await fetch(metricsUrl)).text();
    let sum = 0;
    for (const line of text.split('\n')) {
      if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) {
        if (labels && !line.includes(labels)) continue;
        sum += Number(line.slice(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  /** Every alarm event, hazard event and readings window in the stores is at the province. */
  async function expected(): Promise<Set<string>> {
    const ids = new Set<string>();
    for (const r of (await ds.query(`SELECT seq FROM alarm_events`)) as { seq: string }[]) ids.add(`alarm_event:${r.seq}`);
    for (const r of (await ds.query(`SELECT id FROM hazard_events`)) as { id: string }[]) ids.add(`hazard_event:${r.id}`);
    const series = await influxd.query(DB, `SELECT count("value") FROM "reading" WHERE time > 0 GROUP BY time(1s), "enterprise" fill(none)`);
    for (const s of series) for (const [t] of s.values) ids.add(`readings:${s.tags?.['enterprise']}:1s:${t as number}`);
    return ids;
  }

  async function drained(): Promise<void> {
    const want = await expected();
    await waitFor(
      async () => {
        const have = new Set(mine().map((m) => m.id));
        return [...want].every((id) => have.has(id)) && (await metric('uplink_backlog_messages')) === 0;
      },
      { what: `all ${want.size} records at the province and an empty backlog`, timeoutMs: 120_000 + OUTAGE_S * 1000, intervalMs: 250 },
    );
  }

  /** Exactly once, in order per enterprise, and what the stores hold. */
  async function assertExactlyOnce(): Promise<void> {
    const all = mine();
    expect(new Set(all.map((m) => m.id)).size).toBe(all.length);
    for (const e of district.enterprises) {
      const stream = all.filter((m) => m.enterpriseId === e.id);
      expect(stream.map((m) => m.seq)).toEqual(stream.map((_, i) => i + 1));
      const alarmSeqs = stream.filter((m) => m.type === 'alarm_event').map((m) => m.data['eventSeq'] as number);
      expect(alarmSeqs).toEqual([...alarmSeqs].sort((a, b) => a - b));
      const windows = stream.filter((m) => m.type === 'readings').map((m) => Date.parse(m.at));
      expect(windows).toEqual([...windows].sort((a, b) => a - b));
    }
    const want = await expected();
    const forwarded = all.filter((m) => m.type !== 'enterprise').map((m) => m.id);
    expect(new Set(forwarded)).toEqual(want);
  }

  it('province down for a while under load: after it returns everything arrives once, in order, signed', async () => {
    const load = new DistrictLoad(ds, influxd, DB, district).start();
    try {
      await holdFor(BEFORE_S * 1000, 'the scenario: load before the outage');
      await province.stop();
      const downAt = Date.now();
      // the backlog builds and shows, in /metrics and in the status the api serves
      await waitFor(async () => (await metric('uplink_backlog_messages', 'type="readings"')) > 0 && (await metric('uplink_failures_total', 'code="NETWORK"')) > 0, {
        what: 'backlog and failures in /metrics',
        timeoutMs: 20_000,
      });
      await waitFor(async () => (await metric('uplink_lag_seconds')) >= 2, { what: 'lag in /metrics', timeoutMs: 20_000 });
      const status = await new UplinkStatusRepository(ds).status();
      expect(status).toMatchObject({ enabled: true, adapter: 'generic-json' });
      expect(status.backlog).toBeGreaterThan(0);
      expect(status.lagSeconds).toBeGreaterThanOrEqual(2);
      expect(status.lastError).toMatch(/network/);
      await holdFor(Math.max(0, OUTAGE_S * 1000 - (Date.now() - downAt)), 'the scenario: the outage lasts OUTAGE_S');
      await province.start(province.port);
      await holdFor(AFTER_S * 1000, 'the scenario: load after the outage (live data while the backlog drains)');
    } finally {
      await load.stop();
    }
    await drained();
    await assertExactlyOnce();
    expect(province.rejected).toBe(0); // every signature valid
    expect((await new UplinkStatusRepository(ds).status()).backlog).toBe(0);
    // aggregates are InfluxDB's own for the window
    const sample = mine().find((m) => m.type === 'readings' && (m.data['points'] as unknown[]).length > 1) as ProvinceRecord;
    const from = Date.parse(sample.at);
    const [series] = await influxd.query(DB, `SELECT min("value"), max("value"), count("value") FROM "reading" WHERE time >= ${from}ms AND time < ${from + 1000}ms AND "enterprise" = '${sample.enterpriseId}'`);
    const points = sample.data['points'] as { min: number; max: number; count: number }[];
    expect(series?.values[0]?.slice(1)).toEqual([Math.min(...points.map((p) => p.min)), Math.max(...points.map((p) => p.max)), points.reduce((a, p) => a + p.count, 0)]);
  }, 300_000 + OUTAGE_S * 1000);

  it('SIGKILL of the uplink mid-backfill loses and duplicates nothing', async () => {
    await province.stop();
    const load = new DistrictLoad(ds, influxd, DB, district).start();
    try {
      await holdFor(15_000, 'the scenario: a backlog of 15 s of the district');
    } finally {
      await load.stop();
    }
    const want = await expected();
    await waitFor(async () => Number(((await ds.query(`SELECT count(*) AS n FROM uplink_outbox WHERE message_id = ANY($1)`, [[...want]])) as { n: string }[])[0]?.n) === want.size, {
      what: 'the backlog in the outbox',
      timeoutMs: 30_000,
    });
    province.delayMs = 300; // a slow province: the backfill takes several rounds
    const before = province.batches;
    await province.start(province.port);
    await waitFor(() => province.batches >= before + 3, { what: 'the backfill under way', timeoutMs: 60_000, intervalMs: 20 });
    await uplink.kill();
    const [{ n: left }] = (await ds.query(`SELECT count(*) AS n FROM uplink_outbox WHERE delivered_at IS NULL`)) as [{ n: string }];
    expect(Number(left)).toBeGreaterThan(0); // killed mid-backfill
    province.delayMs = 0;
    await uplink.start();
    await drained();
    await assertExactlyOnce();
    expect(province.rejected).toBe(0);
  }, 240_000);

  it('a bad signature is refused with its code, and the uplink retries until the key is right', async () => {
    await province.restart(); // listening, whatever the tests before left
    // a forged request: signed with another secret
    const body = JSON.stringify({ version: 1, sender: 'forger', enterprise: { id: 'x', uscc: null, name: 'x', regionCode: '320505' }, messages: [{ id: 'm1', seq: 1, type: 'enterprise', at: new Date().toISOString(), data: {} }] });
    const post = (headers: Record<string, string>) => fetch(`${province.url}/v1/batches`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const forged = await post(signRequest({ method: 'POST', path: '/v1/batches', body }, { id: KEY_ID, secret: randomSecret() }, Date.now(), 'nonce-forged-0123456789'));
    expect([forged.status, await forged.json()]).toEqual([401, { code: 'SIGNATURE_INVALID' }]);
    // a valid request replayed
    const signed = signRequest({ method: 'POST', path: '/v1/batches', body }, { id: KEY_ID, secret }, Date.now(), 'nonce-replayed-0123456789');
    expect((await post(signed)).status).toBe(200);
    expect([(await post(signed)).status, province.refusals.at(-1)]).toEqual([401, 'NONCE_REPLAYED']);
    // the province changes the key: the uplink's batches are refused, counted, and wait
    province.keys.set(KEY_ID, randomSecret());
    const load = new DistrictLoad(ds, influxd, DB, district).start();
    try {
      await waitFor(async () => (await metric('uplink_failures_total', 'code="SIGNATURE_INVALID"')) > 0, { what: 'SIGNATURE_INVALID in /metrics', timeoutMs: 20_000 });
    } finally {
      await load.stop();
    }
    expect((await new UplinkStatusRepository(ds).status()).lastError).toMatch(/401 SIGNATURE_INVALID/);
    province.keys.set(KEY_ID, secret);
    await drained();
    await assertExactlyOnce();
  }, 180_000);
});
