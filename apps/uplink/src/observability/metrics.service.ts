import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of the uplink (docs/contracts.md §4 and §6). */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly enqueued = new Counter({ name: 'uplink_messages_enqueued_total', help: 'Messages put in the outbox, by type', labelNames: ['type'], registers: [this.registry] });
  readonly delivered = new Counter({ name: 'uplink_messages_delivered_total', help: 'Messages the province confirmed, by type', labelNames: ['type'], registers: [this.registry] });
  readonly requests = new Counter({ name: 'uplink_requests_total', help: 'Batches sent to the province, by outcome (delivered, gap, retry)', labelNames: ['outcome'], registers: [this.registry] });
  readonly failures = new Counter({ name: 'uplink_failures_total', help: 'Batches the province did not take, by code (HTTP_503, SIGNATURE_INVALID, NETWORK, …)', labelNames: ['code'], registers: [this.registry] });
  readonly requestSeconds = new Histogram({ name: 'uplink_request_seconds', help: 'Time of one batch request', buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15], registers: [this.registry] });
  readonly backlog = new Gauge({ name: 'uplink_backlog_messages', help: 'Messages in the outbox not yet confirmed by the province, by type', labelNames: ['type'], registers: [this.registry] });
  readonly lag = new Gauge({ name: 'uplink_lag_seconds', help: 'Age of the oldest record not yet confirmed by the province (0 when none is waiting)', registers: [this.registry] });
  readonly enterprisesBehind = new Gauge({ name: 'uplink_enterprises_behind', help: 'Enterprises with messages waiting', registers: [this.registry] });
  readonly lastSuccess = new Gauge({ name: 'uplink_last_success_timestamp_seconds', help: 'When the province last confirmed a batch (epoch seconds; 0 never)', registers: [this.registry] });
  readonly active = new Gauge({ name: 'uplink_active', help: '1 when this instance holds the uplink lock and forwards, 0 when idle or standby', registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'uplink_' });
  }
}
