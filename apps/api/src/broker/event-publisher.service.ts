import { Injectable, Logger } from '@nestjs/common';
import { type CommittedEvent } from '@sw/persistence';
import { TOPICS } from '@sw/sensors';
import { MetricsService } from '../observability/metrics.service';
import { BrokerService } from './broker.service';
import { LocalBusService } from './local-bus.service';

/**
 * Announces committed alarm events (docs/architecture.md: committed before announced): each one as a
 * `CommittedEvent` JSON on `internal/events` with QoS 1, in seq order, and to this process's own
 * live feed at once. A publish that fails is logged; the live feeds of every api instance fill
 * such a gap from PostgreSQL (they follow the global seq).
 */
@Injectable()
export class EventPublisherService {
  private readonly logger = new Logger(EventPublisherService.name);

  constructor(
    private readonly broker: BrokerService,
    private readonly bus: LocalBusService,
    private readonly metrics: MetricsService,
  ) {}

  announce(events: CommittedEvent[]): void {
    if (events.length === 0) return;
    this.bus.emit('alarm.committed', events);
    for (const event of events) {
      this.broker.publish(TOPICS.events, JSON.stringify(event), 1).then(
        () => this.metrics.eventsPublished.inc(),
        (err: Error) => this.logger.error(`publish of event ${event.seq} failed: ${err.message}`),
      );
    }
  }
}
