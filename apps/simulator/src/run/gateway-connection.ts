import { TOPICS } from '@sw/sensors';
import mqtt, { type MqttClient } from 'mqtt';

export interface GatewayConnectionOptions {
  url: string;
  code: string;
  password: string;
  qos: 0 | 1;
  /** Per-gateway connect/disconnect lines (the load mode turns them off for thousands of gateways). */
  verbose: boolean;
  log: (line: string) => void;
  /** A message on the gateway's errors topic (docs/contracts.md §1). */
  onRejection: (code: string, payload: string) => void;
}

export type PublishDone = (error?: Error) => void;

/**
 * One gateway's MQTT session, as a real gateway holds it: username = code, password = secret,
 * Last Will `offline` (retained, QoS 1), retained `online` on every connect, subscribed to its
 * errors topic. mqtt.js reconnects by itself; `silence()` closes the session cleanly (so the will
 * is not sent and the platform has to notice the silence) until `resume()`.
 */
export class GatewayConnection {
  inFlight = 0;
  silenced = false;
  private client: MqttClient | null = null;
  private connected = false;
  private lastError = '';

  constructor(private readonly options: GatewayConnectionOptions) {}

  get isConnected(): boolean {
    return this.connected && this.client !== null;
  }

  /** Opens the session; resolves on the first CONNACK, on a refusal, or after `timeoutMs`. */
  start(timeoutMs: number): Promise<boolean> {
    const { code, password, url } = this.options;
    const client = mqtt.connect(url, {
      username: code,
      password,
      clientId: code, // README §Security: a gateway's client id is its code (or `code:suffix`)
      clean: true,
      keepalive: 30, // docs/contracts.md §1: ≤ 60 s recommended
      reconnectPeriod: 2_000 + Math.floor(Math.random() * 1_000), // jitter: no synchronized storm
      connectTimeout: 15_000,
      queueQoSZero: false,
      will: { topic: TOPICS.state(code), payload: Buffer.from('offline'), retain: true, qos: 1 },
    });
    this.client = client;
    // A client replaced by silence()/resume() may still report; only the current one counts.
    client.on('connect', () => client === this.client && this.onConnect(client));
    client.on('close', () => client === this.client && this.onClose());
    client.on('error', (err) => client === this.client && this.onError(err));
    client.on('message', (_topic, payload) => this.options.onRejection(code, payload.toString('utf8')));
    return new Promise((resolve) => {
      const timer = setTimeout(() => settle(false), timeoutMs);
      const settle = (ok: boolean): void => {
        clearTimeout(timer);
        client.removeListener('connect', onOk);
        client.removeListener('error', onFail);
        resolve(ok);
      };
      const onOk = (): void => settle(true);
      const onFail = (): void => settle(false);
      client.once('connect', onOk);
      client.once('error', onFail);
    });
  }

  publish(payload: string, done: PublishDone): void {
    this.inFlight++;
    (this.client as MqttClient).publish(TOPICS.telemetry(this.options.code), payload, { qos: this.options.qos }, (err) => {
      this.inFlight--;
      done(err);
    });
  }

  /** gateway_silent: a clean DISCONNECT, so no Last Will; the platform sees only the silence. */
  silence(): void {
    if (this.silenced) return;
    this.silenced = true;
    this.options.log(`${this.options.code} silenced (clean disconnect, no will)`);
    const client = this.client;
    this.client = null;
    this.connected = false;
    client?.end(false);
  }

  resume(): void {
    if (!this.silenced) return;
    this.silenced = false;
    this.options.log(`${this.options.code} resuming after silence`);
    void this.start(15_000);
  }

  /** Marks the gateway offline (retained) and closes the session. */
  async stop(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (!client) return;
    if (this.connected) {
      await client.publishAsync(TOPICS.state(this.options.code), 'offline', { qos: 1, retain: true }).catch(() => undefined);
    }
    this.connected = false;
    await client.endAsync(false).catch(() => undefined);
  }

  private onConnect(client: MqttClient): void {
    this.connected = true;
    this.lastError = '';
    const { code, verbose, log } = this.options;
    if (verbose) log(`${code} connected`);
    client.publish(TOPICS.state(code), 'online', { qos: 1, retain: true });
    client.subscribe(TOPICS.errors(code), { qos: 1 });
  }

  private onClose(): void {
    if (!this.connected) return;
    this.connected = false;
    if (this.options.verbose) this.options.log(`${this.options.code} disconnected${this.silenced ? '' : ' (reconnecting)'}`);
  }

  private onError(err: Error): void {
    // mqtt.js retries every reconnectPeriod; say each distinct reason once, not every 2 s.
    if (err.message === this.lastError) return;
    this.lastError = err.message;
    this.options.log(`${this.options.code} connection error: ${err.message}`);
  }
}
