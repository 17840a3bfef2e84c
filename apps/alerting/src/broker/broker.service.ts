import { Inject, Injectable, Logger } from '@nestjs/common';
import { BrokerClient, type MessageHandler } from '@sw/mqtt';
import { TOPICS } from '@sw/sensors';
import { ALERTING_CONFIG, type AlertingConfig } from '../config/alerting.config';
import { LeaseLostError } from '../pipeline/partition-lease.service';

export type { MessageHandler };

/** The client id of a partition's session: the same in every alerting instance of a deployment. */
export function partitionClientId(prefix: string, partition: number): string {
  return `${prefix}-${partition}`;
}

const START_WAIT_MS = 15_000;

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
 * committed): a crash before that gets the batch delivered again instead of losing an alarm; a
 * batch whose partition lease was lost meanwhile is not acknowledged, so the next owner gets it.
 */
@Injectable()
export class BrokerService {
  private readonly logger = new Logger(BrokerService.name);
  private readonly routes: { filter: string; handler: MessageHandler }[] = [];
  private readonly partitions = new Map<number, BrokerClient>();
  private client: BrokerClient | null = null;

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
    const client = this.session(this.config.ALERTING_MQTT_CLIENT_ID);
    this.client = client;
    for (const { filter, handler } of this.routes) client.subscribe(filter, 1, handler);
    await client.start(START_WAIT_MS);
  }

  /**
   * Opens the persistent session of a reading partition; its readings (first those the broker kept
   * while nobody owned it) go to `handler`. Resolves once subscribed, or after a while (still trying).
   */
  async openPartition(partition: number, handler: MessageHandler): Promise<void> {
    if (this.partitions.has(partition)) return;
    // batches judged ahead of an earlier one's acknowledgement (ALERTING_PARTITION_AHEAD): the next is
    // evaluated while the previous one's transitions commit, so a replay is not one commit round trip
    // per batch; acknowledgements still go in order, each once its own and all earlier batches'
    // transitions are committed (docs/architecture.md, "What nothing lost means")
    const client = this.session(partitionClientId(this.config.ALERTING_PARTITION_CLIENT_PREFIX, partition), this.config.ALERTING_PARTITION_AHEAD);
    this.partitions.set(partition, client);
    client.subscribe(TOPICS.readings(partition), 1, handler);
    await client.start(START_WAIT_MS);
  }

  /**
   * Closes a partition's session without ending it at the broker: what is not acknowledged yet stays
   * queued there for the next owner. `force` does not wait for outgoing acknowledgements (a lost lease).
   */
  async closePartition(partition: number, force = false): Promise<void> {
    const client = this.partitions.get(partition);
    if (!client) return;
    this.partitions.delete(partition);
    await client.stop(force);
  }

  /** Publishes at QoS 1 on the control session; `done` hears the outcome (the caller's data is already durable either way). */
  publish(topic: string, payload: string, done: (err?: Error) => void): void {
    if (!this.client) return done(new Error('not connected to the broker'));
    this.client.publish(topic, payload, 1).then(() => done(), done);
  }

  /** Ends every session gracefully, or forcibly after a few seconds (unacknowledged batches stay queued at the broker). */
  async stop(): Promise<void> {
    const partitions = [...this.partitions.keys()];
    await Promise.all(partitions.map((p) => this.closePartition(p)));
    const client = this.client;
    this.client = null;
    await client?.stop();
  }

  // persistent sessions (clean: false) for the control session too, as before
  private session(clientId: string, ahead = 0): BrokerClient {
    return new BrokerClient({
      url: this.config.BROKER_URL,
      username: this.config.SERVICE_MQTT_USERNAME,
      password: this.config.SERVICE_MQTT_PASSWORD,
      clientId,
      clean: false,
      logger: this.logger,
      // the partition's lease was lost meanwhile: no PUBACK, the broker redelivers it to the next owner
      withholdsAck: (err) => err instanceof LeaseLostError,
      ahead,
    });
  }
}
