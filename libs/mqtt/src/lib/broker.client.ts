import type { Socket } from 'node:net';
import mqtt, { type IPublishPacket, type ISubscriptionMap, type MqttClient } from 'mqtt';
import { compileTopicFilter, type TopicMatcher } from './topic-filter';

/**
 * Handles one message; a promise holds back the message's acknowledgement (QoS 1) until it settles,
 * and mqtt.js's next message too unless `ahead` is set (a QoS 0 one as well: answer none for it not to
 * wait). `qos` is always given by the client; optional for callers in tests.
 */
export type MessageHandler = (topic: string, payload: Buffer, qos?: 0 | 1 | 2) => Promise<void> | void;

/** Where the client reports; Nest's `Logger` is one. */
export interface BrokerLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface BrokerClientOptions {
  /** `mqtt://host:port` */
  url: string;
  /** The service account (docs/architecture.md: internal topics are for service accounts only). */
  username?: string;
  password?: string;
  clientId: string;
  /** false: a persistent session, whose QoS 1 messages the broker keeps while the client is away. */
  clean: boolean;
  logger: BrokerLogger;
  /** Sends small packets (PUBACKs, alarm events) at once instead of holding them back by Nagle; default true. */
  noDelay?: boolean;
  /**
   * A handler's error for which this answers true withholds the message's acknowledgement, so the
   * broker delivers the message again (to this session or its next owner); any other error is
   * logged and the message acknowledged.
   */
  withholdsAck?: (err: unknown) => boolean;
  /**
   * How many QoS 1 messages may be handled ahead of an earlier one's acknowledgement (default 0: one
   * at a time, as mqtt.js hands them over). With n > 0 the next message is handed to its handler while
   * earlier ones are still settling, and the PUBACKs still leave strictly in order of receipt, each
   * only after its own handler and every earlier one settled ([MQTT-4.6.0-2]: acknowledgements in order).
   */
  ahead?: number;
  /** Between reconnection attempts; default 1 s. */
  reconnectPeriodMs?: number;
  /** How long stop() waits for a graceful end before it closes the socket; default 3 s. */
  stopWaitMs?: number;
}

/** A message handled ahead of an earlier one's acknowledgement; `ack` null while its handlers run. */
interface Unacked {
  messageId: number;
  /** the connection it came on: a PUBACK never goes out on a later one (the broker sends it again there) */
  connection: number;
  ack: boolean | null;
}

/** Tells mqtt.js 5 (handlers/publish.js) to go on with the next packet without a PUBACK. */
const WITHHELD = new Error('acknowledgement withheld');
/** The same, for a PUBACK sent later, in order. */
const DEFERRED = new Error('acknowledgement deferred');

interface Subscription {
  qos: 0 | 1;
  handler: MessageHandler;
  matches: TopicMatcher;
}

/**
 * One session with the MQTT broker, as every service holds it: it connects with the service
 * credentials, keeps reconnecting by itself, re-makes every subscription (with its QoS) on every
 * connection, dispatches each message to the handlers whose filter matches (`$share/…` included),
 * acknowledges a QoS 1 message once its handlers have settled, and publishes with the broker's
 * acknowledgement. Errors are logged once per change of trouble, not once per reconnect attempt.
 */
export class BrokerClient {
  private client: MqttClient | null = null;
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly connectListeners: (() => void)[] = [];
  private lastError: string | null = null;
  private readonly unacked: Unacked[] = [];
  private connection = 0;
  /** mqtt.js's next-packet callback, held while `ahead` messages wait for their acknowledgement */
  private resume: (() => void) | null = null;

  constructor(private readonly options: BrokerClientOptions) {}

  get clientId(): string {
    return this.options.clientId;
  }

  /** The session is up (not reconnecting, not stopped). */
  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  /**
   * One handler per filter (a second subscribe of a filter replaces it). Subscribed now when
   * connected, and again on every reconnection.
   */
  subscribe(filter: string, qos: 0 | 1, handler: MessageHandler): void {
    this.subscriptions.set(filter, { qos, handler, matches: compileTopicFilter(filter) });
    const client = this.client;
    if (client?.connected) client.subscribe(filter, { qos }, (err, granted) => this.checkGranted(err, granted));
  }

  unsubscribe(filter: string): void {
    if (!this.subscriptions.delete(filter)) return;
    if (this.client?.connected) this.client.unsubscribe(filter);
  }

  /** Called after every (re)connection, once its subscriptions are requested. */
  onConnect(listener: () => void): void {
    this.connectListeners.push(listener);
  }

  /**
   * Connects. Resolves true once the first session has its subscriptions granted, or false after
   * `waitMs` without (a broker still starting must not fail the boot; the client keeps trying).
   */
  async start(waitMs: number): Promise<boolean> {
    if (this.client) throw new Error(`broker client ${this.options.clientId} already started`);
    const { url, username, password, clientId, clean } = this.options;
    const client = mqtt.connect(url, {
      username,
      password,
      clientId,
      clean,
      reconnectPeriod: this.options.reconnectPeriodMs ?? 1_000,
      connectTimeout: 10_000,
      resubscribe: false, // done on every connect, for every subscription known then
      protocolVersion: 4, // aedes speaks 3.1.1 only
    });
    this.client = client;
    let onReady = (): void => undefined;
    const ready = new Promise<boolean>((resolve) => (onReady = () => resolve(true)));
    client.on('connect', () => this.onSession(client, onReady));
    client.on('error', (err) => this.trouble(err.message, `broker (${clientId}): ${err.message}`));
    client.on('offline', () => this.trouble(this.lastError ?? 'offline', `broker connection of ${clientId} lost; reconnecting`));
    client.handleMessage = (packet, done) => this.dispatch(packet, done);
    const started = await Promise.race([ready, sleep(waitMs).then(() => false)]);
    if (!started) this.options.logger.error(`no session with ${url} as ${clientId} yet; still trying`);
    return started;
  }

