import type { Socket } from 'node:net';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { TOPICS } from '@sw/sensors';
import mqtt, { type IClientOptions, type IPublishPacket, type MqttClient } from 'mqtt';
import { ALERTING_CONFIG, type AlertingConfig } from '../config/alerting.config';
import { LeaseLostError } from '../pipeline/partition-lease.service';

/** Handles one message; a promise delays the message's PUBACK until it settles. */
export type MessageHandler = (topic: string, payload: Buffer) => Promise<void> | void;

// MQTT filter match for the filters we use: exact levels and single-level `+`.
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  return f.length === t.length && f.every((level, i) => level === '+' || level === t[i]);
}

/** The client id of a partition's session: the same in every alerting instance of a deployment. */
export function partitionClientId(prefix: string, partition: number): string {
  return `${prefix}-${partition}`;
}

const START_WAIT_MS = 15_000;
const STOP_WAIT_MS = 3_000;

/**
 * Alerting's MQTT sessions, as the service account.
 *
 * - One control session (`ALERTING_MQTT_CLIENT_ID`, one per instance) follows `internal/events`
 *   and publishes committed events.
 * - One session per owned reading partition, with a client id every instance shares
 *   (`{ALERTING_PARTITION_CLIENT_PREFIX}-{p}`) and `clean: false`: the broker keeps the partition's
 *   QoS 1 readings in that session while nobody owns it (a restart, a takeover after a crash), and
 *   hands them to whoever takes the partition's lease next. The broker also fences: a second
 *   connection with the same id ends the first.
 *
 * A reading batch is acknowledged only once what it caused is durable (state written, transitions
 * committed): a crash before that gets the batch delivered again instead of losing an alarm.
 */
@Injectable()
export class BrokerService {
  private readonly logger = new Logger(BrokerService.name);
  private readonly routes: { filter: string; handler: MessageHandler }[] = [];
  private readonly partitions = new Map<number, MqttClient>();
  private client: MqttClient | null = null;

  constructor(@Inject(ALERTING_CONFIG) private readonly config: AlertingConfig) {}

  /** The control session and every open partition session are connected. */
  get connected(): boolean {
    if (!this.client?.connected) return false;
    for (const c of this.partitions.values()) if (!c.connected) return false;
    return true;
  }

  /** Partitions whose session is open (connected or reconnecting). */
  get openPartitions(): number[] {
    return [...this.partitions.keys()].sort((a, b) => a - b);
  }

  /** Registers a control-session subscription (QoS 1) and its handler; call before start(). */
  route(filter: string, handler: MessageHandler): void {
    this.routes.push({ filter, handler });
  }

  /** Opens the control session; resolves once subscribed (or after a while, still trying). */
  async start(): Promise<void> {
    const client = this.connect(this.config.ALERTING_MQTT_CLIENT_ID);
    this.client = client;
    client.handleMessage = (packet, done) => this.dispatch(packet, done, (topic) => this.routes.find((r) => topicMatches(r.filter, topic))?.handler);
    const ready = await this.subscribeOnConnect(client, this.routes.map((r) => r.filter), this.config.ALERTING_MQTT_CLIENT_ID);
    if (!ready) this.logger.error(`no session with ${this.config.BROKER_URL} yet; still trying`);
  }

  /**
   * Opens the persistent session of a reading partition; its readings (first those the broker kept
   * while nobody owned it) go to `handler`. Resolves once subscribed, or after a while (still trying).
   */
  async openPartition(partition: number, handler: MessageHandler): Promise<void> {
    if (this.partitions.has(partition)) return;
    const id = partitionClientId(this.config.ALERTING_PARTITION_CLIENT_PREFIX, partition);
    const client = this.connect(id);
    this.partitions.set(partition, client);
    client.handleMessage = (packet, done) => this.dispatch(packet, done, () => handler);
    const ready = await this.subscribeOnConnect(client, [TOPICS.readings(partition)], id);
    if (!ready) this.logger.error(`no session ${id} with ${this.config.BROKER_URL} yet; still trying`);
  }

