import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { GatewayRecord, LastSeen } from '@sw/persistence';
import { INGEST_CONFIG, type IngestConfig } from '../config/ingest.config';
import { MetricsService } from '../observability/metrics.service';
import { GatewayRegistryService } from './gateway-registry.service';

/** Why a gateway went online or offline; `polled`, `unreachable` and `reconfigured` are Modbus polling's. */
export type StateCause = 'connect' | 'disconnect' | 'will' | 'state' | 'startup' | 'polled' | 'unreachable' | 'reconfigured' | 'shutdown';

/**
 * Online/offline per gateway (from connect, disconnect, the Last Will and the retained state
 * topic) and last-seen per gateway and point. State changes are rare and written at once, as
 * history rows; last-seen is kept in memory and flushed in one statement per interval, never a
 * database write per reading.
 */
@Injectable()
export class GatewayStateService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(GatewayStateService.name);
  private readonly connections = new Map<string, number>();
  private gatewaySeen = new Map<string, LastSeen>();
  private pointSeen = new Map<string, LastSeen>();
  private timer: NodeJS.Timeout | null = null;
  private writes: Promise<void> = Promise.resolve();

  constructor(
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
    private readonly registry: GatewayRegistryService,
    private readonly metrics: MetricsService,
  ) {}

  async onModuleInit(): Promise<void> {
    // Only one ingest owns MQTT sessions in embedded mode: periods a crash left open are closed.
    if (this.config.BROKER_MODE === 'embedded') {
      const closed = await this.registry.runtime.markAllOffline('mqtt', 'startup', new Date());
      if (closed > 0) this.logger.warn(`${closed} gateways were left online by a previous run; marked offline`);
    }
    this.timer = setInterval(() => void this.flush(), this.config.LAST_SEEN_FLUSH_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
    await this.writes;
  }

  connected(gateway: GatewayRecord): void {
    const n = (this.connections.get(gateway.id) ?? 0) + 1;
    this.connections.set(gateway.id, n);
    if (n === 1) this.record(gateway, true, 'connect');
  }

  disconnected(gateway: GatewayRecord, cause: StateCause): void {
    const n = (this.connections.get(gateway.id) ?? 0) - 1;
    if (n > 0) {
      this.connections.set(gateway.id, n);
      return;
    }
    if (!this.connections.delete(gateway.id)) return;
    this.record(gateway, false, cause);
  }

  /** The retained `state` topic: external-broker mode learns connectivity from it alone. */
  announced(gateway: GatewayRecord, online: boolean, cause: StateCause): void {
    const isOnline = this.connections.has(gateway.id);
    if (online === isOnline) return;
    if (online) this.connections.set(gateway.id, 1);
    else this.connections.delete(gateway.id);
    this.record(gateway, online, cause);
  }

  /** A gateway deleted from the registry: nothing to record (its history went with it), only to drop. */
  forget(gatewayId: string): void {
    if (this.connections.delete(gatewayId)) this.metrics.gatewaysOnline.set(this.connections.size);
  }

  isOnline(gatewayId: string): boolean {
    return this.connections.has(gatewayId);
  }

  /** Hot path: two map updates per reading. */
  seen(gatewayId: string, pointId: string, ts: number): void {
    touch(this.gatewaySeen, gatewayId, ts);
    touch(this.pointSeen, pointId, ts);
  }

  async flush(): Promise<void> {
    if (this.gatewaySeen.size === 0 && this.pointSeen.size === 0) return;
    const gateways = [...this.gatewaySeen.values()];
    const points = [...this.pointSeen.values()];
    this.gatewaySeen = new Map();
    this.pointSeen = new Map();
    try {
      await this.registry.runtime.flushLastSeen(gateways, points);
    } catch (err) {
      this.logger.warn(`last-seen flush failed, kept for the next one: ${(err as Error).message}`);
      for (const g of gateways) touch(this.gatewaySeen, g.id, g.last, g.first);
      for (const p of points) touch(this.pointSeen, p.id, p.last, p.first);
    }
  }

  private record(gateway: GatewayRecord, online: boolean, cause: StateCause): void {
    this.metrics.gatewaysOnline.set(this.connections.size);
    const at = new Date();
    this.logger.log(`gateway ${gateway.code} ${online ? 'online' : 'offline'} (${cause})`);
    // Serialized so history rows land in the order the transitions happened.
    this.writes = this.writes
      .then(() => this.registry.runtime.recordState(gateway.id, online, cause, at))
      .catch((err: Error) => this.logger.error(`cannot record ${gateway.code} ${online ? 'online' : 'offline'}: ${err.message}`));
  }
}

function touch(map: Map<string, LastSeen>, id: string, last: number, first = last): void {
  const entry = map.get(id);
  if (!entry) {
    map.set(id, { id, last, first });
    return;
  }
  if (last > entry.last) entry.last = last;
  if (first < entry.first) entry.first = first;
}
