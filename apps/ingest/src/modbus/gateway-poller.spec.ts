import type { GatewayRecord, ModbusSettings, PointRecord, RegisterMap } from '@sw/persistence';
import type { PointType, RegisterFunction } from '@sw/sensors';
import { Registry } from 'prom-client';
import { GatewayPoller, type PolledReading, type PollerOptions } from './gateway-poller';
import { ModbusExceptionError, ModbusTransportError, type ModbusConnection, type ModbusConnector } from './modbus-client.types';
import { ModbusMetrics } from './modbus-metrics';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A scripted device: register tables, exceptions by address, and `up`/`down`/`hung`. */
class FakeDevice implements ModbusConnector {
  mode: 'up' | 'down' | 'hung' = 'up';
  readonly tables: Record<RegisterFunction, Map<number, number>> = { coil: new Map(), discrete: new Map(), holding: new Map(), input: new Map() };
  /** address → exception code answered for any read touching it */
  readonly exceptions = new Map<number, number>();
  readonly requests: string[] = [];
  connects = 0;

  connect(settings: ModbusSettings): Promise<ModbusConnection> {
    this.connects++;
    if (this.mode === 'down') return Promise.reject(new ModbusTransportError('refused', 'connect ECONNREFUSED'));
    let open = true;
    const read = (fn: RegisterFunction, address: number, count: number): Promise<number[]> => {
      this.requests.push(`${fn} ${address}+${count}`);
      if (!open || this.mode === 'down') return Promise.reject(new ModbusTransportError('closed', 'the device closed the connection'));
      if (this.mode === 'hung') return sleep(settings.timeoutMs).then(() => Promise.reject(new ModbusTransportError('timeout', 'no answer')));
      for (let a = address; a < address + count; a++) {
        const code = this.exceptions.get(a);
        if (code !== undefined) return Promise.reject(new ModbusExceptionError(code));
        if (!this.tables[fn].has(a)) return Promise.reject(new ModbusExceptionError(2));
      }
      return Promise.resolve(Array.from({ length: count }, (_, i) => this.tables[fn].get(address + i) as number));
    };
    return Promise.resolve({ read, close: () => (open = false), get isOpen() { return open; } });
  }
}

const factory = {
  point: (code: string, type: PointType, register: RegisterMap | null): PointRecord => ({
    id: `p-${code}`, code, type, unit: '', mandatory: false, expectedIntervalS: 60, register,
  }),
  gateway: (points: PointRecord[], modbus: Partial<ModbusSettings> = {}): GatewayRecord => ({
    id: 'g-1', code: 'PLC-1', protocol: 'modbus-tcp', enterpriseId: 'e-1', regionCode: '320506', secretHash: null,
    modbus: { host: '127.0.0.1', port: 502, unitId: 1, pollIntervalMs: 50, timeoutMs: 40, ...modbus },
    points: new Map(points.map((p) => [p.code, p])),
  }),
  /** flow float32 CDAB at 100, pressure float32 CDAB at 102, level int16 ×0.1 at input 0, casting coil 0 */
  casting: (): PointRecord[] => [
    factory.point('FL', 'water_flow', { function: 'holding', address: 100, type: 'float32', wordOrder: 'CDAB' }),
    factory.point('PR', 'water_pressure', { function: 'holding', address: 102, type: 'float32', wordOrder: 'CDAB' }),
    factory.point('ML', 'melt_level', { function: 'input', address: 0, type: 'int16', scale: 0.1 }),
    factory.point('CA', 'casting_active', { function: 'coil', address: 0, type: 'bool' }),
  ],
  device: (): FakeDevice => {
    const d = new FakeDevice();
    d.tables.holding.set(100, 0x0000).set(101, 0x42f0); // 120 (CDAB)
    d.tables.holding.set(102, 0x3333).set(103, 0x3eb3); // 0.35 (CDAB)
    d.tables.input.set(0, 1205); // 120.5 mm
    d.tables.coil.set(0, 1);
    return d;
  },
  sut: (gateway: GatewayRecord, device: FakeDevice, over: Partial<PollerOptions> = {}) => {
    const readings: PolledReading[][] = [];
    const states: { online: boolean; cause: string; at: number }[] = [];
    const options: PollerOptions = {
      connector: device,
      metrics: new ModbusMetrics(new Registry()),
      logger: { log: () => undefined, warn: () => undefined, debug: () => undefined },
      onReadings: (_g, r) => readings.push(r),
      onState: (_g, online, cause) => states.push({ online, cause, at: Date.now() }),
      validate: (point, value) => (point.type === 'casting_active' && value !== 0 && value !== 1 ? 'digital must be 0 or 1' : null),
      backoff: { minMs: 10, maxMs: 40 },
      ...over,
    };
    return { sut: new GatewayPoller(gateway, options), readings, states, metrics: options.metrics };
  },
};

const values = (cycle: PolledReading[] | undefined) =>
  Object.fromEntries((cycle ?? []).map((r) => [r.point.code, r.quality === 'good' ? r.value : `bad`]));

