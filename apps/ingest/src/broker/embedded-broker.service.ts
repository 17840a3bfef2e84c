import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { createServer as createTlsServer } from 'node:tls';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { GatewayRecord } from '@sw/persistence';
import { TOPICS } from '@sw/sensors';
import { Aedes, type Client, type PublishPacket } from 'aedes';
import { createWebSocketStream, WebSocketServer } from 'ws';
import { INGEST_CONFIG, type IngestConfig } from '../config/ingest.config';
import { GatewayRegistryService } from '../gateways/gateway-registry.service';
import { GatewayStateService } from '../gateways/gateway-state.service';
import { InfluxWriterService } from '../influx/influx-writer.service';
import { MetricsService } from '../observability/metrics.service';
import { TelemetryService } from '../readings/telemetry.service';
import { GatewayAuthService, type Principal } from './gateway-auth.service';
import { ConnectionRateLimiter } from './connection-rate';
import { OutboundBusService } from './outbound-bus.service';
import { PacketGuard } from './packet-guard';
import { messageDurable } from '../readings/message-durability';
import { PartitionRelay } from './partition-relay';
import { gatewayMayPublish, gatewayMaySubscribe } from './topic-acl';

/** MQTT 3.1.1 CONNACK return codes */
const BAD_USERNAME_OR_PASSWORD = 4;
const SERVER_UNAVAILABLE = 3;
/** The reading journal's bound on disk (and in memory while alerting is away): about two hours at 10,000 readings/s. */
const RELAY_MAX_BYTES = 512 * 1024 * 1024;
const READINGS_PREFIX = TOPICS.readings(0).slice(0, -1); // internal/readings/

/**
 * Single-node mode: the embedded aedes broker. Gateways authenticate against the registry and are
 * held to their own topics; the internal apps connect with the service account. Telemetry is
 * processed inside `authorizePublish`, and a QoS 1 message is authorized (aedes then sends the
 * PUBACK) only once its readings are durable: in InfluxDB or the fsync'd spool, and in the fsync'd
 * journal of alerting's partition batches ({@link PartitionRelay}). A SIGKILL of ingest therefore
 * loses no reading a gateway got a PUBACK for; the gateway resends the others.
 */
