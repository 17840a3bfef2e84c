import { Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { AlarmCommitService } from '../alarms/alarm-commit.service';
import { BrokerService } from '../broker/broker.service';
import { TimerService } from '../timers/timer.service';
import { PartitionHandoverService } from './partition-handover.service';
import { RegistryChangeService } from './registry-change.service';
import { RuleStateWriterService } from './rule-state-writer.service';

const DRAIN_MS = 10_000;

/**
 * Starts and stops alerting in an order that loses nothing: the registry (LISTEN before load) and
 * the following of its changes, the control session (operator events, routed by EventFollowerService
 * at module init), then the partitions this instance wins leases for (PartitionHandoverService:
 * each restored before its persistent broker session opens). Stopping hands every partition over
 * first (sessions closed, transitions settled, states written, leases let go), then closes the
 * control session, stops the timers, drains the commits, flushes the states and stops the registry.
 */
@Injectable()
export class PipelineService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly changes: RegistryChangeService,
    private readonly handover: PartitionHandoverService,
    private readonly broker: BrokerService,
    private readonly timers: TimerService,
    private readonly commits: AlarmCommitService,
    private readonly writer: RuleStateWriterService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.changes.start();
    await this.broker.start();
    await this.handover.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.handover.stop(); // partitions handed over with their states written
    await this.broker.stop();
    this.timers.stop();
    await this.commits.drain(DRAIN_MS);
    await this.writer.stop();
    await this.changes.stop();
  }
}
