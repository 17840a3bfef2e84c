import { hostname } from 'node:os';
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { BrokerClient } from '@sw/mqtt';
import { API_CONFIG, type ApiConfig } from '../config/api.config';

/** The API's handlers are synchronous: a message is acknowledged once its handler returns. */
export type MessageHandler = (topic: string, payload: Buffer) => void;

// Do not fail the boot on a broker that is still starting: wait a little, then keep trying.
const START_WAIT_MS = 5_000;

/**
 * The API's one session with the broker, as the service account (docs/architecture.md: internal topics
 * are for service accounts only). Subscriptions are re-made on every reconnect; messages missed
 * while away are recovered by their consumers (the live feed fills event gaps from PostgreSQL).
 */
@Injectable()
export class BrokerService implements OnModuleInit, OnApplicationShutdown {
  private readonly client: BrokerClient;

  constructor(@Inject(API_CONFIG) config: ApiConfig) {
    this.client = new BrokerClient({
      url: config.BROKER_URL,
      username: config.SERVICE_MQTT_USERNAME,
      password: config.SERVICE_MQTT_PASSWORD,
      clientId: `api-${hostname()}-${process.pid}-${Math.random().toString(16).slice(2, 8)}`,
      clean: true,
      logger: new Logger(BrokerService.name),
    });
  }

  get connected(): boolean {
    return this.client.connected;
  }

  async onModuleInit(): Promise<void> {
    await this.client.start(START_WAIT_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.stop();
  }

  /** Publishes (queued by the client while disconnected); resolves when the broker has it (QoS 1) or it is sent (QoS 0). */
  publish(topic: string, payload: string, qos: 0 | 1): Promise<void> {
    return this.client.publish(topic, payload, qos);
  }

  /** One handler per topic filter (MQTT wildcards, see @sw/mqtt `topicMatches`). */
  subscribe(filter: string, qos: 0 | 1, handler: MessageHandler): void {
    this.client.subscribe(filter, qos, handler);
  }

  unsubscribe(filter: string): void {
    this.client.unsubscribe(filter);
  }

  /** Called after every (re)connection, once the subscriptions are re-made. */
  onReconnect(listener: () => void): void {
    this.client.onConnect(listener);
  }
}
