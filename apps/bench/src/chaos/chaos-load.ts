import mqtt, { type MqttClient } from 'mqtt';
import type { LoadGateway } from '../load/load-generator';

/** Readings of one epoch (one fault window): their timestamps start at the epoch's base. */
export interface EpochCount {
  tsBase: number;
  /** readings handed to mqtt.js (QoS 1) */
  published: number;
  /** readings whose message the broker acknowledged (PUBACK) */
  acked: number;
}

/**
 * Gateways as they behave in the field: QoS 1, automatic reconnection (1 s), unacknowledged
 * messages kept and resent after a reconnect (mqtt.js's outgoing store), messages published while
 * disconnected queued. A steady rate over all gateways (a shared 10 ms ticker), every reading of a
 * point 1 ms after the previous one from the current epoch's base, so each fault window's readings
 * occupy their own time range in InfluxDB and can be counted there.
 */
export class ChaosLoad {
  private clients: MqttClient[] = [];
  private readonly nextTs: number[][];
  private readonly pointIdx: number[];
  private epoch: EpochCount | null = null;
  readonly epochs: EpochCount[] = [];
  private ticker: NodeJS.Timeout | null = null;
  private seq = 0;
  private sentMessages = 0;
  private startedAt = 0;
  private next = 0;
  /** readings handed to mqtt.js so far, every epoch */
  published = 0;

  constructor(
    private readonly url: string,
    private readonly gateways: LoadGateway[],
    private readonly perMessage: number,
    private readingsPerS: number,
  ) {
    this.nextTs = gateways.map((g) => g.points.map(() => 0));
    this.pointIdx = gateways.map(() => 0);
  }

  /** Connects every gateway, 100 at a time (each first connection costs ingest an argon2id check). */
  async connect(): Promise<void> {
    for (let i = 0; i < this.gateways.length; i += 100) {
      const chunk = await Promise.all(
        this.gateways.slice(i, i + 100).map((g) =>
          mqtt.connectAsync(this.url, {
            username: g.password ? g.code : undefined,
            password: g.password ?? undefined,
            clientId: g.code,
            reconnectPeriod: 1000,
            connectTimeout: 30_000,
            protocolVersion: 4,
            queueQoSZero: false,
          }),
        ),
      );
      this.clients.push(...chunk);
    }
    for (const c of this.clients) c.on('error', () => undefined); // refused while the broker restarts: it retries
  }

  /** Readings from now on belong to a new epoch whose timestamps start at `tsBase`. */
  newEpoch(tsBase: number): EpochCount {
    this.epoch = { tsBase, published: 0, acked: 0 };
    this.epochs.push(this.epoch);
    for (const ts of this.nextTs) ts.fill(tsBase);
    return this.epoch;
  }

  start(): void {
    this.startedAt = Date.now();
    this.sentMessages = 0;
    this.ticker = setInterval(() => {
      const due = Math.floor(((Date.now() - this.startedAt) / 1000) * (this.readingsPerS / this.perMessage));
      for (; this.sentMessages < due; this.sentMessages++) this.publishOne();
    }, 10);
  }

  /** A new steady rate from now on. */
  setRate(readingsPerS: number): void {
    this.readingsPerS = readingsPerS;
    this.startedAt = Date.now();
    this.sentMessages = 0;
  }

  stop(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = null;
  }

  /** Cuts every gateway's TCP connection at once (they all reconnect together after 1 s); how many were cut. */
  cutAll(): number {
    let n = 0;
    for (const c of this.clients) {
      if (!c.connected) continue;
      c.stream.destroy();
      n++;
    }
    return n;
  }

  /** Resolves when every gateway is connected again (or throws after `timeoutMs`). */
  async waitConnected(timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    await new Promise((r) => setTimeout(r, 200));
    while (this.clients.some((c) => !c.connected)) {
      if (Date.now() > until) throw new Error(`${this.clients.filter((c) => !c.connected).length} gateways still not reconnected`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Resolves when every message of `epoch` is acknowledged, or after `timeoutMs` (then some are not). */
  async drain(epoch: EpochCount, timeoutMs: number): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    while (epoch.acked < epoch.published && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    return epoch.acked === epoch.published;
  }

  async close(): Promise<void> {
    this.stop();
    await Promise.all(this.clients.map((c) => c.endAsync(true).catch(() => undefined)));
  }

  private publishOne(): void {
    const epoch = this.epoch;
    if (!epoch) return;
    const g = this.next++ % this.gateways.length;
    const gateway = this.gateways[g] as LoadGateway;
    const client = this.clients[g] as MqttClient;
    const ts = this.nextTs[g] as number[];
    let body = '';
    for (let r = 0; r < this.perMessage; r++) {
      const idx = (this.pointIdx[g] as number) % gateway.points.length;
      this.pointIdx[g] = idx + 1;
      const t = ts[idx] as number;
      ts[idx] = t + 1;
      const base = gateway.baselines?.[idx] ?? 25;
      body += `${r ? ',' : ''}{"point":"${gateway.points[idx] as string}","value":${(base * (0.98 + (t % 40) / 1000)).toFixed(3)},"ts":${t}}`;
    }
    const payload = `{"seq":${this.seq++},"ts":${Date.now()},"readings":[${body}]}`;
    epoch.published += this.perMessage;
    this.published += this.perMessage;
    client.publish(`v1/gateways/${gateway.code}/telemetry`, payload, { qos: 1 }, (err) => {
      if (!err) epoch.acked += this.perMessage;
    });
  }
}
