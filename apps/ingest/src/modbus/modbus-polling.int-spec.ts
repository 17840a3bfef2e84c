/**
 * Modbus TCP polling against real parts: two Modbus TCP servers from an independent implementation
 * (Debian's python3-pymodbus 3.0.0 run by /usr/bin/python3, zero_mode=True, own ports) with known
 * register contents, PostgreSQL (own database, gateways and points registered with the built CLI),
 * a real influxd, ingest in-process with its embedded broker, and an MQTT client on the service
 * account reading the normalized readings alerting consumes. Only alerting itself is not here.
 */
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { decodeReadingBatch, TOPICS, type NormalizedReading } from '@sw/sensors';
import {
  cli,
  connectMqtt,
  createTestDatabase,
  freePort,
  InfluxdProcess,
  PymodbusProcess,
  holdFor,
  tempDir,
  testUscc,
  waitFor,
  type TestDatabase,
  randomSecret,
} from '@sw/testing';
import ModbusRTU from 'modbus-serial';
import type { MqttClient } from 'mqtt';
import { Client } from 'pg';
import { ingestConfigSchema } from '../config/ingest.config';
import { GatewayRegistryService } from '../gateways/gateway-registry.service';
import { GatewayStateService } from '../gateways/gateway-state.service';
import { bootstrapIngest } from '../main';

const SERVICE_PASSWORD = randomSecret();
const A_INTERVAL_MS = 500;
const B_INTERVAL_MS = 200;

/**
 * Device A, a deep-well casting PLC. Multi-register words are what pymodbus 3.0.0's own
 * BinaryPayloadBuilder produces for these values (byteorder/wordorder as in the word order names),
 * so the expected values below are checked against an independent encoder.
 */
const DEVICE_A = {
  holding: {
    100: 0x0000, 101: 0x42ed, // FL-01 118.5 m3/h, float32 CDAB
    102: 0xd70a, 103: 0x3ea3, // PR-01 0.32 MPa, float32 CDAB
    104: 0xc093, 105: 0x4a45, 106: 0x6d5c, 107: 0xfaad, // AN-64 -1234.5678, float64 ABCD
    110: 0xffe7, // T-01 -25 × 0.1 = -2.5 °C, int16
    // 108–109 and 111–119 do not exist: GAP-1 at 120 is within the merge gap and refused
    300: 0x7fc0, 301: 0x0000, // NAN-1: float32 NaN
    400: 7, // BUSY-1: answers exception 6
  },
  input: {
    0: 1203, // ML-01 1203 × 0.1 = 120.3 mm, int16
    10: 0x7856, 11: 0x3412, // AN-U32 305419896 × 0.001, uint32 DCBA
    12: 0xa4f8, 13: 0xeb32, // AN-I32 -123456789 × 1e-6, int32 BADC
  },
  coils: { 0: true }, // CA-01 casting
  discrete: { 3: false }, // SP-01 no spark
  busy: { holding: [400] },
};

const POINTS_A: [code: string, type: string, register: Record<string, unknown>, thresholds?: Record<string, unknown>][] = [
  ['FL-01', 'water_flow', { function: 'holding', address: 100, type: 'float32', wordOrder: 'CDAB' }, { low: { orange: 80 } }],
  ['PR-01', 'water_pressure', { function: 'holding', address: 102, type: 'float32', wordOrder: 'CDAB' }],
  ['AN-64', 'analog', { function: 'holding', address: 104, type: 'float64' }],
  ['T-01', 'temperature', { function: 'holding', address: 110, type: 'int16', scale: 0.1 }],
  ['GAP-1', 'level', { function: 'holding', address: 120, type: 'uint16' }],
  ['NAN-1', 'water_flow', { function: 'holding', address: 300, type: 'float32' }],
  ['BUSY-1', 'level', { function: 'holding', address: 400, type: 'uint16' }],
  ['ML-01', 'melt_level', { function: 'input', address: 0, type: 'int16', scale: 0.1 }],
  ['AN-U32', 'analog', { function: 'input', address: 10, type: 'uint32', wordOrder: 'DCBA', scale: 0.001 }],
  ['AN-I32', 'analog', { function: 'input', address: 12, type: 'int32', wordOrder: 'BADC', scale: 0.000001 }],
  ['CA-01', 'casting_active', { function: 'coil', address: 0, type: 'bool' }],
  ['SP-01', 'spark_detected', { function: 'discrete', address: 3, type: 'bool' }],
];

