import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of ingest (docs/contracts.md §4: `/metrics` on every app). */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly messagesReceived = new Counter({ name: 'ingest_messages_received_total', help: 'Telemetry messages received', registers: [this.registry] });
  readonly messagesDuplicate = new Counter({ name: 'ingest_messages_duplicate_total', help: 'Telemetry messages ignored as QoS 1 redeliveries (same seq and ts)', registers: [this.registry] });
  readonly registryRefreshes = new Counter({ name: 'ingest_registry_refreshes_total', help: 'Telemetry messages that named a point the cached registry did not know and waited for PostgreSQL', registers: [this.registry] });
  readonly readingsReceived = new Counter({ name: 'ingest_readings_received_total', help: 'Readings accepted from gateways', registers: [this.registry] });
  readonly readingsRejected = new Counter({ name: 'ingest_readings_rejected_total', help: 'Readings or messages rejected, by reason', labelNames: ['reason'], registers: [this.registry] });
  readonly readingsWritten = new Counter({ name: 'ingest_readings_written_total', help: 'Readings acknowledged by InfluxDB', registers: [this.registry] });
  readonly readingsSpooled = new Counter({ name: 'ingest_readings_spooled_total', help: 'Readings written to the on-disk spool while InfluxDB was unavailable', registers: [this.registry] });
  readonly readingsHeld = new Gauge({ name: 'ingest_readings_held', help: 'Readings held in memory because the spool could not take them (at SPOOL_MAX_BYTES or its disk failing); their PUBACKs wait for InfluxDB', registers: [this.registry] });
  readonly readingsHeldTotal = new Counter({ name: 'ingest_readings_held_total', help: 'Readings that had to be held in memory because the spool could not take them', registers: [this.registry] });
  readonly readingsDropped = new Counter({ name: 'ingest_readings_dropped_total', help: 'Readings dropped: held beyond INFLUX_HOLD_MAX_READINGS while InfluxDB and the spool were both unavailable (oldest first)', registers: [this.registry] });
  readonly readingsRefusedByInflux = new Counter({ name: 'ingest_readings_refused_by_influx_total', help: 'Readings InfluxDB answered 400 for (e.g. beyond its retention policy)', registers: [this.registry] });
  readonly spoolBytes = new Gauge({ name: 'ingest_spool_bytes', help: 'Bytes waiting in the on-disk spool', registers: [this.registry] });
  readonly influxWriteFailures = new Counter({ name: 'ingest_influx_write_failures_total', help: 'Failed InfluxDB writes', registers: [this.registry] });
  readonly batchLatency = new Histogram({
    name: 'ingest_influx_batch_seconds',
    help: 'Time from a batch being cut to InfluxDB acknowledging it',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly readingsPublished = new Counter({ name: 'ingest_readings_published_total', help: 'Normalized readings published on the partition topics', registers: [this.registry] });
  readonly priorityReadings = new Counter({ name: 'ingest_priority_readings_total', help: 'Readings also sent on the alarm fast lane (internal/priority/{p})', registers: [this.registry] });
  readonly gatewaysOnline = new Gauge({ name: 'ingest_gateways_online', help: 'Gateways connected now', registers: [this.registry] });
  readonly authFailures = new Counter({ name: 'ingest_auth_failures_total', help: 'Refused MQTT connections and topic violations', labelNames: ['reason'], registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'ingest_' });
  }
}
