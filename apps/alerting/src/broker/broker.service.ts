import { Inject, Injectable, Logger } from '@nestjs/common';
import mqtt, { type IPublishPacket, type MqttClient } from 'mqtt';
import { ALERTING_CONFIG, type AlertingConfig } from '../config/alerting.config';

/** Handles one message; a promise delays the message's PUBACK until it settles. */
export type MessageHandler = (topic: string, payload: Buffer) => Promise<void> | void;

// MQTT filter match for the filters we use: exact levels and single-level `+`.
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  return f.length === t.length && f.every((level, i) => level === '+' || level === t[i]);
}

const START_WAIT_MS = 15_000;
const STOP_WAIT_MS = 3_000;

/**
 * Alerting's one MQTT session, as the service account. The session is persistent (clean: false,
 * a stable client id), so QoS 1 readings published while alerting restarts wait at the broker; and
 * a reading batch is acknowledged only once what it caused is durable (state written, transitions
 * committed): a crash before that gets the batch delivered again instead of losing an alarm.
 */
@Injectable()
export class BrokerService {
  private readonly logger = new Logger(BrokerService.name);
  private readonly routes: { filter: string; handler: MessageHandler }[] = [];
  private client: MqttClient | null = null;

  constructor(@Inject(ALERTING_CONFIG) private readonly config: AlertingConfig) {}

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  /** Registers a subscription (QoS 1) and its handler; call before start(). */
  route(filter: string, handler: MessageHandler): void {
    this.routes.push({ filter, handler });
  }

  async start(): Promise<void> {
    const client = mqtt.connect(this.config.BROKER_URL, {
      username: this.config.SERVICE_MQTT_USERNAME,
      password: this.config.SERVICE_MQTT_PASSWORD,
      clientId: this.config.ALERTING_MQTT_CLIENT_ID,
      clean: false,
      reconnectPeriod: 1000,
      connectTimeout: 10_000,
    });
    this.client = client;
    client.handleMessage = (packet, done) => this.dispatch(packet, done);
    let onSubscribed = (): void => undefined;
    const subscribed = new Promise<void>((resolve) => (onSubscribed = resolve));
    client.on('connect', () => {
      this.logger.log(`connected to ${this.config.BROKER_URL} as ${this.config.ALERTING_MQTT_CLIENT_ID}`);
      client.subscribe(this.routes.map((r) => r.filter), { qos: 1 }, (err, granted) => {
        if (err) return this.logger.error(`subscribe failed: ${err.message}`);
        for (const g of granted ?? []) if (g.qos === 128) this.logger.error(`subscription to ${g.topic} refused by the broker`);
        onSubscribed();
      });
    });
    client.on('error', (err) => this.logger.warn(`broker: ${err.message}`));
    client.on('offline', () => this.logger.warn('broker connection lost; reconnecting'));
    // Do not fail the boot on a broker that is still starting: /health says so meanwhile.
    const ready = await Promise.race([subscribed.then(() => true), sleep(START_WAIT_MS).then(() => false)]);
    if (!ready) this.logger.error(`no session with ${this.config.BROKER_URL} yet; still trying`);
  }

  /** Publishes at QoS 1; `done` hears the outcome (the caller's data is already durable either way). */
  publish(topic: string, payload: string, done: (err?: Error) => void): void {
    if (!this.client) return done(new Error('not connected to the broker'));
    this.client.publish(topic, payload, { qos: 1 }, (err) => done(err));
  }

  /** Ends the session gracefully, or forcibly after a few seconds (unacknowledged batches stay queued at the broker). */
  async stop(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (!client) return;
    const ended = await Promise.race([client.endAsync().then(() => true, () => false), sleep(STOP_WAIT_MS).then(() => false)]);
    if (!ended) await client.endAsync(true).catch((err: Error) => this.logger.warn(`broker close: ${err.message}`));
  }

  private dispatch(packet: IPublishPacket, done: (err?: Error) => void): void {
    const route = this.routes.find((r) => topicMatches(r.filter, packet.topic));
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    let result: Promise<void> | void = undefined;
    try {
      result = route?.handler(packet.topic, payload);
    } catch (err) {
      this.logger.error(`handler for ${packet.topic} failed: ${(err as Error).message}`);
    }
    if (!result) return done();
    result.then(
      () => done(),
      (err: Error) => {
        this.logger.error(`handler for ${packet.topic} failed: ${err.message}`);
        done();
      },
    );
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
