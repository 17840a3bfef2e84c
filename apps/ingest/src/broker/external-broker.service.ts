import { hostname } from 'node:os';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { BrokerClient } from '@sw/mqtt';
import type { GatewayRecord } from '@sw/persistence';
import { parseGatewayTopic, TOPICS } from '@sw/sensors';
import { INGEST_CONFIG, type IngestConfig } from '../config/ingest.config';
import { GatewayRegistryService } from '../gateways/gateway-registry.service';
import { GatewayStateService } from '../gateways/gateway-state.service';
import { InfluxWriterService } from '../influx/influx-writer.service';
import { SettledInOrder } from '../influx/settled-in-order';
import { messageDurable } from '../readings/message-durability';
import { TelemetryService } from '../readings/telemetry.service';
import { OutboundBusService } from './outbound-bus.service';

const START_WAIT_MS = 15_000;
/**
 * Telemetry messages handled while an earlier one waits for durability (its PUBACK). At 10,000
 * readings/s (1,000 messages) and 50–100 ms to InfluxDB, about 100 are waiting; the rest is room
 * for a slow write before the spool takes over.
 */
const AHEAD = 2_000;
/**
 * Between reconnection attempts. After a broker restart ingest must be back before the gateways
 * (mqtt.js: 1 s) resend their backlog: until then it queues in ingest's session, which Mosquitto
 * bounds at `max_queued_messages` and drops beyond.
 */
const RECONNECT_MS = 100;

/**
 * What ingest subscribes to: gateway telemetry plainly (one ingest) or in a `$share` group (replicas,
 * docs/architecture.md: scale-out); gateway state always shared, so a re-subscription does not hand
 * ingest every gateway's retained state again.
 */
export function gatewaySubscriptions(shareGroup: string | undefined): { telemetry: string; state: string } {
  const telemetry = TOPICS.telemetry('+');
  return { telemetry: shareGroup ? `$share/${shareGroup}/${telemetry}` : telemetry, state: `$share/${shareGroup ?? 'ingest'}/${TOPICS.state('+')}` };
}

/**
 * Scale-out mode: ingest is a client of an external broker (Mosquitto, EMQX) that authenticates
 * gateways and enforces their topics itself. Ingest holds a persistent session under a stable client
 * id (INGEST_MQTT_CLIENT_ID), so the broker keeps what is queued for it while ingest restarts and
 * across the broker's own graceful restart, and it acknowledges a telemetry message to the broker
 * only once its readings are durable: in InfluxDB or the fsync'd spool, and their batches for
 * alerting acknowledged by the broker. A SIGKILL of ingest or a restart of the broker therefore
 * loses no reading the broker acknowledged to a gateway (docs/architecture.md, "What nothing lost means").
 */
@Injectable()
export class ExternalBrokerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ExternalBrokerService.name);
  /** What a gateway message's PUBACK waits for (messageDurable): InfluxDB or the spool, and the broker's acknowledgement of the batches for alerting. */
  private readonly durableStores = (): Promise<unknown>[] => [this.influx.durable(), this.published()];
  private inbound: BrokerClient | null = null;
  private outbound: BrokerClient | null = null;
  /** QoS 1 publishes sent so far, and the highest number up to which every one is acknowledged (or failed) */
  private sent = 0;
  private readonly publishes = new SettledInOrder();

  constructor(
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
    private readonly telemetry: TelemetryService,
    private readonly state: GatewayStateService,
    private readonly registry: GatewayRegistryService,
    private readonly bus: OutboundBusService,
    private readonly influx: InfluxWriterService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const clientId = this.config.INGEST_MQTT_CLIENT_ID ?? `ingest-${hostname()}`;
    const session = {
      url: this.config.BROKER_URL,
      username: this.config.SERVICE_MQTT_USERNAME,
      password: this.config.SERVICE_MQTT_PASSWORD,
      logger: this.logger,
      reconnectPeriodMs: RECONNECT_MS,
    };
    // Telemetry in: the persistent session, PUBACKs sent at once (each waited for durability already).
    const inbound = new BrokerClient({ ...session, clientId, clean: false, ahead: AHEAD });
    // Batches and errors out on a connection of their own: their PUBACKs must not queue behind
    // telemetry held for durability, which waits for those very PUBACKs. Nagle may coalesce the
    // batches. mqtt.js sends what the broker has not acknowledged again after a reconnect.
    const outbound = new BrokerClient({ ...session, clientId: `${clientId}-pub`, clean: true, noDelay: false });
    this.inbound = inbound;
    this.outbound = outbound;
    const { telemetry, state } = gatewaySubscriptions(this.config.INGEST_MQTT_SHARE_GROUP);
    for (const filter of [telemetry, state]) inbound.subscribe(filter, 1, (topic, payload, qos) => this.onMessage(topic, payload, qos ?? 1));
    this.bus.attach({ publish: (topic, payload, qos) => this.publish(outbound, topic, payload, qos) });
    // Do not fail the boot on a broker that is still starting or re-reading its password file:
    // wait a while for the first sessions, then let the clients keep reconnecting by themselves.
    await Promise.all([outbound.start(START_WAIT_MS), inbound.start(START_WAIT_MS)]);
  }

  /**
   * Before the writers flush: no more telemetry comes in once this resolves. What was not
   * acknowledged yet is delivered again to the session's next run.
   */
  async beforeApplicationShutdown(): Promise<void> {
    await this.inbound?.stop();
    await this.outbound?.stop();
  }

  /** A promise holds the message's PUBACK until it settles (BrokerClient); a QoS 0 message has none to hold. */
  private onMessage(topic: string, payload: Buffer, qos: 0 | 1 | 2): Promise<void> | undefined {
    const parsed = parseGatewayTopic(topic);
    if (!parsed) return;
    const gateway = this.registry.get(parsed.code);
    if (!gateway) {
      this.telemetry.rejectMessage(parsed.code, 'unknown gateway');
      return;
    }
    if (parsed.kind === 'telemetry') {
      const waiting = this.telemetry.handle(gateway, payload);
      return qos > 0 ? messageDurable(waiting, this.durableStores) : undefined;
    }
    if (parsed.kind === 'state') this.onState(gateway, topic, payload);
    return undefined;
  }

  private onState(gateway: GatewayRecord, topic: string, payload: Buffer): void {
    if (payload.length === 0) return; // a retained state being cleared (by us, below)
    const text = payload.toString('utf8').trim();
    if (text === 'online' || text === 'offline') this.state.announced(gateway, text === 'online', 'state');
    else {
      this.telemetry.rejectMessage(gateway.code, 'state must be the plain string online or offline');
      // The broker has retained it (neither Mosquitto's ACL nor EMQX's hook sees payloads): clear it.
      this.outbound?.publish(topic, '', 1, true).catch((err: Error) => this.logger.warn(`clearing the retained state on ${topic} failed: ${err.message}`));
    }
  }

  private publish(client: BrokerClient, topic: string, payload: string | Buffer, qos: 0 | 1): void {
    const no = ++this.sent;
    void client
      .publish(topic, payload, qos)
      .catch((err: Error) => this.logger.error(`publish to ${topic} failed: ${err.message}`))
      .finally(() => this.publishes.settle(no));
  }

  /** Settles once every publish sent so far has the broker's acknowledgement (QoS 1), is sent (QoS 0) or failed. */
  private published(): Promise<void> {
    return this.publishes.upTo(this.sent);
  }
}
