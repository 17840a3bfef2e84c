/**
 * Issue "Modbus TCP polling", last acceptance point: a crossing value read from an independent
 * Modbus implementation (Debian's python3-pymodbus) raises an alarm. Built ingest and alerting as
 * processes, real PostgreSQL, real influxd, gateway registered with the CLI.
 */
import ModbusRTU from 'modbus-serial';
import pg from 'pg';
import { AppProcess, cli, createTestDatabase, freePort, holdFor, InfluxdProcess, PymodbusProcess, tempDir, testUscc, waitFor, type TestDatabase, randomSecret } from '@sw/testing';

const SERVICE_PASSWORD = randomSecret();

describe('a crossing value polled over Modbus TCP raises an alarm', () => {
  let db: TestDatabase;
  let influx: InfluxdProcess;
  const spool = tempDir('sw-modbus-e2e-');
  // crystalliser cooling water 118.5 m3/h as float32 CDAB (docs/contracts.md §2)
  const device = new PymodbusProcess({ holding: { 100: 0x0000, 101: 0x42ed } });
  const apps: AppProcess[] = [];
  let pool: pg.Pool;

  beforeAll(async () => {
    db = await createTestDatabase('modbus_alarm');
    influx = new InfluxdProcess();
    await influx.start();
    await device.start();
    const uscc = testUscc(700);
    await cli(db.url, 'enterprise', 'add', '--name', '深井铸造测试', '--uscc', uscc, '--region', '320506', '--categories', 'aluminum_casting');
    await cli(db.url, 'gateway', 'add', '--enterprise', uscc, '--code', 'PLC-E2E', '--protocol', 'modbus-tcp',
      '--modbus-host', '127.0.0.1', '--modbus-port', String(device.port), '--poll-ms', '200', '--timeout-ms', '300');
    await cli(db.url, 'point', 'add', '--gateway', 'PLC-E2E', '--code', 'FL-01', '--type', 'water_flow', '--name', '结晶器冷却水流量',
      '--register', JSON.stringify({ function: 'holding', address: 100, type: 'float32', wordOrder: 'CDAB' }), '--thresholds', JSON.stringify({ low: { orange: 80 } }));
    const [mqttPort, ingestPort, alertingPort] = [await freePort(), await freePort(), await freePort()];
    const common = { DATABASE_URL: db.url, SERVICE_MQTT_PASSWORD: SERVICE_PASSWORD, BROKER_URL: `mqtt://127.0.0.1:${mqttPort}` };
    apps.push(new AppProcess('ingest', { ...common, INFLUX_URL: influx.url, MQTT_PORT: String(mqttPort), MQTT_BIND: '127.0.0.1', INGEST_HTTP_PORT: String(ingestPort), SPOOL_DIR: spool.path }, `http://127.0.0.1:${ingestPort}/health`));
    apps.push(new AppProcess('alerting', { ...common, ALERTING_HTTP_PORT: String(alertingPort) }, `http://127.0.0.1:${alertingPort}/health`));
    for (const app of apps) await app.start();
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
  });

  afterAll(async () => {
    await pool?.end();
    for (const app of [...apps].reverse()) await app.stop();
    await device.kill();
    await influx?.cleanup();
    await db?.drop();
    spool.remove();
  });

  it('raises an orange low-flow alarm when the register drops to 30 m3/h and clears when it recovers', async () => {
    const alarms = async () =>
      (await pool.query<{ snapshot: { tier: string; kind: string; condition: string; value: number; pointCode: string } }>(`SELECT snapshot FROM alarms ORDER BY raised_at`)).rows.map((r) => r.snapshot);
    // healthy flow: polled for a while, no alarm
    await holdFor(1_500, 'quiet window: the healthy flow is polled for a while and must raise nothing');
    expect(await alarms()).toEqual([]);

    await writeHolding(device.port, 100, [0x0000, 0x41f0]); // 30.0 as float32 CDAB
    const byKind = async () => Object.fromEntries((await alarms()).map((a) => [a.kind, a]));
    // docs/domain.md: water_flow per point low → orange; and a drop ≥ 30 % within 10 s → red. The two
    // rules are separate alarms, each committed on its own; wait for both before looking at them.
    await waitFor(async () => { const k = await byKind(); return Boolean(k['threshold'] && k['rate']); }, { what: 'the low-flow and the rate-of-drop alarm', timeoutMs: 10_000 });
    const raised = await byKind();
    expect(raised['threshold']).toMatchObject({ tier: 'orange', condition: 'active', value: 30, pointCode: 'FL-01' });
    expect(raised['rate']).toMatchObject({ tier: 'red', pointCode: 'FL-01' });

    await writeHolding(device.port, 100, [0x0000, 0x42ed]); // back to 118.5
    await waitFor(async () => (await byKind())['threshold']?.condition === 'cleared', { what: 'the low-flow alarm to clear', timeoutMs: 10_000 });
  });
});

async function writeHolding(port: number, address: number, words: number[]): Promise<void> {
  const client = new ModbusRTU();
  await client.connectTCP('127.0.0.1', { port });
  client.setTimeout(2_000);
  await client.writeRegisters(address, words);
  await new Promise<void>((resolve) => client.close(() => resolve()));
}
