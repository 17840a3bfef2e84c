import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/**
 * Modbus polling metrics, registered on ingest's registry (`/metrics`). Gateway codes are a label
 * because a plant has tens of polled devices, not thousands, and "which device fails" is the
 * question these answer.
 */
export class ModbusMetrics {
  readonly polls: Counter<'gateway' | 'result'>;
  readonly pollSeconds: Histogram;
  readonly failures: Counter<'gateway' | 'reason'>;
  readonly requests: Counter;
  readonly badReadings: Counter<'reason'>;
  readonly gatewaysPolled: Gauge;

  constructor(registry: Registry) {
    const registers = [registry];
    this.polls = new Counter({ name: 'ingest_modbus_polls_total', help: 'Modbus poll cycles by gateway and result (ok: the device answered every request, possibly with exceptions; failed: not reached)', labelNames: ['gateway', 'result'], registers });
    this.pollSeconds = new Histogram({
      name: 'ingest_modbus_poll_seconds',
      help: 'Duration of a successful poll cycle (all requests of one gateway)',
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.failures = new Counter({ name: 'ingest_modbus_failures_total', help: 'Failed Modbus requests and connections by gateway and reason (refused, timeout, closed, exception_2, invalid_map, …)', labelNames: ['gateway', 'reason'], registers });
    this.requests = new Counter({ name: 'ingest_modbus_requests_total', help: 'Modbus read requests sent', registers });
    this.badReadings = new Counter({ name: 'ingest_modbus_bad_readings_total', help: 'Polled readings stored as quality bad, by reason', labelNames: ['reason'], registers });
    this.gatewaysPolled = new Gauge({ name: 'ingest_modbus_gateways_polled', help: 'modbus-tcp gateways being polled', registers });
  }
}
