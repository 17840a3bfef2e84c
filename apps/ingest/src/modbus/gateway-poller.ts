import type { GatewayRecord, ModbusSettings, PointRecord } from '@sw/persistence';
import { decodeRequest, planReads, splitRequest, type Quality, type ReadPlan, type ReadRequest, type RegisterValue, type TimerDriver } from '@sw/sensors';
import { ModbusExceptionError, ModbusTransportError, type ModbusConnection, type ModbusConnector } from './modbus-client.types';
import type { ModbusMetrics } from './modbus-metrics';

/**
 * Timers fire late, never early (by a few ms under load): the watchdog is set this much short of
 * two poll intervals so that "offline within 2 poll intervals" holds including that lateness.
 */
const TIMER_MARGIN_MS = 25;

/** One polled value of one point; `value` is NaN for a bad reading that has none. */
export interface PolledReading {
  point: PointRecord;
  value: number;
  quality: Quality;
  ts: number;
}

export interface PollerOptions {
  connector: ModbusConnector;
  metrics: ModbusMetrics;
  logger: { log(message: string): void; warn(message: string): void; debug(message: string): void };
  /** The readings of one poll cycle (good and bad), in request order. */
  onReadings(gateway: GatewayRecord, readings: PolledReading[]): void;
  /** The device answers again (`polled`) or has not answered for two poll intervals (`unreachable`). */
  onState(gateway: GatewayRecord, online: boolean, cause: 'polled' | 'unreachable'): void;
  /** Why a decoded value does not fit its point (e.g. 2 for a digital point), or null. */
  validate(point: PointRecord, value: number): string | null;
  backoff: { minMs: number; maxMs: number };
  /** The clock and timers of the poll loop, the backoff and the watchdog (the system's in the app, a fake one in specs). */
  timers: TimerDriver;
}

/**
 * Polls one modbus-tcp gateway in its own async loop at `pollIntervalMs` (docs/contracts.md §2), so a
 * slow or dead device only ever delays itself. Requests are sequential on one connection (many
 * devices serve one at a time). A device that does not answer is retried with exponential backoff
 * on a fresh connection, and goes offline when nothing at all has come back from it for two poll
 * intervals (a watchdog, so a hung device is caught as fast as a closed one). An exception answer
 * makes exactly the points of that request `bad`; a device refusing a merged read (exception 2
 * or 3, typically over a gap) has those points read one by one from then on.
 */
export class GatewayPoller {
  private settings: ModbusSettings;
  private plan: ReadPlan<string> = { requests: [], invalid: [] };
  private readonly isolate = new Set<string>();
  /** The fault last logged per point, so a lasting fault is logged once, not every poll. */
  private readonly faults = new Map<string, string>();
  private connection: ModbusConnection | null = null;
  private reconnect = false;
  private rescheduled = false;
  private online = false;
  private watchdog: unknown = null;
  private failures = 0;
  private backoffMs: number;
  private stopped = false;
  private wake: (() => void) | null = null;
  private loop: Promise<void> = Promise.resolve();

  constructor(
    private current: GatewayRecord,
    private readonly options: PollerOptions,
  ) {
    this.settings = current.modbus as ModbusSettings;
    this.backoffMs = options.backoff.minMs;
    this.replan();
  }

  get gateway(): GatewayRecord {
    return this.current;
  }

  get isOnline(): boolean {
    return this.online;
  }

  /** The requests of one poll cycle, as planned now (for logs and tests). */
  get requests(): readonly ReadRequest<string>[] {
    return this.plan.requests;
  }

  start(): void {
    this.loop = this.run();
  }

  /** A new registry version of the gateway or its points: applies from the next poll cycle. */
  update(gateway: GatewayRecord): void {
    const before = this.settings;
    const after = gateway.modbus as ModbusSettings;
    this.current = gateway;
    this.settings = after;
    const moved = before.host !== after.host || before.port !== after.port || before.unitId !== after.unitId || before.timeoutMs !== after.timeoutMs;
    if (moved) this.reconnect = true;
    if (moved || before.pollIntervalMs !== after.pollIntervalMs) {
      // poll now with the new settings rather than after a long interval or backoff
      this.rescheduled = true;
      this.wake?.();
    }
    this.isolate.clear();
    this.replan();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    this.disarmWatchdog();
    this.connection?.close();
    await this.loop;
  }

  private async run(): Promise<void> {
    let due = this.options.timers.now();
    while (!this.stopped) {
      const answered = await this.cycle();
      if (this.stopped) return;
      const now = this.options.timers.now();
      if (answered) {
        this.backoffMs = this.options.backoff.minMs;
        const interval = this.settings.pollIntervalMs;
        due = this.rescheduled ? now : due + interval;
        if (due < now) due += Math.ceil((now - due) / interval) * interval; // overran: skip missed slots, keep the rhythm
        this.rescheduled = false;
        await this.sleep(due - now);
      } else {
        await this.sleep(this.backoffMs * (0.8 + 0.4 * Math.random()));
        this.backoffMs = Math.min(this.backoffMs * 2, this.options.backoff.maxMs);
        due = this.options.timers.now();
      }
    }
  }

