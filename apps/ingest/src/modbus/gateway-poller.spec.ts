import type { GatewayRecord, ModbusSettings, PointRecord, RegisterMap } from '@sw/persistence';
import type { PointType, RegisterFunction } from '@sw/sensors';
import { FakeTimerDriver } from '@sw/testing';
import { Registry } from 'prom-client';
import { GatewayPoller, type PolledReading, type PollerOptions } from './gateway-poller';
import { ModbusExceptionError, ModbusTransportError, type ModbusConnection, type ModbusConnector } from './modbus-client.types';
import { ModbusMetrics } from './modbus-metrics';

const T0 = Date.UTC(2026, 10, 28, 2, 0, 0);

/** A scripted device: register tables, exceptions by address, and `up`/`down`/`hung`. */
class FakeDevice implements ModbusConnector {
  constructor(private readonly timers: FakeTimerDriver) {}

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
      if (this.mode === 'hung') {
        return new Promise((_resolve, reject) => this.timers.setTimeout(() => reject(new ModbusTransportError('timeout', 'no answer')), settings.timeoutMs));
      }
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
  device: (timers: FakeTimerDriver): FakeDevice => {
    const d = new FakeDevice(timers);
    d.tables.holding.set(100, 0x0000).set(101, 0x42f0); // 120 (CDAB)
    d.tables.holding.set(102, 0x3333).set(103, 0x3eb3); // 0.35 (CDAB)
    d.tables.input.set(0, 1205); // 120.5 mm
    d.tables.coil.set(0, 1);
    return d;
  },
  sut: (gateway: GatewayRecord, device: FakeDevice, timers: FakeTimerDriver, over: Partial<PollerOptions> = {}) => {
    const readings: PolledReading[][] = [];
    const states: { online: boolean; cause: string; at: number }[] = [];
    const options: PollerOptions = {
      connector: device,
      metrics: new ModbusMetrics(new Registry()),
      logger: { log: () => undefined, warn: () => undefined, debug: () => undefined },
      onReadings: (_g, r) => readings.push(r),
      onState: (_g, online, cause) => states.push({ online, cause, at: timers.now() }),
      validate: (point, value) => (point.type === 'casting_active' && value !== 0 && value !== 1 ? 'digital must be 0 or 1' : null),
      backoff: { minMs: 10, maxMs: 40 },
      timers,
      ...over,
    };
    return { sut: new GatewayPoller(gateway, options), readings, states, metrics: options.metrics };
  },
};

const values = (cycle: PolledReading[] | undefined) =>
  Object.fromEntries((cycle ?? []).map((r) => [r.point.code, r.quality === 'good' ? r.value : `bad`]));

