import { Injectable, type OnModuleInit } from '@nestjs/common';
import { decodeCommittedEvent } from '@sw/persistence';
import { TOPICS } from '@sw/sensors';
import { AlarmTrackerService } from '../alarms/alarm-tracker.service';
import { BrokerService } from '../broker/broker.service';
import { MetricsService } from '../observability/metrics.service';
import { PartitionOwnershipService } from './partition-ownership.service';

/**
 * Follows what other processes commit (api: ack, shelve, close …): every `internal/events` message
 * on the control session about an owned point updates the tracker, which keeps the newer snapshot
 * by `seq` whichever way it arrives (docs/architecture.md "Alarms: one writer, one sequence").
 */
@Injectable()
export class EventFollowerService implements OnModuleInit {
  constructor(
    private readonly broker: BrokerService,
    private readonly ownership: PartitionOwnershipService,
    private readonly tracker: AlarmTrackerService,
    private readonly metrics: MetricsService,
  ) {}

  // a control-session route is registered before the broker starts (PipelineService, at bootstrap)
  onModuleInit(): void {
    this.broker.route(TOPICS.events, (_topic, payload) => this.follow(payload));
  }

  follow(payload: Buffer): void {
    const alarm = decodeCommittedEvent(payload)?.alarm; // the one committed-event schema (@sw/persistence)
    if (!alarm || !this.ownership.ownsPoint(alarm.pointId)) return;
    this.metrics.eventsFollowed.inc();
    this.tracker.apply(alarm, 'followed');
  }
}
