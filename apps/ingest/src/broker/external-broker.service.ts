import { hostname } from 'node:os';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { parseGatewayTopic } from '@sw/sensors';
import mqtt, { type MqttClient } from 'mqtt';
import { INGEST_CONFIG, type IngestConfig } from '../config/ingest.config';
import { GatewayRegistryService } from '../gateways/gateway-registry.service';
import { GatewayStateService } from '../gateways/gateway-state.service';
import { TelemetryService } from '../readings/telemetry.service';
import { OutboundBusService } from './outbound-bus.service';

/** Ingest replicas share the gateway topics (docs/architecture.md: scale-out). */
export const SHARED_SUBSCRIPTIONS = ['$share/ingest/v1/gateways/+/telemetry', '$share/ingest/v1/gateways/+/state'];

/**
 * Scale-out mode: ingest is a client of an external broker (Mosquitto, EMQX) that authenticates
 * gateways and enforces their topics itself. A persistent session keeps QoS 1 telemetry queued at
 * the broker while this instance restarts.
 */
@Injectable()
export class ExternalBrokerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ExternalBrokerService.name);
  private client: MqttClient | null = null;

  constructor(
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
    private readonly telemetry: TelemetryService,
    private readonly state: GatewayStateService,
    private readonly registry: GatewayRegistryService,
    private readonly bus: OutboundBusService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const client = mqtt.connect(this.config.BROKER_URL, {
      username: this.config.SERVICE_MQTT_USERNAME,
      password: this.config.SERVICE_MQTT_PASSWORD,
      clientId: `ingest-${hostname()}-${process.pid}`,
      clean: true,
      reconnectPeriod: 1000,
      connectTimeout: 10_000,
      resubscribe: true,
    });
    this.client = client;
    let onSubscribed = (): void => undefined;
    const subscribed = new Promise<void>((resolve) => (onSubscribed = resolve));
    client.on('connect', () => {
      this.logger.log(`connected to ${this.config.BROKER_URL}`);
      client.subscribe(SHARED_SUBSCRIPTIONS, { qos: 1 }, (err, granted) => {
        if (err) this.logger.error(`subscribe failed: ${err.message}`);
        for (const g of granted ?? []) if (g.qos === 128) this.logger.error(`subscription to ${g.topic} refused by the broker`);
        if (!err) onSubscribed();
      });
    });
    client.on('error', (err) => this.logger.warn(`broker: ${err.message}`));
    client.on('offline', () => this.logger.warn('broker connection lost; reconnecting'));
    client.on('message', (topic, payload) => this.onMessage(topic, payload));
    this.bus.attach({
      publish: (topic, payload, qos) =>
        client.publish(topic, payload, { qos }, (err) => {
          if (err) this.logger.error(`publish to ${topic} failed: ${err.message}`);
        }),
    });
    // Do not fail the boot on a broker that is still starting or re-reading its password file:
    // wait a while for the first session, then let the client keep reconnecting by itself.
    const connected = await Promise.race([subscribed.then(() => true), sleep(15_000).then(() => false)]);
    if (!connected) this.logger.error(`no session with ${this.config.BROKER_URL} yet; still trying`);
  }

  /** Before the writers flush: no more telemetry comes in once this resolves. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.client?.endAsync();
  }

  private onMessage(topic: string, payload: Buffer): void {
    const parsed = parseGatewayTopic(topic);
    if (!parsed) return;
    const gateway = this.registry.get(parsed.code);
    if (!gateway) {
      this.telemetry.rejectMessage(parsed.code, 'unknown gateway');
      return;
    }
    if (parsed.kind === 'telemetry') {
      void this.telemetry.handle(gateway, payload);
      return;
    }
    if (parsed.kind === 'state') {
      if (payload.length === 0) return; // a retained state being cleared (by us, below)
      const text = payload.toString('utf8').trim();
      if (text === 'online' || text === 'offline') this.state.announced(gateway, text === 'online', 'state');
      else {
        this.telemetry.rejectMessage(gateway.code, 'state must be the plain string online or offline');
        // The broker has retained it (neither Mosquitto's ACL nor EMQX's hook sees payloads): clear it.
        this.client?.publish(topic, '', { qos: 1, retain: true });
      }
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