/** Moves fake time on, a millisecond at a time, until `fn` holds; fails after `timeoutMs` of fake time. */
async function until(timers: FakeTimerDriver, what: string, fn: () => boolean, timeoutMs = 2_000): Promise<void> {
  const started = timers.now();
  await timers.advanceBy(0);
  while (!fn()) {
    if (timers.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await timers.advanceBy(1);
  }
}

describe(GatewayPoller.name, () => {
  // All time is fake (FakeTimerDriver): the poll loop, the backoff, the watchdog and the hung device.
  let timers: FakeTimerDriver;
  let stop: (() => Promise<void>) | null = null;
  beforeEach(() => {
    timers = new FakeTimerDriver(T0);
  });
  afterEach(async () => {
    await stop?.();
    stop = null;
  });
  const run = (t: ReturnType<typeof factory.sut>) => {
    t.sut.start();
    stop = async () => {
      const stopped = t.sut.stop();
      await timers.advanceBy(1_000); // a hung read ends with its time-out
      await stopped;
    };
    return t;
  };
  const device = () => factory.device(timers);
  const sutFor = (gateway: GatewayRecord, d: FakeDevice, over: Partial<PollerOptions> = {}) => run(factory.sut(gateway, d, timers, over));

  it('reads every point with one request per table, decodes it and announces the gateway online', async () => {
    // docs/contracts.md §2: registers merged into as few requests as the protocol allows; value = raw × scale + offset
    const d = device();
    const t = sutFor(factory.gateway(factory.casting()), d);
    await until(timers, 'two cycles', () => t.readings.length >= 2);
    expect(values(t.readings[0])).toEqual({ FL: 120, PR: 0.35, ML: 120.5, CA: 1 });
    expect(t.readings[0]?.[0]?.ts).toBe(T0); // stamped by the injected clock
    expect(d.requests.slice(0, 3)).toEqual(['coil 0+1', 'holding 100+4', 'input 0+1']);
    expect(t.states).toEqual([expect.objectContaining({ online: true, cause: 'polled', at: T0 })]);
  });

  it('keeps its poll interval', async () => {
    const t = sutFor(factory.gateway(factory.casting(), { pollIntervalMs: 40 }), device());
    await timers.advanceBy(420);
    // cycles at 0, 40, …, 400 ms: 11 (the device answers at once)
    expect(t.readings.map((r) => (r[0]?.ts ?? 0) - T0)).toEqual(Array.from({ length: 11 }, (_, i) => i * 40));
  });

  it('makes exactly the points of a request answered with an exception bad, and stays online', async () => {
    // docs/contracts.md §2: a failed register read is reported for its points only, as quality "bad"
    const d = device();
    d.exceptions.set(0, 6); // input 0 busy
    const t = sutFor(factory.gateway(factory.casting()), d);
    await until(timers, 'a cycle', () => t.readings.length >= 1);
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
    const d = device();
    const t = sutFor(factory.gateway(points), d);
    await until(timers, 'two cycles', () => t.readings.length >= 2);
    // GAP does not exist either: it alone is bad
    expect(values(t.readings[0])).toEqual({ CA: 1, FL: 120, PR: 0.35, ML: 120.5, GAP: 'bad' });
    expect(d.requests).toEqual(expect.arrayContaining(['holding 100+11', 'holding 100+2', 'holding 102+2', 'holding 110+1']));
    const second = d.requests.slice(d.requests.lastIndexOf('input 0+1') - 3);
    expect(second).not.toContain('holding 100+11'); // from then on, one by one
  });

  it('stores an unreadable register map entry and an invalid value as bad readings', async () => {
    const points = [
      ...factory.casting(),
      factory.point('BAD-MAP', 'water_flow', { function: 'coil', address: 5, type: 'float32' }),
    ];
    const d = device();
    d.tables.coil.set(0, 2);
    const t = sutFor(factory.gateway(points), d, { validate: (p, v) => (p.code === 'ML' && v > 100 ? 'too deep' : null) });
    await until(timers, 'a cycle', () => t.readings.length >= 1);
    expect(values(t.readings[0])).toEqual({ CA: 1, FL: 120, PR: 0.35, ML: 'bad', 'BAD-MAP': 'bad' });
    expect(t.readings[0]!.find((r) => r.point.code === 'ML')?.value).toBe(120.5); // the value is kept
  });

  it('goes offline within 2 poll intervals of the last answer when the device vanishes, and back online by itself', async () => {
    // docs/contracts.md §2: an unreachable device marks the gateway offline and is retried with backoff
    const d = device();
    const t = sutFor(factory.gateway(factory.casting(), { pollIntervalMs: 50 }), d);
    await until(timers, 'online', () => t.states.length === 1);
    const lastAnswer = timers.now();
    d.mode = 'down';
    await until(timers, 'offline', () => t.states.length === 2);
    expect(t.states[1]).toMatchObject({ online: false, cause: 'unreachable' });
    expect(t.states[1]!.at - lastAnswer).toBeLessThanOrEqual(2 * 50);
    const connects = d.connects;
    await timers.advanceBy(150);
    expect(d.connects - connects).toBeGreaterThanOrEqual(3); // retried (backoff 10 → 40 ms)
    d.mode = 'up';
    await until(timers, 'online again', () => t.states.length === 3);
    expect(t.states[2]).toMatchObject({ online: true, cause: 'polled' });
  });

  it('goes offline within 2 poll intervals when the device hangs (connections accepted, no answers)', async () => {
    const d = device();
    const t = sutFor(factory.gateway(factory.casting(), { pollIntervalMs: 50, timeoutMs: 200 }), d);
    await until(timers, 'online', () => t.states.length === 1);
    const lastAnswer = timers.now();
    d.mode = 'hung';
    await until(timers, 'offline', () => t.states.length === 2);
    expect(t.states[1]!.at - lastAnswer).toBeLessThanOrEqual(2 * 50); // the watchdog, not the 200 ms time-out
  });

  it('applies a changed register map and poll interval without a restart', async () => {
    const d = device();
    d.tables.holding.set(200, 7);
    const gateway = factory.gateway(factory.casting(), { pollIntervalMs: 1_000 });
    const t = sutFor(gateway, d);
    await until(timers, 'a cycle', () => t.readings.length >= 1);
    const points = [...factory.casting(), factory.point('NEW', 'water_flow', { function: 'holding', address: 200, type: 'uint16' })];
    t.sut.update(factory.gateway(points, { pollIntervalMs: 30 }));
    await until(timers, 'a cycle with the new point', () => values(t.readings.at(-1))['NEW'] === 7, 500);
    const n = t.readings.length;
    await timers.advanceBy(200);
    expect(t.readings.length - n).toBe(6); // now every 30 ms, not every second
  });
});
