import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of alerting (docs/contracts.md §4: `/metrics` on every app). */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly priorityReadings = new Counter({ name: 'alerting_priority_readings_total', help: 'Fast-lane copies: evaluated early, left to their batch, or invalid', labelNames: ['outcome'], registers: [this.registry] });
  readonly readingsEvaluated = new Counter({ name: 'alerting_readings_evaluated_total', help: 'Readings evaluated against their points\' rules', registers: [this.registry] });
  readonly readingsIgnored = new Counter({ name: 'alerting_readings_ignored_total', help: 'Readings not evaluated, by reason', labelNames: ['reason'], registers: [this.registry] });
  readonly pointsAdopted = new Counter({ name: 'alerting_points_adopted_total', help: 'Points adopted from PostgreSQL on their first reading, before their registry NOTIFY was applied', registers: [this.registry] });
  readonly batchesRejected = new Counter({ name: 'alerting_reading_batches_rejected_total', help: 'Reading batches that could not be decoded', registers: [this.registry] });
  readonly transitions = new Counter({ name: 'alerting_transitions_total', help: 'Alarm events committed by alerting, by event', labelNames: ['event'], registers: [this.registry] });
  readonly transitionsFenced = new Counter({ name: 'alerting_transitions_fenced_total', help: 'Alarm transitions not committed because the partition lease was no longer ours', registers: [this.registry] });
  readonly partitionsOwned = new Gauge({ name: 'alerting_partitions_owned', help: 'Reading partitions whose lease this instance holds', registers: [this.registry] });
  readonly leaseMembers = new Gauge({ name: 'alerting_lease_members', help: 'Live alerting instances sharing the partitions, as last seen', registers: [this.registry] });
  readonly transitionsGrouped = new Counter({ name: 'alerting_transitions_grouped_total', help: 'Alarm transitions committed together with an earlier one of the same alarm (a backlog drained in fewer commits)', registers: [this.registry] });
  readonly transitionRetries = new Counter({ name: 'alerting_transition_retries_total', help: 'Alarm transitions retried after a database error', registers: [this.registry] });
  readonly eventsPublished = new Counter({ name: 'alerting_events_published_total', help: 'Committed events published on internal/events', registers: [this.registry] });
  readonly eventPublishFailures = new Counter({ name: 'alerting_event_publish_failures_total', help: 'Committed events whose publish failed (the live feed fills the hole from PostgreSQL)', registers: [this.registry] });
  readonly outcomeWriteRetries = new Counter({ name: 'alerting_notification_outcome_retries_total', help: 'Notification outcomes whose write was retried after a database error (the message was already sent)', registers: [this.registry] });
  readonly resumedLookups = new Counter({
    name: 'alerting_notification_resumed_lookups_total',
    help: 'Outbox rows resumed after their sender stopped between send and record, looked up at the vendor by their key before sending (result: sent = not sent again, not_sent, unknown = sent again)',
    labelNames: ['result'],
    registers: [this.registry],
  });
  readonly expiringLeases = new Counter({ name: 'alerting_notification_expiring_leases_total', help: 'Outbox rows released unsent because their lease was about to run out (their next holder sends them)', registers: [this.registry] });
  readonly eventsFollowed = new Counter({ name: 'alerting_events_followed_total', help: 'Events read from internal/events (operator actions stop or restart timers)', registers: [this.registry] });
  readonly stateWrites = new Counter({ name: 'alerting_rule_state_rows_written_total', help: 'Rule states written to rule_states (batched)', registers: [this.registry] });
  readonly stateFlushes = new Counter({ name: 'alerting_rule_state_flushes_total', help: 'Batched writes to rule_states', registers: [this.registry] });
  readonly evaluationLatency = new Histogram({
    name: 'alerting_evaluation_latency_seconds',
    help: 'From ingest receiving a reading to the alarm transition it caused being committed',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly timerHeapSize = new Gauge({ name: 'alerting_timer_heap_size', help: 'Pending deadlines in the timer heap, by lane', labelNames: ['lane'], registers: [this.registry] });
  readonly timerLateness = new Gauge({ name: 'alerting_timer_lateness_seconds', help: 'How late the last fired deadline was', registers: [this.registry] });
  readonly points = new Gauge({ name: 'alerting_points', help: 'Points evaluated by this instance', registers: [this.registry] });
  readonly alarmsTracked = new Gauge({ name: 'alerting_alarms_not_closed', help: 'Alarms that are not closed, followed for escalation and shelving', registers: [this.registry] });
  readonly pendingTransitions = new Gauge({ name: 'alerting_pending_transitions', help: 'Alarm transitions waiting to commit', registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'alerting_' });
  }
}