async function until(what: string, fn: () => boolean, timeoutMs = 2_000): Promise<void> {
  const started = Date.now();
  while (!fn()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

describe(GatewayPoller.name, () => {
  let stop: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await stop?.();
    stop = null;
  });
  const run = (t: ReturnType<typeof factory.sut>) => {
    t.sut.start();
    stop = () => t.sut.stop();
    return t;
  };

  it('reads every point with one request per table, decodes it and announces the gateway online', async () => {
    // docs/contracts.md §2: registers merged into as few requests as the protocol allows; value = raw × scale + offset
    const device = factory.device();
    const t = run(factory.sut(factory.gateway(factory.casting()), device));
    await until('two cycles', () => t.readings.length >= 2);
    expect(values(t.readings[0])).toEqual({ FL: 120, PR: 0.35, ML: 120.5, CA: 1 });
    expect(device.requests.slice(0, 3)).toEqual(['coil 0+1', 'holding 100+4', 'input 0+1']);
    expect(t.states).toEqual([expect.objectContaining({ online: true, cause: 'polled' })]);
  });

  it('keeps its poll interval', async () => {
    const t = run(factory.sut(factory.gateway(factory.casting(), { pollIntervalMs: 40 }), factory.device()));
    await sleep(420);
    // ≈ 10.5 cycles in 420 ms at 40 ms
    expect(t.readings.length).toBeGreaterThanOrEqual(9);
    expect(t.readings.length).toBeLessThanOrEqual(12);
  });

  it('makes exactly the points of a request answered with an exception bad, and stays online', async () => {
    // docs/contracts.md §2: a failed register read is reported for its points only, as quality "bad"
    const device = factory.device();
    device.exceptions.set(0, 6); // input 0 busy
    const t = run(factory.sut(factory.gateway(factory.casting()), device));
    await until('a cycle', () => t.readings.length >= 1);
    expect(values(t.readings[0])).toEqual({ CA: 'bad', FL: 120, PR: 0.35, ML: 'bad' });
    expect(t.readings[0]!.filter((r) => r.quality === 'bad').every((r) => Number.isNaN(r.value))).toBe(true);
    expect(t.states.map((s) => s.online)).toEqual([true]);
    expect((await t.metrics.failures.get()).values).toEqual(
      expect.arrayContaining([expect.objectContaining({ labels: { gateway: 'PLC-1', reason: 'exception_6' } })]),
    );
  });

  it('reads the points of a refused merged request one by one, so only the missing address is bad', async () => {
    const points = [
      ...factory.casting(),
      factory.point('GAP', 'water_flow', { function: 'holding', address: 110, type: 'uint16' }), // 106–109 not served
    ];
    const device = factory.device();
    const t = run(factory.sut(factory.gateway(points), device));
    await until('two cycles', () => t.readings.length >= 2);
    // GAP does not exist either: it alone is bad
    expect(values(t.readings[0])).toEqual({ CA: 1, FL: 120, PR: 0.35, ML: 120.5, GAP: 'bad' });
    expect(device.requests).toEqual(expect.arrayContaining(['holding 100+11', 'holding 100+2', 'holding 102+2', 'holding 110+1']));
    const second = device.requests.slice(device.requests.lastIndexOf('input 0+1') - 3);
    expect(second).not.toContain('holding 100+11'); // from then on, one by one
  });

  it('stores an unreadable register map entry and an invalid value as bad readings', async () => {
    const points = [
      ...factory.casting(),
      factory.point('BAD-MAP', 'water_flow', { function: 'coil', address: 5, type: 'float32' }),
    ];
    const device = factory.device();
    device.tables.coil.set(0, 2);
    const t = run(factory.sut(factory.gateway(points), device, { validate: (p, v) => (p.code === 'ML' && v > 100 ? 'too deep' : null) }));
    await until('a cycle', () => t.readings.length >= 1);
    expect(values(t.readings[0])).toEqual({ CA: 1, FL: 120, PR: 0.35, ML: 'bad', 'BAD-MAP': 'bad' });
    expect(t.readings[0]!.find((r) => r.point.code === 'ML')?.value).toBe(120.5); // the value is kept
  });

  it('goes offline within 2 poll intervals of the last answer when the device vanishes, and back online by itself', async () => {
    // docs/contracts.md §2: an unreachable device marks the gateway offline and is retried with backoff
    const device = factory.device();
    const t = run(factory.sut(factory.gateway(factory.casting(), { pollIntervalMs: 50 }), device));
    await until('online', () => t.states.length === 1);
    const downAt = Date.now();
    device.mode = 'down';
    await until('offline', () => t.states.length === 2);
    expect(t.states[1]).toMatchObject({ online: false, cause: 'unreachable' });
    expect(t.states[1]!.at - downAt).toBeLessThanOrEqual(2 * 50);
    const connects = device.connects;
    await sleep(150);
    expect(device.connects - connects).toBeGreaterThanOrEqual(3); // retried (backoff 10 → 40 ms)
    device.mode = 'up';
    await until('online again', () => t.states.length === 3);
    expect(t.states[2]).toMatchObject({ online: true, cause: 'polled' });
  });

  it('goes offline within 2 poll intervals when the device hangs (connections accepted, no answers)', async () => {
    const device = factory.device();
    const t = run(factory.sut(factory.gateway(factory.casting(), { pollIntervalMs: 50, timeoutMs: 200 }), device));
    await until('online', () => t.states.length === 1);
    const hungAt = Date.now();
    device.mode = 'hung';
    await until('offline', () => t.states.length === 2);
    expect(t.states[1]!.at - hungAt).toBeLessThanOrEqual(2 * 50); // the watchdog, not the 200 ms time-out
  });

  it('applies a changed register map and poll interval without a restart', async () => {
    const device = factory.device();
    device.tables.holding.set(200, 7);
    const gateway = factory.gateway(factory.casting(), { pollIntervalMs: 1_000 });
    const t = run(factory.sut(gateway, device));
    await until('a cycle', () => t.readings.length >= 1);
    const points = [...factory.casting(), factory.point('NEW', 'water_flow', { function: 'holding', address: 200, type: 'uint16' })];
    t.sut.update(factory.gateway(points, { pollIntervalMs: 30 }));
    await until('a cycle with the new point', () => values(t.readings.at(-1))['NEW'] === 7, 500);
    const n = t.readings.length;
    await sleep(200);
    expect(t.readings.length - n).toBeGreaterThanOrEqual(4); // now every 30 ms, not every second
  });
});
