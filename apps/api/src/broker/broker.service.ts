import type { Socket } from 'node:net';
import { hostname } from 'node:os';
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import mqtt, { type MqttClient } from 'mqtt';
import { API_CONFIG, type ApiConfig } from '../config/api.config';

export type MessageHandler = (topic: string, payload: Buffer) => void;

/**
 * The API's one session with the broker, as the service account (docs/architecture.md: internal topics
 * are for service accounts only). Subscriptions are re-made on every reconnect; messages missed
 * while away are recovered by their consumers (the live feed fills event gaps from PostgreSQL).
 */
@Injectable()
export class BrokerService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(BrokerService.name);
  private client: MqttClient | null = null;
  private readonly subscriptions = new Map<string, { qos: 0 | 1; handler: MessageHandler }>();
  private readonly reconnectListeners: (() => void)[] = [];
  private lastError: string | null = null;

  constructor(@Inject(API_CONFIG) private readonly config: ApiConfig) {}

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  async onModuleInit(): Promise<void> {
    const client = mqtt.connect(this.config.BROKER_URL, {
      username: this.config.SERVICE_MQTT_USERNAME,
      password: this.config.SERVICE_MQTT_PASSWORD,
      clientId: `api-${hostname()}-${process.pid}-${Math.random().toString(16).slice(2, 8)}`,
      clean: true,
      reconnectPeriod: 1000,
      connectTimeout: 10_000,
      resubscribe: false, // done in onConnect, for every subscription known then
      protocolVersion: 4, // aedes speaks 3.1.1 only
    });
    this.client = client;
    client.on('connect', () => this.onConnect(client));
    // small packets (PUBACKs, alarm events) are sent at once, not held back by Nagle
    client.on('connect', () => (client.stream as unknown as Partial<Socket>).setNoDelay?.(true));
    // one line per change of trouble, not one per reconnect attempt (every second)
    client.on('error', (err) => {
      if (err.message !== this.lastError) this.logger.warn(`broker: ${err.message}`);
      this.lastError = err.message;
    });
    client.on('offline', () => {
      if (this.lastError === null) this.logger.warn('broker connection lost; reconnecting');
      this.lastError ??= 'offline';
    });
    client.on('message', (topic, payload) => this.dispatch(topic, payload));
    // Do not fail the boot on a broker that is still starting: wait a little, then keep trying.
    const connected = await Promise.race([
      new Promise<boolean>((resolve) => client.once('connect', () => resolve(true))),
      sleep(5_000).then(() => false),
    ]);
    if (!connected) this.logger.error(`no session with ${this.config.BROKER_URL} yet; still trying`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client?.endAsync();
  }

  /** Publishes (queued by the client while disconnected); resolves when the broker has it (QoS 1) or it is sent (QoS 0). */
  publish(topic: string, payload: string, qos: 0 | 1): Promise<void> {
    const client = this.client;
    if (!client) return Promise.reject(new Error('broker client not started'));
    return client.publishAsync(topic, payload, { qos }).then(() => undefined);
  }

  /** One handler per topic filter; `+` wildcards match one level. */
  subscribe(filter: string, qos: 0 | 1, handler: MessageHandler): void {
    this.subscriptions.set(filter, { qos, handler });
    if (this.client?.connected) this.client.subscribe(filter, { qos }, (err) => err && this.logger.error(`subscribe ${filter}: ${err.message}`));
  }

  unsubscribe(filter: string): void {
    if (!this.subscriptions.delete(filter)) return;
    if (this.client?.connected) this.client.unsubscribe(filter);
  }

  /** Called after every (re)connection, once the subscriptions are re-made. */
  onReconnect(listener: () => void): void {
    this.reconnectListeners.push(listener);
  }

  private onConnect(client: MqttClient): void {
    this.logger.log(`connected to ${this.config.BROKER_URL}`);
    this.lastError = null;
    for (const [filter, { qos }] of this.subscriptions) {
      client.subscribe(filter, { qos }, (err) => err && this.logger.error(`subscribe ${filter}: ${err.message}`));
    }
    for (const listener of this.reconnectListeners) listener();
  }

  private dispatch(topic: string, payload: Buffer): void {
    for (const [filter, { handler }] of this.subscriptions) {
      if (topicMatches(filter, topic)) handler(topic, payload);
    }
  }
}

export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
    if (t[i] === undefined) return false;
  }
  return f.length === t.length;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
