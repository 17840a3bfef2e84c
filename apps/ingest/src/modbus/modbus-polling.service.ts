import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ModbusHostPolicy, type GatewayRecord, type PointRecord } from '@sw/persistence';
import { checkReadingForPoint, POINT_CATALOG, type TimerDriver } from '@sw/sensors';
import { INGEST_CONFIG, type IngestConfig } from '../config/ingest.config';
import { GatewayRegistryService } from '../gateways/gateway-registry.service';
import { GatewayStateService } from '../gateways/gateway-state.service';
import { MetricsService } from '../observability/metrics.service';
import { ReadingSinkService } from '../readings/reading-sink.service';
import { AllowedHostsConnector } from './allowed-hosts.connector';
import { GatewayPoller, type PolledReading, type PollerOptions } from './gateway-poller';
import { ModbusMetrics } from './modbus-metrics';
import { ModbusSerialConnector } from './modbus-serial.provider';

/** The pollers' time: the system clock and timers (specs give a poller a fake one). */
const systemTimers: TimerDriver = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Keeps one GatewayPoller per modbus-tcp gateway of the registry: started, updated and stopped
 * as the registry changes (NOTIFY → GatewayRegistryService.onChange), so gateways and register
 * maps created or changed through the CLI or REST take effect without a restart. Polled readings
 * enter the same pipeline as MQTT telemetry (ReadingSinkService).
 */
@Injectable()
export class ModbusPollingService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ModbusPollingService.name);
  private readonly pollers = new Map<string, GatewayPoller>(); // by gateway id: a renamed gateway keeps its poller
  private readonly modbusMetrics: ModbusMetrics;
  private readonly options: PollerOptions;
  private running = false;

  constructor(
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
    private readonly registry: GatewayRegistryService,
    private readonly state: GatewayStateService,
    private readonly sink: ReadingSinkService,
    private readonly metrics: MetricsService,
  ) {
    this.modbusMetrics = new ModbusMetrics(metrics.registry);
    this.options = {
      connector: new AllowedHostsConnector(new ModbusSerialConnector(), ModbusHostPolicy.parse(config.MODBUS_ALLOWED_CIDRS)),
      metrics: this.modbusMetrics,
      logger: this.logger,
      onReadings: (gateway, readings) => this.accept(gateway, readings),
      onState: (gateway, online, cause) => this.state.announced(gateway, online, cause),
      validate: (point, value) => validate(point, value),
      backoff: { minMs: config.MODBUS_BACKOFF_MIN_MS, maxMs: Math.max(config.MODBUS_BACKOFF_MIN_MS, config.MODBUS_BACKOFF_MAX_MS) },
      timers: systemTimers,
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.MODBUS_POLLING) {
      this.logger.log('Modbus polling is off (MODBUS_POLLING=false)');
      return;
    }
    // This process alone polls: periods a previous run left open are closed, as for MQTT sessions.
    const closed = await this.registry.runtime.markAllOffline('modbus-tcp', 'startup', new Date());
    if (closed > 0) this.logger.warn(`${closed} modbus-tcp gateways were left online by a previous run; marked offline`);
    this.running = true;
    this.registry.onChange(() => this.sync());
    this.sync();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    const pollers = [...this.pollers.values()];
    this.pollers.clear();
    await Promise.all(pollers.map((p) => p.stop()));
    for (const p of pollers) if (p.isOnline) this.state.announced(p.gateway, false, 'shutdown');
  }

  /** The pollers in force, by gateway code (for tests and diagnostics). */
  poller(code: string): GatewayPoller | undefined {
    return [...this.pollers.values()].find((p) => p.gateway.code === code);
  }

  private sync(): void {
    if (!this.running) return;
    const present = new Map<string, GatewayRecord>();
    for (const gateway of this.registry.all()) {
      present.set(gateway.id, gateway);
      if (gateway.protocol !== 'modbus-tcp' || !gateway.modbus) continue;
      const poller = this.pollers.get(gateway.id);
      if (!poller) this.start(gateway);
      else if (poller.gateway !== gateway) poller.update(gateway);
    }
    for (const [id, poller] of this.pollers) {
      const gateway = present.get(id);
      if (gateway?.protocol === 'modbus-tcp' && gateway.modbus) continue;
      this.pollers.delete(id);
      this.logger.log(`${poller.gateway.code}: ${gateway ? 'no longer modbus-tcp' : 'deleted'}; polling stopped`);
      void poller.stop();
      if (gateway) this.state.announced(gateway, false, 'reconfigured');
      else this.state.forget(id);
    }
    this.modbusMetrics.gatewaysPolled.set(this.pollers.size);
  }

  private start(gateway: GatewayRecord): void {
    const poller = new GatewayPoller(gateway, this.options);
    this.pollers.set(gateway.id, poller);
    const { host, port, unitId, pollIntervalMs } = gateway.modbus as NonNullable<GatewayRecord['modbus']>;
    const unmapped = [...gateway.points.values()].filter((p) => !p.register).length;
    this.logger.log(
      `${gateway.code}: polling ${host}:${port} unit ${unitId} every ${pollIntervalMs} ms, ${poller.requests.length} requests` +
        (unmapped > 0 ? `; ${unmapped} points without a register map are not polled` : ''),
    );
    poller.start();
  }

  private accept(gateway: GatewayRecord, readings: PolledReading[]): void {
    const receivedAt = Date.now();
    for (const r of readings) this.sink.accept(gateway, r.point, r.value, r.quality, r.ts, receivedAt);
    this.metrics.readingsReceived.inc(readings.length);
  }
}

/** The check MQTT readings get (docs/contracts.md §1): a digital point reads 0 or 1. */
function validate(point: PointRecord, value: number): string | null {
  return checkReadingForPoint({ point: point.code, value, ts: 0, quality: 'good', boolean: false }, POINT_CATALOG[point.type]);
}
