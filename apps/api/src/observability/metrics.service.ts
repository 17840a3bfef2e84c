import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Prometheus metrics of the api (docs/contracts.md §4: `/metrics` on every app). */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({ name: 'api_http_requests_total', help: 'HTTP requests answered, by method, route and status', labelNames: ['method', 'route', 'status'], registers: [this.registry] });
  readonly httpSeconds = new Histogram({
    name: 'api_http_request_seconds',
    help: 'HTTP request duration',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly loginFailures = new Counter({ name: 'api_login_failures_total', help: 'Refused logins, by reason: credentials (wrong or disabled) or throttled (back-off)', labelNames: ['reason'], registers: [this.registry] });
  readonly loginVerifications = new Counter({ name: 'api_login_verifications_total', help: 'Password hashes verified (argon2id) for login attempts the throttle let through', registers: [this.registry] });
  readonly eventsPublished = new Counter({ name: 'api_events_published_total', help: 'Committed alarm events published on internal/events', registers: [this.registry] });
  readonly liveSockets = new Gauge({ name: 'api_live_sockets', help: 'Open live-feed WebSockets', registers: [this.registry] });
  readonly liveEvents = new Counter({ name: 'api_live_events_total', help: 'Alarm events the live feed took in, in seq order', registers: [this.registry] });
  readonly liveGapFills = new Counter({ name: 'api_live_gap_fills_total', help: 'Holes in the event sequence filled from PostgreSQL', registers: [this.registry] });
  readonly liveHead = new Gauge({ name: 'api_live_head_seq', help: 'Last event seq the live feed delivered', registers: [this.registry] });
  readonly liveDropped = new Counter({ name: 'api_live_sockets_dropped_total', help: 'Live sockets dropped, by reason', labelNames: ['reason'], registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'api_' });
  }
}
