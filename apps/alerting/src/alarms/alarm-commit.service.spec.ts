import type { AlarmStore, CommitRequest, CommittedEvent, TransitionOutcome } from '@sw/persistence';
import type { AlarmSnapshot, ConditionChange } from '@sw/rules';
import { FakeTimerDriver } from '@sw/testing';
import type { BrokerService } from '../broker/broker.service';
import type { NotificationPort } from '../notifications/notification.types';
import { MetricsService } from '../observability/metrics.service';
import { LeaseLostError, type PartitionLeaseService } from '../pipeline/partition-lease.service';
import type { PartitionOwnershipService } from '../pipeline/partition-ownership.service';
import type { RuleStateWriterService } from '../pipeline/rule-state-writer.service';
import { T0, factory } from '../testing/alerting-test.factory';
import { TimerService } from '../timers/timer.service';
import { AlarmCommitService } from './alarm-commit.service';
import { AlarmTrackerService } from './alarm-tracker.service';

/** AlarmStore.commit's contract in memory: `fn` applied to the stored alarm, events numbered gap-free; the first commit held until released. */
class HeldStore {
  readonly events: CommittedEvent[] = [];
  commits = 0;
  /** commits from this one on are refused by the lease fence */
  fencedFrom = Infinity;
  private stored: AlarmSnapshot | null = null;
  private release: () => void = () => undefined;
  private readonly held = new Promise<void>((resolve) => (this.release = resolve));

  open(): void {
    this.release();
  }

  async commit(req: CommitRequest): Promise<TransitionOutcome> {
    if (this.commits++ === 0) await this.held;
    if (this.commits >= this.fencedFrom) throw req.fence?.refused();
    const result = req.fn(this.stored);
    if (!result.ok) return result;
    const first = this.events.length + 1;
    const events = result.events.map((d, i) => ({ ...d, seq: first + i, alarm: { ...result.alarm, seq: first + i }, regionCode: req.regionCode }));
    this.stored = { ...result.alarm, seq: first + events.length - 1 };
    this.events.push(...events);
    return { ok: true, alarm: this.stored, events };
  }
}

describe(AlarmCommitService.name, () => {
  const point = factory.point();
  const rule = { id: `${point.id}:threshold`, kind: 'threshold' as const };
  let store: HeldStore;
  let sut: AlarmCommitService;

  const start = (at: number, value: number): ConditionChange => ({ kind: 'start', tier: 'orange', value, at });
  const end = (at: number, value: number): ConditionChange => ({ kind: 'end', tier: 'orange', value, at });

  beforeEach(() => {
    store = new HeldStore();
    const writer = { handOver: () => Promise.resolve(null), handedBack: () => undefined, hold: () => undefined, release: () => undefined } as unknown as RuleStateWriterService;
    const broker = { publish: (_t: string, _p: string, done: (err?: Error) => void) => done() } as unknown as BrokerService;
    const leases = { fence: () => ({ lockClass: 1, lockKey: 0, holderPid: 1, refused: () => new LeaseLostError(0) }) } as unknown as PartitionLeaseService;
    const ownership = { partitionOfPoint: () => 0 } as unknown as PartitionOwnershipService;
    const notifier: NotificationPort = { notify: () => undefined };
    sut = new AlarmCommitService(store as unknown as AlarmStore, writer, broker, new AlarmTrackerService(), new TimerService(new FakeTimerDriver(T0)), new MetricsService(), leases, ownership, notifier);
  });

  it('drains a backlog of condition changes of one alarm in fewer commits than changes, in order, each settled after its commit', async () => {
    // reading batches judged ahead of their acknowledgements (a replay): six incidents' edges queue behind the first commit
    const changes = [start(T0, 200), end(T0 + 1_500, 5), start(T0 + 3_000, 210), end(T0 + 4_500, 6), start(T0 + 6_000, 220), end(T0 + 7_500, 7)];
    const settled: number[] = [];
    const asked = changes.map((c, i) => sut.conditionChange(point, rule, c, T0, true).then(() => settled.push(i)));
    await Promise.resolve();
    expect(settled).toEqual([]); // nothing settles before its commit
    store.open();
    await Promise.all(asked);

    expect(store.events.map((e) => [e.seq, e.event])).toEqual([[1, 'raised'], [2, 'cleared'], [3, 'reactivated'], [4, 'cleared'], [5, 'reactivated'], [6, 'cleared']]);
    expect(store.commits).toBe(4); // [raised] [cleared reactivated] [cleared reactivated] [cleared]: not 6 round trips
    expect(settled).toEqual([0, 1, 2, 3, 4, 5]);
    // a group ends with its notifying event, so that event's snapshot (what the message names) is its own
    expect(store.events.filter((e) => e.event !== 'cleared').map((e) => [e.alarm.condition, e.alarm.value])).toEqual([['active', 200], ['active', 210], ['active', 220]]);
  });

  it('rejects every change of a fenced group with LeaseLostError, so none of their batches is acknowledged', async () => {
    const first = sut.conditionChange(point, rule, start(T0, 200), T0, true);
    const rest = [end(T0 + 1_500, 5), start(T0 + 3_000, 210)].map((c) => sut.conditionChange(point, rule, c, T0, true));
    store.fencedFrom = 2; // the lease is lost after the raise committed
    store.open();
    await first;
    for (const asked of rest) await expect(asked).rejects.toBeInstanceOf(LeaseLostError);
    expect(store.events.map((e) => e.event)).toEqual(['raised']);
    expect(store.commits).toBe(2); // the raise alone, the two behind it together
  });
});