  /**
   * Closes a partition's session without ending it at the broker: what is not acknowledged yet stays
   * queued there for the next owner. `force` does not wait for outgoing acknowledgements (a lost lease).
   */
  async closePartition(partition: number, force = false): Promise<void> {
    const client = this.partitions.get(partition);
    if (!client) return;
    this.partitions.delete(partition);
    await this.end(client, force);
  }

  /** Publishes at QoS 1 on the control session; `done` hears the outcome (the caller's data is already durable either way). */
  publish(topic: string, payload: string, done: (err?: Error) => void): void {
    if (!this.client) return done(new Error('not connected to the broker'));
    this.client.publish(topic, payload, { qos: 1 }, (err) => done(err));
  }

  /** Ends every session gracefully, or forcibly after a few seconds (unacknowledged batches stay queued at the broker). */
  async stop(): Promise<void> {
    const partitions = [...this.partitions.keys()];
    await Promise.all(partitions.map((p) => this.closePartition(p)));
    const client = this.client;
    this.client = null;
    if (client) await this.end(client, false);
  }

  private connect(clientId: string): MqttClient {
    const options: IClientOptions = {
      username: this.config.SERVICE_MQTT_USERNAME,
      password: this.config.SERVICE_MQTT_PASSWORD,
      clientId,
      clean: false,
      reconnectPeriod: 1000,
      connectTimeout: 10_000,
    };
    const client = mqtt.connect(this.config.BROKER_URL, options);
    // an alarm event is a small packet: never held back by Nagle behind an unacknowledged PUBACK
    client.on('connect', () => (client.stream as unknown as Partial<Socket>).setNoDelay?.(true));
    client.on('error', (err) => this.logger.warn(`broker (${clientId}): ${err.message}`));
    client.on('offline', () => this.logger.warn(`broker connection of ${clientId} lost; reconnecting`));
    return client;
  }

  private async subscribeOnConnect(client: MqttClient, filters: string[], clientId: string): Promise<boolean> {
    let onSubscribed = (): void => undefined;
    const subscribed = new Promise<void>((resolve) => (onSubscribed = resolve));
    client.on('connect', () => {
      this.logger.log(`connected to ${this.config.BROKER_URL} as ${clientId}`);
      client.subscribe(filters, { qos: 1 }, (err, granted) => {
        if (err) return this.logger.error(`subscribe of ${clientId} failed: ${err.message}`);
        for (const g of granted ?? []) if (g.qos === 128) this.logger.error(`subscription to ${g.topic} refused by the broker`);
        onSubscribed();
      });
    });
    // Do not fail the boot on a broker that is still starting: /health says so meanwhile.
    return Promise.race([subscribed.then(() => true), sleep(START_WAIT_MS).then(() => false)]);
  }

  private async end(client: MqttClient, force: boolean): Promise<void> {
    if (!force) {
      const ended = await Promise.race([client.endAsync().then(() => true, () => false), sleep(STOP_WAIT_MS).then(() => false)]);
      if (ended) return;
    }
    await client.endAsync(true).catch((err: Error) => this.logger.warn(`broker close: ${err.message}`));
  }

  private dispatch(packet: IPublishPacket, done: (err?: Error) => void, handlerOf: (topic: string) => MessageHandler | undefined): void {
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    let result: Promise<void> | void = undefined;
    try {
      result = handlerOf(packet.topic)?.(packet.topic, payload);
    } catch (err) {
      this.logger.error(`handler for ${packet.topic} failed: ${(err as Error).message}`);
    }
    if (!result) return done();
    result.then(
      () => done(),
      (err: Error) => {
        // the partition's lease was lost meanwhile: no PUBACK, the broker redelivers it to the next owner
        if (err instanceof LeaseLostError) {
          this.logger.warn(`not acknowledged on ${packet.topic}: ${err.message}`);
          return done(err);
        }
        this.logger.error(`handler for ${packet.topic} failed: ${err.message}`);
        done();
      },
    );
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
