import { hostname } from 'node:os';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { BrokerClient } from '@sw/mqtt';
import { parseGatewayTopic } from '@sw/sensors';
import { INGEST_CONFIG, type IngestConfig } from '../config/ingest.config';
import { GatewayRegistryService } from '../gateways/gateway-registry.service';
import { GatewayStateService } from '../gateways/gateway-state.service';
import { TelemetryService } from '../readings/telemetry.service';
import { OutboundBusService } from './outbound-bus.service';

const START_WAIT_MS = 15_000;

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
  private client: BrokerClient | null = null;

  constructor(
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
    private readonly telemetry: TelemetryService,
    private readonly state: GatewayStateService,
    private readonly registry: GatewayRegistryService,
    private readonly bus: OutboundBusService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const client = new BrokerClient({
      url: this.config.BROKER_URL,
      username: this.config.SERVICE_MQTT_USERNAME,
      password: this.config.SERVICE_MQTT_PASSWORD,
      clientId: `ingest-${hostname()}-${process.pid}`,
      clean: true,
      logger: this.logger,
      noDelay: false, // as before: bulk telemetry in, batches out, which Nagle may coalesce
    });
    this.client = client;
    for (const filter of SHARED_SUBSCRIPTIONS) client.subscribe(filter, 1, (topic, payload) => this.onMessage(topic, payload));
    this.bus.attach({
      publish: (topic, payload, qos) => void client.publish(topic, payload, qos).catch((err: Error) => this.logger.error(`publish to ${topic} failed: ${err.message}`)),
    });
    // Do not fail the boot on a broker that is still starting or re-reading its password file:
    // wait a while for the first session, then let the client keep reconnecting by itself.
    await client.start(START_WAIT_MS);
  }

  /** Before the writers flush: no more telemetry comes in once this resolves. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.client?.stop();
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
        this.client?.publish(topic, '', 1, true).catch((err: Error) => this.logger.warn(`clearing the retained state on ${topic} failed: ${err.message}`));
      }
    }
  }
}