@Injectable()
export class EmbeddedBrokerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(EmbeddedBrokerService.name);
  /** What a gateway message's PUBACK waits for, once its readings are handed over (messageDurable). */
  private readonly durableStores = (): Promise<unknown>[] => [this.influx.durable(), this.relay.durable()];
  private broker!: Aedes;
  private readonly servers: (Server | HttpServer)[] = [];
  private readonly principals = new WeakMap<Client, Principal>();
  private readonly clientsByGateway = new Map<string, Set<Client>>();
  /** topic filters granted to each gateway session (MQTT_MAX_SUBSCRIPTIONS) */
  private readonly subscriptions = new WeakMap<Client, Set<string>>();
  private readonly connectRate: ConnectionRateLimiter;
  private openConnections = 0;
  private readonly relay: PartitionRelay;

  constructor(
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
    private readonly auth: GatewayAuthService,
    private readonly telemetry: TelemetryService,
    private readonly state: GatewayStateService,
    private readonly registry: GatewayRegistryService,
    private readonly bus: OutboundBusService,
    private readonly metrics: MetricsService,
    private readonly influx: InfluxWriterService,
  ) {
    this.connectRate = new ConnectionRateLimiter(config.MQTT_CONNECT_RATE_PER_IP, config.MQTT_CONNECT_BURST_PER_IP);
    this.relay = new PartitionRelay(
      join(config.SPOOL_DIR, 'relay'),
      RELAY_MAX_BYTES,
      (topic, payload) => this.publish(topic, payload, 1),
      partitionOfTopic,
      (message) => this.logger.error(message),
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    const carried = this.relay.open();
    if (carried > 0) this.logger.warn(`${carried} reading batches of a previous run not acknowledged by alerting: sent again when their partitions' sessions subscribe`);
    this.broker = await Aedes.createBroker({
      concurrency: 1000,
      queueLimit: 10_000,
      authenticate: (client, username, password, done) => {
        this.auth.authenticate(username, password, (client.conn as { remoteAddress?: string }).remoteAddress).then(
          (principal) => {
            if (!principal) return done(Object.assign(new Error('bad user name or password'), { returnCode: BAD_USERNAME_OR_PASSWORD }), false);
            const refusal = this.auth.refuseSession(principal, client.id, client.clean);
            if (refusal) {
              this.logger.warn(`refused connection: ${refusal.reason}`);
              return done(Object.assign(new Error(refusal.reason), { returnCode: refusal.returnCode }), false);
            }
            this.principals.set(client, principal);
            const guard: unknown = client.conn;
            if (guard instanceof PacketGuard) {
              guard.authenticated(principal.kind === 'service' ? this.config.MQTT_MAX_SERVICE_PACKET_BYTES : this.config.MQTT_MAX_PACKET_BYTES);
            }
            done(null, true);
          },
          (err: Error) => {
            this.logger.error(`authentication failed: ${err.message}`);
            done(Object.assign(new Error('server unavailable'), { returnCode: SERVER_UNAVAILABLE }), false);
          },
        );
      },
      authorizePublish: (client, packet, done) => {
        const verdict = this.authorizePublish(client, packet);
        if (verdict instanceof Promise) void verdict.then(() => done(null));
        else done(verdict);
      },
      authorizeSubscribe: (client, sub, done) => {
        const principal = this.principals.get(client);
        if (principal?.kind === 'service') {
          this.relay.subscribing(client, [sub.topic]); // before aedes puts it in place (PartitionRelay)
          return done(null, sub);
        }
        if (principal?.kind === 'gateway' && gatewayMaySubscribe(principal.gateway.code, sub.topic)) {
          if (this.grantSubscription(client, sub.topic)) return done(null, sub);
          this.violation(client, `subscribe ${sub.topic} beyond MQTT_MAX_SUBSCRIPTIONS (${this.config.MQTT_MAX_SUBSCRIPTIONS})`);
          return done(null, null);
        }
        this.violation(client, `subscribe ${sub.topic}`);
        done(null, null); // SUBACK 128
      },
    });
    this.broker.on('unsubscribe', (filters, client) => {
      const granted = client && this.subscriptions.get(client);
      if (granted) for (const filter of filters) granted.delete(filter);
    });
    this.broker.on('client', (client) => this.onConnect(client));
    this.broker.on('clientDisconnect', (client) => {
      this.relay.disconnected(client);
      this.onDisconnect(client);
    });
    this.broker.on('clientReady', (client) => this.relay.ready(client));
    this.broker.on('subscribe', (subs, client) => {
      if (client && this.principals.get(client)?.kind === 'service') this.relay.subscribed(client, subs.map((s) => s.topic));
    });
    this.broker.on('ack', (packet, client) => this.relay.acknowledged((packet as PublishPacket | undefined)?.payload, client));
    this.broker.on('clientError', (client, err) => this.logger.debug(`client ${client.id}: ${err.message}`));
    this.broker.on('connectionError', (_client, err) => this.logger.debug(`connection error: ${err.message}`));
    this.bus.attach({
      publish: (topic, payload, qos) => {
        if (qos === 1 && partitionOfTopic(topic) !== null) this.relay.send(topic, typeof payload === 'string' ? Buffer.from(payload) : payload);
        else this.publish(topic, payload, qos);
      },
    });
    this.registry.onChange((codes) => this.dropStaleSessions(codes));
    await this.listen();
  }

  /**
   * Before anything else shuts down: stop accepting, then close aedes, which ends every client
   * session (server.close alone waits for clients that never leave, while aedes would go on
   * acknowledging their telemetry after the InfluxDB writer has flushed).
   */
  async beforeApplicationShutdown(): Promise<void> {
    for (const server of this.servers) server.close();
    await new Promise<void>((resolve) => (this.broker ? this.broker.close(() => resolve()) : resolve()));
    this.relay.close();
  }

  /** Reading batches for alerting not acknowledged yet (journaled; sent again after a restart). */
  get relayPending(): number {
    return this.relay.pending;
  }

  get connectedClients(): number {
    return this.broker.connectedClients;
  }

  /** null or an Error now, or a promise that settles once the message may be acknowledged. */
  private authorizePublish(client: Client | null, packet: PublishPacket): Error | null | Promise<void> {
    if (!client) return null; // the broker's own publishes
    const principal = this.principals.get(client);
    if (principal?.kind === 'service') return null;
    const kind = principal?.kind === 'gateway' ? gatewayMayPublish(principal.gateway.code, packet.topic) : null;
    if (!principal || principal.kind !== 'gateway' || !kind) {
      this.violation(client, `publish ${packet.topic}`);
      return new Error(`publish to ${packet.topic} is not allowed`); // aedes closes the client
    }
    const gateway = this.registry.get(principal.gateway.code) ?? principal.gateway;
    if (kind === 'telemetry') {
      // A retained telemetry message would be stored by the broker and handed to every subscriber.
      if (packet.retain) return this.refuse(client, gateway, 'telemetry must not be retained');
      const waiting = this.telemetry.handle(gateway, packet.payload as Buffer);
      return packet.qos > 0 ? messageDurable(waiting, this.durableStores) : null;
    }
    return this.onStateMessage(gateway, client, packet);
  }

  /** Only `online`/`offline` may be published (and retained) on a state topic; anything else closes the session. */
  private onStateMessage(gateway: GatewayRecord, client: Client, packet: PublishPacket): Error | null {
    const text = Buffer.from(packet.payload as Buffer).toString('utf8').trim();
    if (text !== 'online' && text !== 'offline') return this.refuse(client, gateway, 'state must be the plain string online or offline');
    // The Last Will arrives after the client is gone; `clientDisconnect` records that already.
    if (client.connected && text === 'online') this.state.announced(gateway, true, 'state');
    return null;
  }

  /** Reported on the gateway's errors topic, logged, and the publish refused (aedes then closes the client). */
  private refuse(client: Client, gateway: GatewayRecord, reason: string): Error {
    this.telemetry.rejectMessage(gateway.code, reason);
    this.violation(client, `publish: ${reason}`);
    return new Error(reason);
  }

  private grantSubscription(client: Client, filter: string): boolean {
    let granted = this.subscriptions.get(client);
    if (!granted) this.subscriptions.set(client, (granted = new Set()));
    if (!granted.has(filter) && granted.size >= this.config.MQTT_MAX_SUBSCRIPTIONS) return false;
    granted.add(filter);
    return true;
  }

  private onConnect(client: Client): void {
    const principal = this.principals.get(client);
    if (principal?.kind !== 'gateway') return;
    const { code } = principal.gateway;
    let set = this.clientsByGateway.get(code);
    if (!set) this.clientsByGateway.set(code, (set = new Set()));
    set.add(client);
    this.state.connected(principal.gateway);
  }

  private onDisconnect(client: Client): void {
    const principal = this.principals.get(client);
    if (principal?.kind !== 'gateway') return;
    const set = this.clientsByGateway.get(principal.gateway.code);
    if (set?.delete(client)) {
      if (set.size === 0) this.clientsByGateway.delete(principal.gateway.code);
      this.state.disconnected(principal.gateway, 'disconnect');
    }
  }

  /** A deleted gateway or a rotated secret ends the sessions opened with the old credentials. */
  private dropStaleSessions(codes: Set<string>): void {
    for (const code of codes) {
      const clients = this.clientsByGateway.get(code);
      if (!clients) continue;
      const current = this.registry.get(code);
      for (const client of clients) {
        const principal = this.principals.get(client);
        if (principal?.kind === 'gateway' && (!current || current.secretHash !== principal.gateway.secretHash)) {
          this.logger.warn(`closing session of ${code}: credentials changed or gateway removed`);
          client.close();
        } else if (principal?.kind === 'gateway' && current) {
          principal.gateway = current;
        }
      }
    }
  }

  private violation(client: Client, what: string): void {
    const principal = this.principals.get(client);
    const who = principal?.kind === 'gateway' ? principal.gateway.code : principal?.kind ?? 'anonymous';
    this.metrics.authFailures.inc({ reason: 'topic not allowed' });
    this.logger.warn(`refused ${what} by ${who} (client ${client.id})`);
  }

  private publish(topic: string, payload: string | Buffer, qos: 0 | 1): void {
    this.broker.publish({ cmd: 'publish', topic, payload: typeof payload === 'string' ? Buffer.from(payload) : payload, qos, retain: false, dup: false }, (err?: Error) => {
      if (err) this.logger.error(`internal publish to ${topic} failed: ${err.message}`);
    });
  }

  private async listen(): Promise<void> {
    const { MQTT_BIND: host, MQTT_PORT, MQTT_WS_PORT, MQTTS_PORT, TLS_CERT_FILE, TLS_KEY_FILE } = this.config;
    // noDelay: small MQTT packets (a reading batch, a PUBACK) must not wait for the previous one's ACK (Nagle)
    await this.start(createServer({ noDelay: true }, (socket) => this.accept(socket, socket.remoteAddress)), host, MQTT_PORT, 'MQTT');
    if (MQTTS_PORT !== undefined && TLS_CERT_FILE && TLS_KEY_FILE) {
      const tls = createTlsServer({ cert: readFileSync(TLS_CERT_FILE), key: readFileSync(TLS_KEY_FILE), noDelay: true }, (socket) => this.accept(socket, socket.remoteAddress));
      await this.start(tls, host, MQTTS_PORT, 'MQTTS');
    }
    if (MQTT_WS_PORT !== undefined) {
      const http = createHttpServer();
      // ws buffers a whole frame before the packet guard sees it: frames no larger than a packet
      const wss = new WebSocketServer({ server: http, maxPayload: this.config.MQTT_MAX_PACKET_BYTES + 64 });
      wss.on('connection', (ws, req) => this.accept(createWebSocketStream(ws), req.socket.remoteAddress));
      await this.start(http, host, MQTT_WS_PORT, 'MQTT over WebSocket');
    }
  }

  /**
   * Every connection, on every listener: refused beyond MQTT_MAX_CONNECTIONS or the per-IP rate,
   * else handed to aedes behind a {@link PacketGuard} that closes it when a fixed header announces
   * more than MQTT_MAX_CONNECT_BYTES before authentication or MQTT_MAX_PACKET_BYTES after it.
   */
  private accept(conn: Socket | Duplex, address: string | undefined): void {
    const refused = this.openConnections >= this.config.MQTT_MAX_CONNECTIONS ? 'MQTT_MAX_CONNECTIONS reached' : !this.connectRate.take(address ?? '', Date.now()) ? 'MQTT_CONNECT_RATE_PER_IP exceeded' : null;
    if (refused) {
      this.metrics.authFailures.inc({ reason: refused });
      this.logger.debug(`refused a connection from ${address}: ${refused}`); // a flood must not flood the log too
      conn.destroy();
      return;
    }
    this.openConnections++;
    conn.once('close', () => this.openConnections--);
    const guard = new PacketGuard(conn, { connect: this.config.MQTT_MAX_CONNECT_BYTES, packet: this.config.MQTT_MAX_PACKET_BYTES }, (reason) => {
      this.metrics.authFailures.inc({ reason: 'packet too large or malformed' });
      this.logger.warn(`closed a connection from ${address}: ${reason}`);
    });
    this.broker.handle(guard);
  }

  private start(server: Server | HttpServer, host: string, port: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) =>
        reject(new Error(err.code === 'EADDRINUSE' ? `${what} port ${host}:${port} is already in use (set MQTT_PORT and friends)` : err.message)),
      );
      server.listen(port, host, () => {
        this.servers.push(server);
        const address = server.address();
        this.logger.log(`${what} listening on ${host}:${typeof address === 'object' && address ? address.port : port}`);
        resolve();
      });
    });
  }

  /** The port actually bound (tests pass 0). */
  port(kind: 'mqtt' | 'ws' = 'mqtt'): number {
    const server = kind === 'mqtt' ? this.servers[0] : this.servers.at(-1);
    const address = server?.address();
    return typeof address === 'object' && address ? address.port : 0;
  }
}

/** The partition of an `internal/readings/{p}` topic, else null. */
function partitionOfTopic(topic: string): number | null {
  if (!topic.startsWith(READINGS_PREFIX)) return null;
  const rest = topic.slice(READINGS_PREFIX.length);
  return /^\d+$/.test(rest) ? Number(rest) : null;
}
