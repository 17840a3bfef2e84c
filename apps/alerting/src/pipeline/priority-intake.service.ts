import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { decodePriorityReading, hopKey, hopTrace, TOPICS } from '@sw/sensors';
import { BrokerService } from '../broker/broker.service';
import { ALERTING_CONFIG, type AlertingConfig } from '../config/alerting.config';
import { MetricsService } from '../observability/metrics.service';
import { TimerService } from '../timers/timer.service';
import { EvaluationService } from './evaluation.service';
import { PartitionOwnershipService } from './partition-ownership.service';

const PRIORITY_PREFIX = TOPICS.priority(0).slice(0, -1);

/**
 * The alarm fast lane's intake (docs/architecture.md): ingest's `internal/priority/{p}` copies
 * (QoS 0) come on the control session, not behind the partition sessions' batches, and are
 * evaluated at once for the partitions this instance owns. Nothing to acknowledge: the batched copy
 * is the durable one, and its batch is acknowledged only after what the early evaluation caused is committed.
 */
@Injectable()
export class PriorityIntakeService implements OnModuleInit {
  constructor(
    @Inject(ALERTING_CONFIG) private readonly config: AlertingConfig,
    private readonly broker: BrokerService,
    private readonly ownership: PartitionOwnershipService,
    private readonly evaluation: EvaluationService,
    private readonly timers: TimerService,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    if (this.config.PRIORITY_LANE) this.broker.route(TOPICS.priorityAll, (topic, payload) => this.handle(topic, payload));
  }

  handle(topic: string, payload: Buffer): void {
    const partition = Number(topic.slice(PRIORITY_PREFIX.length));
    if (!this.ownership.owns(partition)) return;
    const r = decodePriorityReading(payload);
    if (!r) return void this.metrics.priorityReadings.inc({ outcome: 'invalid' });
    if (hopTrace.on && hopTrace.traces(r.pointId)) hopTrace.mark('alerting.receive', hopKey(r.pointId, r.receivedAt));
    const taken = this.evaluation.onPriority(r, this.timers.now());
    this.metrics.priorityReadings.inc({ outcome: taken ? 'early' : 'left_to_batch' });
  }
}
