import mqtt, { type MqttClient } from 'mqtt';
import WebSocket from 'ws';
import type { ProbeTrace } from '../support/hop-table';

const wallClock = (): number => performance.timeOrigin + performance.now();

interface Frame {
  type: string;
  seq?: number;
  event?: string;
  alarm?: { pointId: string | null };
}

/**
 * Publish → WebSocket latency of alarm events: the probe gateway's CO point alternates between a
 * crossing value (30 ppm: raised/reactivated) and a normal one (5 ppm: cleared); each sample is the
 * time from the MQTT publish to the duty officer's socket receiving the event.
 */
export class AlarmProbe {
  readonly samples: number[] = [];
  /** per sample, for the hop table: wall-clock publish and arrival, the event's seq */
  readonly traces: ProbeTrace[] = [];
  /** probe readings published (ingest stores them too) */
  sent = 0;
  /** probe publishes that got no alarm event within 10 s */
  timeouts = 0;
  /** ms between one sample's arrival and the next publish */
  pauseMs = 50;
  private running = false;
  /** the next publish crosses the threshold (alternates, and carries over between runs) */
  private high = true;
  private loop: Promise<void> = Promise.resolve();
  private client!: MqttClient;
  private socket!: WebSocket;
  private waiting: { events: string[]; resolve: (seq: number) => void } | null = null;

  constructor(
    private readonly brokerUrl: string,
    private readonly gateway: { code: string; password: string; pointId: string; pointCode: string },
    private readonly wsUrl: string,
  ) {}

  async connect(): Promise<void> {
    this.client = await mqtt.connectAsync(this.brokerUrl, { username: this.gateway.code, password: this.gateway.password, clientId: `${this.gateway.code}:alarm-probe`, reconnectPeriod: 0 });
    this.socket = new WebSocket(this.wsUrl);
    await new Promise<void>((resolve, reject) => {
      this.socket.once('error', reject);
      this.socket.on('message', (raw) => {
        const frame = JSON.parse(raw.toString()) as Frame;
        if (frame.type === 'ready') {
          this.socket.send(JSON.stringify({ type: 'subscribe', channels: ['alarms'] }));
        } else if (frame.type === 'live') resolve();
        else if (frame.type === 'alarm' && frame.alarm?.pointId === this.gateway.pointId && this.waiting?.events.includes(frame.event ?? '')) {
          this.waiting.resolve(frame.seq ?? -1);
        }
      });
    });
  }

  start(): void {
    this.samples.length = 0;
    this.traces.length = 0;
    this.timeouts = 0;
    this.sent = 0;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<number[]> {
    this.running = false;
    await this.loop;
    return this.samples;
  }

  async close(): Promise<void> {
    this.socket.close();
    await this.client.endAsync();
  }

  private async run(): Promise<void> {
    while (this.running) {
      const sample = await this.once(this.high ? 30 : 5, this.high ? ['raised', 'reactivated'] : ['cleared']);
      if (sample !== null) this.samples.push(sample);
      else this.timeouts++;
      this.high = !this.high;
      await new Promise((r) => setTimeout(r, this.pauseMs));
    }
  }

  private async once(value: number, events: string[]): Promise<number | null> {
    let arrivedAt = 0;
    const arrived = new Promise<number>((resolve) => (this.waiting = { events, resolve: (seq) => ((arrivedAt = wallClock()), resolve(seq)) }));
    const publishedAt = wallClock();
    this.sent++;
    await this.client.publishAsync(`v1/gateways/${this.gateway.code}/telemetry`, JSON.stringify({ readings: [{ point: this.gateway.pointCode, value }] }), { qos: 1 });
    const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 10_000));
    const outcome = await Promise.race([arrived, timeout]);
    this.waiting = null;
    if (outcome === 'timeout') return null;
    this.traces.push({ publishedAt, arrivedAt, seq: outcome });
    return arrivedAt - publishedAt;
  }
}