  /** One poll of every request; true when the device answered them all (data or exceptions). */
  private async cycle(): Promise<boolean> {
    const started = performance.now();
    const out: PolledReading[] = [];
    try {
      const connection = await this.connect();
      for (const request of this.plan.requests) await this.execute(connection, request, out);
      if (this.plan.requests.length === 0) this.alive(); // nothing to ask: reachable is all there is to know
      for (const { key, reason } of this.plan.invalid) this.push(out, key, { ok: false, reason }, this.options.timers.now(), 'invalid_map');
      this.options.metrics.polls.inc({ gateway: this.current.code, result: 'ok' });
      this.options.metrics.pollSeconds.observe((performance.now() - started) / 1000);
      this.answered();
      return true;
    } catch (err) {
      this.failed(err);
      return false;
    } finally {
      if (out.length > 0 && !this.stopped) this.options.onReadings(this.current, out);
    }
  }

  private async connect(): Promise<ModbusConnection> {
    if (this.reconnect) {
      this.reconnect = false;
      this.connection?.close();
      this.connection = null;
    }
    if (this.connection?.isOpen) return this.connection;
    // A TCP handshake alone proves little (the kernel of a hung device still completes it): only
    // an answer to a request feeds the watchdog.
    this.connection = await this.options.connector.connect(this.settings);
    if (this.stopped) this.connection.close();
    return this.connection;
  }

  private async execute(connection: ModbusConnection, request: ReadRequest<string>, out: PolledReading[]): Promise<void> {
    if (this.stopped) throw new ModbusTransportError('closed', 'polling stopped');
    this.options.metrics.requests.inc();
    try {
      const data = await connection.read(request.function, request.address, request.count);
      this.alive();
      const ts = this.options.timers.now();
      for (const { key, result } of decodeRequest(request, data)) this.push(out, key, result, ts, 'value');
    } catch (err) {
      if (!(err instanceof ModbusExceptionError)) throw err;
      this.alive();
      if (err.refusesAddresses && request.items.length > 1) return this.split(connection, request, err, out);
      const reason = `${request.function} ${request.address}+${request.count}: ${err.message}`;
      this.options.metrics.failures.inc({ gateway: this.current.code, reason: `exception_${err.exceptionCode}` });
      const ts = this.options.timers.now();
      for (const item of request.items) this.push(out, item.key, { ok: false, reason }, ts, `exception_${err.exceptionCode}`);
    }
  }

  private async split(connection: ModbusConnection, request: ReadRequest<string>, err: ModbusExceptionError, out: PolledReading[]): Promise<void> {
    for (const item of request.items) this.isolate.add(item.key);
    this.replan();
    this.options.logger.warn(
      `${this.current.code}: the device refuses the merged read ${request.function} ${request.address}+${request.count} (${err.message}); ` +
        `its ${request.items.length} points are read one by one from now on`,
    );
    for (const single of splitRequest(request)) await this.execute(connection, single, out);
  }

  private push(out: PolledReading[], key: string, result: RegisterValue, ts: number, kind: string): void {
    const point = this.current.points.get(key);
    if (!point) return;
    const reason = result.ok ? this.options.validate(point, result.value) : result.reason;
    const value = result.ok ? result.value : Number.NaN;
    if (reason === null) {
      if (this.faults.delete(key)) this.options.logger.log(`${this.current.code}/${key}: reads again`);
      out.push({ point, value, quality: 'good', ts });
      return;
    }
    this.options.metrics.badReadings.inc({ reason: kind });
    if (this.faults.get(key) !== reason) {
      this.faults.set(key, reason);
      this.options.logger.warn(`${this.current.code}/${key}: quality bad: ${reason}`);
    }
    out.push({ point, value, quality: 'bad', ts });
  }

  /** Anything came back from the device: it is reachable; the watchdog starts over. */
  private alive(): void {
    this.disarmWatchdog();
    if (this.stopped) return;
    this.watchdog = this.options.timers.setTimeout(() => this.unreachable(), 2 * this.settings.pollIntervalMs - TIMER_MARGIN_MS);
  }

  private disarmWatchdog(): void {
    if (this.watchdog !== null) this.options.timers.clearTimeout(this.watchdog);
    this.watchdog = null;
  }

  private answered(): void {
    if (this.failures > 0) this.options.logger.log(`${this.current.code}: answers again after ${this.failures} failed attempts`);
    this.failures = 0;
    if (!this.online) {
      this.online = true;
      this.options.onState(this.current, true, 'polled');
    }
  }

  private failed(err: unknown): void {
    const error = err instanceof ModbusTransportError ? err : new ModbusTransportError('error', (err as Error).message ?? String(err));
    this.connection?.close();
    this.connection = null;
    if (this.stopped) return;
    this.failures++;
    this.options.metrics.polls.inc({ gateway: this.current.code, result: 'failed' });
    this.options.metrics.failures.inc({ gateway: this.current.code, reason: error.failure });
    const { host, port } = this.settings;
    const message = `${this.current.code} (${host}:${port}): ${error.failure}: ${error.message}; retrying in ~${Math.round(this.backoffMs)} ms`;
    if (this.failures === 1) this.options.logger.warn(message);
    else this.options.logger.debug(message);
  }

  private unreachable(): void {
    this.watchdog = null;
    if (!this.online || this.stopped) return;
    this.online = false;
    this.options.logger.warn(`${this.current.code}: no answer for ${2 * this.settings.pollIntervalMs} ms (2 poll intervals): offline`);
    this.options.onState(this.current, false, 'unreachable');
  }

  private replan(): void {
    const items = [...this.current.points.values()].flatMap((p) => (p.register ? [{ key: p.code, spec: p.register }] : []));
    this.plan = planReads(items, { isolate: this.isolate });
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const timers = this.options.timers;
    return new Promise((resolve) => {
      const timer = timers.setTimeout(done, Math.max(0, ms));
      function done(): void {
        timers.clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }
}
