import { Injectable } from '@nestjs/common';
import { AlarmCommitService } from '../alarms/alarm-commit.service';
import { BrokerService } from '../broker/broker.service';
import { PartitionLeaseService } from './partition-lease.service';
import { PartitionStateService } from './partition-state.service';
import { ReadingIntakeService } from './reading-intake.service';

/** How long a handed-over partition's in-flight transitions may take before the lease is let go anyway (the fence stops them then). */
const SETTLE_MS = 5_000;

/**
 * Takes partitions over and hands them over as PartitionLeaseService wins or gives up their leases
 * (docs/architecture.md "Scale-out"). A partition is restored before its persistent broker session
 * opens, so the readings queued there meet a fully restored state; it is handed over in the reverse
 * order: its session closes first (unacknowledged batches stay queued at the broker), its
 * transitions settle, its states are written, and only then is the lease let go.
 */
@Injectable()
export class PartitionHandoverService {
  constructor(
    private readonly leases: PartitionLeaseService,
    private readonly state: PartitionStateService,
    private readonly broker: BrokerService,
    private readonly intake: ReadingIntakeService,
    private readonly commits: AlarmCommitService,
  ) {}

  /** Joins the leases: the first share of partitions is acquired before this resolves. */
  start(): Promise<void> {
    return this.leases.start({
      acquire: (partitions) => this.acquire(partitions),
      release: (partitions, lost) => this.release(partitions, lost),
    });
  }

  /** Every partition handed over with its states written, the leases let go. */
  stop(): Promise<void> {
    return this.leases.stop();
  }

  /**
   * Takes over partitions: their alarms and persisted states, reconciled, with every timer re-armed;
   * then their broker sessions, with what was queued for them while nobody owned them.
   */
  async acquire(partitions: readonly number[]): Promise<void> {
    await this.state.restore(partitions);
    await Promise.all(partitions.map((p) => this.broker.openPartition(p, (topic, payload) => this.intake.handle(topic, payload) ?? undefined)));
  }

  /**
   * Hands partitions over: their sessions closed (the broker keeps what is unacknowledged), their
   * transitions settled, states written, slots and timers dropped; nothing is ended. `lost`: the
   * lease is gone already, so close at once (the fence stops whatever is still in flight).
   */
  async release(partitions: readonly number[], lost = false): Promise<void> {
    await Promise.all(partitions.map((p) => this.broker.closePartition(p, lost)));
    if (!lost) await this.commits.settle(SETTLE_MS);
    await this.state.release(partitions, lost);
  }
}