describe('Modbus TCP polling (ingest ↔ pymodbus)', () => {
  let db: TestDatabase;
  let influx: InfluxdProcess;
  let app: INestApplication;
  let pg: Client;
  let internal: MqttClient;
  let closed = false;
  const published: NormalizedReading[] = [];
  const spool = tempDir('sw-spool-');
  const deviceA = new PymodbusProcess(DEVICE_A);
  const deviceB = new PymodbusProcess({ holding: { 0: 421 } });
  const points: Record<string, string> = {}; // code → id
  const gateways: Record<string, string> = {}; // code → id

  const registerModbus = async (uscc: string, code: string, port: number, pollMs: number, list: typeof POINTS_A) => {
    await cli(db.url, 'enterprise', 'add', '--name', `企业${code}`, '--uscc', uscc, '--region', '320506', '--categories', 'aluminum_casting');
    const gw = await cli<{ gateway: { id: string }; mqtt: unknown }>(db.url, 'gateway', 'add', '--enterprise', uscc, '--code', code,
      '--protocol', 'modbus-tcp', '--modbus-host', '127.0.0.1', '--modbus-port', String(port), '--poll-ms', String(pollMs), '--timeout-ms', '300');
    expect(gw.mqtt).toBeNull(); // docs/contracts.md §2: a modbus-tcp gateway gets no MQTT credentials
    gateways[code] = gw.gateway.id;
    for (const [point, type, register, thresholds] of list) {
      const args = ['point', 'add', '--gateway', code, '--code', point, '--type', type, '--name', point, '--register', JSON.stringify(register)];
      if (thresholds) args.push('--thresholds', JSON.stringify(thresholds));
      points[`${code}/${point}`] = (await cli<{ point: { id: string } }>(db.url, ...args)).point.id;
    }
  };

  const latest = async (code: string) => {
    const series = await influx.query('safety_watch', `SELECT * FROM reading WHERE point = '${points[code]}' ORDER BY time DESC LIMIT 1`);
    const s = series[0];
    return s ? Object.fromEntries(s.columns.map((c, i) => [c, s.values[0]?.[i]])) : null;
  };
  const pollsOk = async (code: string): Promise<number> => {
    const text = await fetch(`http://127.0.0.1:${httpPort(app)}/metrics`).then((r) => r.text());
    const m = new RegExp(`^ingest_modbus_polls_total\\{gateway="${code}",result="ok"\\} (\\d+)$`, 'm').exec(text);
    return Number(m?.[1] ?? 0);
  };
  const online = (code: string) => app.get(GatewayStateService).isOnline(gateways[code] as string);

  beforeAll(async () => {
    db = await createTestDatabase('modbus');
    influx = new InfluxdProcess();
    await Promise.all([influx.start(), deviceA.start(), deviceB.start()]);
    // Registered before ingest starts (cache load) …
    await registerModbus(testUscc(51), 'MB-A', deviceA.port, A_INTERVAL_MS, POINTS_A);
    const mqttPort = await freePort();
    const config = ingestConfigSchema.parse({
      DATABASE_URL: db.url, INFLUX_URL: influx.url, SERVICE_MQTT_PASSWORD: SERVICE_PASSWORD, INGEST_HTTP_PORT: '0',
      MQTT_PORT: String(mqttPort), MQTT_BIND: '127.0.0.1', SPOOL_DIR: spool.path, INFLUX_FLUSH_MS: '20', LOG_LEVEL: 'warn',
      LAST_SEEN_FLUSH_MS: '200', MODBUS_BACKOFF_MIN_MS: '100', MODBUS_BACKOFF_MAX_MS: '800',
    });
    app = await bootstrapIngest(config);
    internal = await connectMqtt(`mqtt://127.0.0.1:${mqttPort}`, { username: config.SERVICE_MQTT_USERNAME, password: SERVICE_PASSWORD });
    internal.on('message', (_t, payload) => published.push(...decodeReadingBatch(payload)));
    await internal.subscribeAsync(TOPICS.readingsAll, { qos: 1 });
    // … and after (NOTIFY → registry refresh → a poller starts without a restart)
    await registerModbus(testUscc(52), 'MB-B', deviceB.port, B_INTERVAL_MS, [['LT-01', 'water_level', { function: 'holding', address: 0, type: 'uint16' }]]);
    pg = new Client({ connectionString: db.url });
    await pg.connect();
  });

  afterAll(async () => {
    await internal?.endAsync(true).catch(() => undefined);
    if (!closed) await app?.close();
    await pg?.end();
    await Promise.all([deviceA.kill(), deviceB.kill()]);
    await influx?.cleanup();
    await db?.drop();
    spool.remove();
  });

  it('stores the decoded value of every type and word order in InfluxDB, with scale and offset', async () => {
    // docs/contracts.md §2: type × wordOrder, value = raw × scale + offset
    const expected: Record<string, number> = {
      'FL-01': 118.5, 'PR-01': 0.32, 'AN-64': -1234.5678, 'T-01': -2.5, 'ML-01': 120.3,
      'AN-U32': 305419.896, 'AN-I32': -123.456789, 'CA-01': 1, 'SP-01': 0,
    };
    await waitFor(async () => (await latest('MB-A/SP-01')) !== null && (await latest('MB-A/ML-01')) !== null, { what: 'MB-A readings in InfluxDB', timeoutMs: 15_000 });
    for (const [code, value] of Object.entries(expected)) {
      expect({ code, row: await latest(`MB-A/${code}`) }).toEqual({
        code,
        row: expect.objectContaining({ value, quality: null, gateway: 'MB-A', region: '320506' }),
      });
    }
    // MB-B was registered after ingest started
    await waitFor(async () => (await latest('MB-B/LT-01')) !== null, { what: 'MB-B readings in InfluxDB', timeoutMs: 10_000 });
    expect(await latest('MB-B/LT-01')).toEqual(expect.objectContaining({ value: 421, type: 'water_level' }));
  });

  it('stores NaN, a busy answer and a refused address as bad readings of exactly those points', async () => {
    // docs/contracts.md §2: a failed register read is reported for its points only, as quality "bad";
    // issue 5: NaN and infinities become a fault, not a value
    await waitFor(async () => (await latest('MB-A/GAP-1')) !== null, { what: 'GAP-1 reading', timeoutMs: 10_000 });
    for (const code of ['NAN-1', 'BUSY-1', 'GAP-1']) {
      expect({ code, row: await latest(`MB-A/${code}`) }).toEqual({ code, row: expect.objectContaining({ quality: 'bad', value: null }) });
    }
    // T-01 shares the refused merged request with GAP-1 and still reads
    expect(await latest('MB-A/T-01')).toEqual(expect.objectContaining({ value: -2.5, quality: null }));
    const metrics = await fetch(`http://127.0.0.1:${httpPort(app)}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/^ingest_modbus_failures_total\{gateway="MB-A",reason="exception_6"\} [1-9]\d*$/m);
    expect(metrics).toMatch(/^ingest_modbus_failures_total\{gateway="MB-A",reason="exception_2"\} [1-9]\d*$/m);
  });

  it('feeds the same pipeline as MQTT: partition topics for alerting, last-seen and online state in PostgreSQL', async () => {
    await waitFor(() => published.some((r) => r.pointId === points['MB-A/FL-01'] && r.value === 118.5), { what: 'FL-01 on internal/readings', timeoutMs: 10_000 });
    const bad = published.find((r) => r.pointId === points['MB-A/BUSY-1']);
    expect(bad).toEqual(expect.objectContaining({ quality: 'bad', value: null })); // a failed read has no value
    await waitFor(async () => {
      const { rows } = await pg.query(`SELECT last_seen_at FROM points WHERE id = $1`, [points['MB-A/FL-01']]);
      return rows[0]?.last_seen_at !== null;
    }, { what: 'FL-01 last_seen_at', timeoutMs: 5_000 });
    const { rows } = await pg.query(`SELECT online, first_reading_at FROM gateways WHERE id = $1`, [gateways['MB-A']]);
    expect(rows[0]).toEqual({ online: true, first_reading_at: expect.any(Date) });
  });

  it('publishes a value crossing a setpoint as soon as the register changes', async () => {
    // FL-01 has low.orange = 80 m3/h; the rules engine (apps/alerting) turns this reading into the alarm
    await writeHolding(deviceA.port, 100, [0x0000, 0x41f0]); // 30.0 m3/h, float32 CDAB
    await waitFor(async () => (await latest('MB-A/FL-01'))?.['value'] === 30, { what: 'FL-01 = 30 in InfluxDB', timeoutMs: 5_000 });
    expect(published.some((r) => r.pointId === points['MB-A/FL-01'] && r.value === 30 && r.quality === 'good')).toBe(true);
    await writeHolding(deviceA.port, 100, [0x0000, 0x42ed]); // back to 118.5
  });

  it('applies a register map changed in the registry without a restart', async () => {
    // issue 5: register maps changed through the registry take effect without restarting ingest
    await pg.query(`UPDATE points SET register = $2 WHERE id = $1`, [points['MB-B/LT-01'], JSON.stringify({ function: 'holding', address: 0, type: 'uint16', scale: 10 })]);
    await waitFor(async () => (await latest('MB-B/LT-01'))?.['value'] === 4210, { what: 'LT-01 scaled by 10', timeoutMs: 10_000 });
    await app.get(GatewayRegistryService).settled();
  });

  it.each([
    ['killed (connection refused)', 'kill'],
    ['hung (SIGSTOP: TCP accepted, no answers)', 'pause'],
  ] as const)('marks a %s device offline within 2 poll intervals and back online by itself; the other keeps its poll rate', async (_what, how) => {
    // docs/contracts.md §2: an unreachable device marks the gateway offline and is retried with backoff;
    // issue 5: offline within 2 poll intervals, recovers by itself, the other devices keep their poll rate
    await waitFor(() => online('MB-A') && online('MB-B'), { what: 'both gateways online', timeoutMs: 10_000 });
    // a steady state: MB-A has just answered (a fresh ok poll), so its last answer is not older than the wait
    const a0 = await pollsOk('MB-A');
    await waitFor(async () => (await pollsOk('MB-A')) > a0, { what: 'a fresh answer of MB-A', timeoutMs: 5_000, intervalMs: 5 });
    const b0 = await pollsOk('MB-B');
    const t0 = Date.now();
    if (how === 'kill') await deviceA.kill();
    else deviceA.pause();
    const down = Date.now();
    await waitFor(() => !online('MB-A'), { what: 'MB-A offline', timeoutMs: 5_000, intervalMs: 5 });
    const offlineAfterMs = Date.now() - down;
    await holdFor(3_000, 'the device stays dead for a while: the backoff grows to its max (800 ms)');
    const b1 = await pollsOk('MB-B');
    const t1 = Date.now();
    const back = Date.now();
    if (how === 'kill') await deviceA.start(); // same port
    else deviceA.resume();
    await waitFor(() => online('MB-A'), { what: 'MB-A back online', timeoutMs: 10_000, intervalMs: 10 });
    const onlineAfterMs = Date.now() - back;
    const rateB = (b1 - b0) / ((t1 - t0) / 1000);
    process.stdout.write(
      `modbus ${how}: offline after ${offlineAfterMs} ms (limit ${2 * A_INTERVAL_MS}), online again after ${onlineAfterMs} ms; ` +
        `MB-B meanwhile ${rateB.toFixed(2)} polls/s (nominal ${1000 / B_INTERVAL_MS})\n`,
    );
    expect(offlineAfterMs).toBeLessThanOrEqual(2 * A_INTERVAL_MS);
    expect(onlineAfterMs).toBeLessThanOrEqual(800 * 1.2 + A_INTERVAL_MS + 1_000);
    expect(rateB).toBeGreaterThan((1000 / B_INTERVAL_MS) * 0.9);
    expect(rateB).toBeLessThan((1000 / B_INTERVAL_MS) * 1.1);
    await waitFor(async () => (await pg.query(`SELECT online FROM gateways WHERE id = $1`, [gateways['MB-A']])).rows[0]?.online === true, {
      what: 'MB-A online in PostgreSQL', timeoutMs: 5_000,
    });
  });

  it('records the offline and online transitions as history rows', async () => {
    const { rows } = await pg.query(`SELECT online, cause FROM gateway_state_changes WHERE gateway_id = $1 ORDER BY id`, [gateways['MB-A']]);
    expect(rows).toEqual([
      { online: true, cause: 'polled' },
      { online: false, cause: 'unreachable' },
      { online: true, cause: 'polled' },
      { online: false, cause: 'unreachable' },
      { online: true, cause: 'polled' },
    ]);
  });

  it('stops polling a gateway deleted from the registry', async () => {
    await pg.query(`DELETE FROM gateways WHERE id = $1`, [gateways['MB-B']]);
    await waitFor(async () => {
      const before = await pollsOk('MB-B');
      await holdFor(3 * B_INTERVAL_MS, 'quiet window: three poll intervals without a poll');
      return (await pollsOk('MB-B')) === before;
    }, { what: 'MB-B polls to stop', timeoutMs: 10_000 });
    expect(online('MB-B')).toBe(false);
  });

  it('marks the polled gateways offline when ingest stops (nobody polls them any more)', async () => {
    await app.close();
    closed = true;
    const { rows } = await pg.query(`SELECT g.online, s.cause FROM gateways g
      JOIN LATERAL (SELECT cause FROM gateway_state_changes WHERE gateway_id = g.id ORDER BY id DESC LIMIT 1) s ON true WHERE g.id = $1`, [gateways['MB-A']]);
    expect(rows).toEqual([{ online: false, cause: 'shutdown' }]);
  });
});

async function writeHolding(port: number, address: number, words: number[]): Promise<void> {
  const client = new ModbusRTU();
  await client.connectTCP('127.0.0.1', { port });
  client.setTimeout(2_000);
  await client.writeRegisters(address, words);
  await new Promise<void>((resolve) => client.close(() => resolve()));
}

function httpPort(app: INestApplication): number {
  const address = app.getHttpServer().address();
  return typeof address === 'object' && address ? address.port : 0;
}
