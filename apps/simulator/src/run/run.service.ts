import type { Incident } from '../incidents/incident.types';
import type { IncidentsService } from '../incidents/incidents.service';
import { mapLimit } from '../map-limit';
import { GatewayConnection } from './gateway-connection';
import { GatewaySimulation, type SimPointSpec } from './gateway-simulation';
import { MinHeap } from './min-heap';
import { RunStats } from './run-stats';

export interface RunGateway {
  code: string;
  password: string;
  points: readonly SimPointSpec[];
}

export interface RunOptions {
  url: string;
  gateways: readonly RunGateway[];
  perMessage: number;
  qos: 0 | 1;
  /** First messages of the gateways are spread over this many ms, so load is smooth. */
  spreadMs: number;
  /** Unacknowledged messages a gateway may have before it skips a tick (backpressure). */
  maxInFlight: number;
  connectConcurrency: number;
  connectTimeoutMs: number;
  verbose: boolean;
  log: (line: string) => void;
}

interface Entry {
  sim: GatewaySimulation;
  conn: GatewayConnection;
}

const NO_INCIDENTS: readonly Incident[] = Object.freeze([]);
const BATCH = 2_000; // gateways handled before yielding to IO
const REJECTION_LOG_LIMIT = 50;

/**
 * Runs the gateways: one MQTT session each, one timer for all, driven by a heap of next-due
 * times. A due gateway builds its messages (GatewaySimulation) and publishes them unless it is
 * disconnected, silenced by an incident, or has `maxInFlight` messages unacknowledged; those
 * messages are counted as skipped, as a gateway without buffering would lose them.
 */
export class RunService {
  readonly stats = new RunStats(Date.now());
  private readonly connections: GatewayConnection[];
  private readonly heap = new MinHeap<Entry>();
  private readonly out: string[] = [];
  private timer: NodeJS.Timeout | null = null;
  private silenceWatch: NodeJS.Timeout | null = null;
  private running = false;
  private rejectionsLogged = 0;

  constructor(
    private readonly options: RunOptions,
    private readonly incidents: IncidentsService | null = null,
  ) {
    this.connections = options.gateways.map(
      (g) =>
        new GatewayConnection({
          url: options.url,
          code: g.code,
          password: g.password,
          qos: options.qos,
          verbose: options.verbose,
          log: options.log,
          onRejection: (code, payload) => this.onRejection(code, payload),
        }),
    );
  }

  /** Opens every session, `connectConcurrency` at a time (ingest checks each secret with argon2). */
  async connect(): Promise<{ connected: number; seconds: number }> {
    const started = Date.now();
    const { connectConcurrency, connectTimeoutMs } = this.options;
    const results = await mapLimit(this.connections, connectConcurrency, (c) => c.start(connectTimeoutMs));
    return { connected: results.filter(Boolean).length, seconds: (Date.now() - started) / 1000 };
  }

  start(now = Date.now()): void {
    const { gateways, spreadMs, perMessage } = this.options;
    gateways.forEach((g, i) => {
      const startMs = now + Math.floor((i * spreadMs) / gateways.length);
      const sim = new GatewaySimulation({ code: g.code, points: g.points, startMs, perMessage });
      this.heap.push(sim.nextDueAt(), { sim, conn: this.connections[i] as GatewayConnection });
    });
    this.running = true;
    this.schedule();
    // gateway_silent takes effect within a second, not at the gateway's next due reading.
    if (this.incidents) this.silenceWatch = setInterval(() => this.applySilence(Date.now()), 1_000);
  }

  get connected(): number {
    return this.connections.filter((c) => c.isConnected).length;
  }

  get inFlight(): number {
    return this.connections.reduce((n, c) => n + c.inFlight, 0);
  }

  summary(now = Date.now()): string {
    const w = this.stats.window(now);
    const s = this.stats;
    const incidents = this.incidents?.list(now).map((i) => `${i.kind}@${i.gateway}`) ?? [];
    return (
      `${this.connected}/${this.connections.length} connected · ${w.messagesPerS} msg/s · ${w.readingsPerS} readings/s` +
      ` · total ${s.published} msgs, ${s.readings} readings · skipped ${s.skipped} · withheld ${s.withheld}` +
      ` · failed ${s.failed} · rejections ${s.rejections}` +
      (incidents.length > 0 ? ` · incidents: ${incidents.join(', ')}` : '')
    );
  }

  /** Stops publishing and waits up to `drainMs` for outstanding acknowledgements. */
  async drain(drainMs = 5_000): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    if (this.silenceWatch) clearInterval(this.silenceWatch);
    this.timer = null;
    const deadline = Date.now() + drainMs;
    while (this.inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  }

  /** Marks every gateway offline (retained) and closes the sessions. */
  async disconnect(): Promise<void> {
    await mapLimit(this.connections, 200, (c) => c.stop());
  }

  private readonly pump = (): void => {
    this.timer = null;
    if (!this.running) return;
    const now = Date.now();
    for (let handled = 0; this.heap.peekKey() <= now; handled++) {
      if (handled === BATCH) return void setImmediate(this.pump);
      const entry = this.heap.pop() as Entry;
      this.tick(entry, now);
      this.heap.push(entry.sim.nextDueAt(), entry);
    }
    this.schedule();
  };

  private schedule(): void {
    if (!this.running || this.heap.size === 0) return;
    this.timer = setTimeout(this.pump, Math.max(0, this.heap.peekKey() - Date.now()));
  }

  private tick({ sim, conn }: Entry, now: number): void {
    const incidents = this.incidents?.forGateway(sim.code, now) ?? NO_INCIDENTS;
    const out = this.out;
    out.length = 0;
    const readings = sim.collect(now, incidents, out);
    if (readings === 0) return;
    if (incidents.length > 0 && incidents.some((i) => i.kind === 'gateway_silent')) {
      conn.silence();
      this.stats.withheld += out.length;
      return;
    }
    if (conn.silenced) conn.resume();
    if (!conn.isConnected || conn.inFlight >= this.options.maxInFlight) {
      this.stats.skipped += out.length;
      return;
    }
    for (let m = 0; m < out.length; m++) {
      const n = Math.min(sim.perMessage, readings - m * sim.perMessage);
      conn.publish(out[m] as string, (err) => this.onPublished(err, n));
    }
  }

  private applySilence(now: number): void {
    const incidents = this.incidents as IncidentsService;
    this.options.gateways.forEach((g, i) => {
      const conn = this.connections[i] as GatewayConnection;
      const silent = incidents.isSilent(g.code, now);
      if (silent && !conn.silenced) conn.silence();
      else if (!silent && conn.silenced) conn.resume();
    });
  }

  private onPublished(err: Error | undefined, readings: number): void {
    if (err) {
      this.stats.failed++;
      return;
    }
    this.stats.published++;
    this.stats.readings += readings;
  }

  private onRejection(code: string, payload: string): void {
    let count = 1;
    try {
      count = Math.max(1, (JSON.parse(payload) as { errors?: unknown[] }).errors?.length ?? 1);
    } catch {
      // not JSON: count the message as one rejection
    }
    this.stats.rejections += count;
    if (this.options.verbose || this.rejectionsLogged < REJECTION_LOG_LIMIT) {
      this.rejectionsLogged++;
      this.options.log(`${code} rejected by the platform: ${payload.slice(0, 300)}`);
    }
  }
}