  /** Resolves once the broker has the message (QoS 1) or it is sent (QoS 0); queued while reconnecting. */
  publish(topic: string, payload: string | Buffer, qos: 0 | 1, retain = false): Promise<void> {
    const client = this.client;
    if (!client) return Promise.reject(new Error(`broker client ${this.options.clientId} not started`));
    return client.publishAsync(topic, payload, { qos, retain }).then(() => undefined);
  }

  /**
   * Ends the session: gracefully (outgoing acknowledgements sent) within `stopWaitMs`, else at once.
   * `force` does not wait. What was not acknowledged stays queued at the broker for a persistent session.
   */
  async stop(force = false): Promise<void> {
    const client = this.client;
    this.client = null;
    if (!client) return;
    if (!force) {
      const ended = await Promise.race([client.endAsync().then(() => true, () => false), sleep(this.options.stopWaitMs ?? 3_000).then(() => false)]);
      if (ended) return;
    }
    await client.endAsync(true).catch((err: Error) => this.options.logger.warn(`broker close (${this.options.clientId}): ${err.message}`));
  }

  private onSession(client: MqttClient, onReady: () => void): void {
    const { logger, url, clientId, noDelay } = this.options;
    this.connection++;
    this.flush(); // what came on the previous connection is delivered again on this one
    if (noDelay ?? true) (client.stream as unknown as Partial<Socket>).setNoDelay?.(true);
    logger.log(`connected to ${url} as ${clientId}`);
    this.lastError = null;
    const map: ISubscriptionMap = {};
    for (const [filter, { qos }] of this.subscriptions) map[filter] = { qos };
    if (Object.keys(map).length === 0) onReady();
    else
      client.subscribe(map, (err, granted) => {
        if (this.checkGranted(err, granted)) onReady();
      });
    for (const listener of this.connectListeners) listener();
  }

  private checkGranted(err: Error | null, granted: { topic: string; qos: number }[] | undefined): boolean {
    const { logger, clientId } = this.options;
    if (err) {
      logger.error(`subscribe of ${clientId} failed: ${err.message}`);
      return false;
    }
    for (const g of granted ?? []) if (g.qos === 128) logger.error(`subscription of ${clientId} to ${g.topic} refused by the broker`);
    return true;
  }

  // one line per change of trouble, not one per reconnect attempt (every second)
  private trouble(key: string, line: string): void {
    if (key !== this.lastError) this.options.logger.warn(line);
    this.lastError = key;
  }

  private dispatch(packet: IPublishPacket, done: (err?: Error) => void): void {
    if ((this.options.ahead ?? 0) > 0 && packet.qos === 1 && packet.messageId !== undefined) return this.dispatchAhead(packet, packet.messageId, done);
    void this.handle(packet).then((ack) => (ack ? done() : done(WITHHELD)));
  }

  // The handlers run now; the PUBACK waits for them and for every earlier message (in order of receipt).
  private dispatchAhead(packet: IPublishPacket, messageId: number, done: (err?: Error) => void): void {
    const entry: Unacked = { messageId, connection: this.connection, ack: null };
    this.unacked.push(entry);
    this.handle(packet).then((ack) => {
      entry.ack = ack;
      this.flush();
    }, () => undefined);
    const next = (): void => done(DEFERRED);
    if (this.unacked.length <= (this.options.ahead ?? 0)) next();
    else this.resume = next; // window full: the next packet waits for the oldest acknowledgement
  }

  // Resolves true to acknowledge, false to withhold (the broker delivers the message again).
  private handle(packet: IPublishPacket): Promise<boolean> {
    const { topic } = packet;
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    const pending: Promise<void>[] = [];
    for (const { matches, handler } of this.subscriptions.values()) {
      if (!matches(topic)) continue;
      try {
        const result = handler(topic, payload, packet.qos);
        if (result) pending.push(result);
      } catch (err) {
        if (this.withheld(topic, err)) return Promise.resolve(false);
      }
    }
    if (pending.length === 0) return Promise.resolve(true);
    return Promise.all(pending).then(
      () => true,
      (err: unknown) => !this.withheld(topic, err),
    );
  }

  // Sends the PUBACKs whose message and every earlier one have settled, in order; releases a held packet.
  private flush(): void {
    const client = this.client;
    while (this.unacked[0] && this.unacked[0].ack !== null) {
      const { messageId, connection, ack } = this.unacked.shift() as Unacked;
      if (ack && client?.connected && connection === this.connection) sendPuback(client, messageId);
    }
    if (this.resume && this.unacked.length <= (this.options.ahead ?? 0)) {
      const resume = this.resume;
      this.resume = null;
      resume();
    }
  }

  // true: no acknowledgement, the broker delivers the message again
  private withheld(topic: string, err: unknown): boolean {
    const message = err instanceof Error ? err.message : String(err);
    if (this.options.withholdsAck?.(err)) {
      this.options.logger.warn(`not acknowledged on ${topic}: ${message}`);
      return true;
    }
    this.options.logger.error(`handler for ${topic} failed: ${message}`);
    return false;
  }
}

// mqtt.js 5 has no public call for a PUBACK outside handleMessage's callback; this is the one that callback makes.
function sendPuback(client: MqttClient, messageId: number): void {
  (client as unknown as { _sendPacket(packet: { cmd: 'puback'; messageId: number }): void })._sendPacket({ cmd: 'puback', messageId });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
