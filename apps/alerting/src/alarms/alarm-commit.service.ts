import { Inject, Injectable, Logger } from '@nestjs/common';
import { AlarmStore, type AlarmKey, type CommittedEvent, type EvaluationPoint, type RuleStateRow, type TransitionOutcome } from '@sw/persistence';
import { alarmNotFound, applyConditionChange, type AlarmError, type AlarmEventDraft, type AlarmResult, type AlarmSnapshot, type ConditionChange, type RuleState } from '@sw/rules';
import { hopKey, hopTrace, TOPICS } from '@sw/sensors';
import { BrokerService } from '../broker/broker.service';
import { NOTIFICATION_PORT, type NotificationPort } from '../notifications/notification.types';
import { notifiesAnyone } from '../notifications/outbox-writer.service';
import { MetricsService } from '../observability/metrics.service';
import { LeaseLostError, PartitionLeaseService, type Fence } from '../pipeline/partition-lease.service';
import { PartitionOwnershipService } from '../pipeline/partition-ownership.service';
import { RuleStateWriterService } from '../pipeline/rule-state-writer.service';
import { TimerService } from '../timers/timer.service';
import { alarmContext, contextOfAlarm, type RuleRef } from './alarm-context.factory';
import { AlarmTrackerService } from './alarm-tracker.service';

interface Job {
  /** Transitions of one chain commit in the order they were asked for. */
  chain: string;
  key: AlarmKey;
  regionCode: string;
  fn: (current: AlarmSnapshot | null) => AlarmResult;
  /** Condition changes commit with the rule state that caused them, or after it is stored (restart reconciles from it). */
  afterState: boolean;
  /** The lease check of the point's partition, taken when the job was asked for (none for gateway-level alarms). */
  fence: Fence | undefined;
  /** The rule state after the change (condition changes of a reading or timer), stored with the transition. */
  cause?: RuleState;
  /** Ingest's time of receipt of the reading that caused it (wall clock), for the latency histogram. */
  receivedAt: number | null;
  what: string;
  /** set when the lease fence refused it */
  fenced?: boolean;
  /** settles the promise its asker holds */
  done: () => void;
}

type JobOf = Omit<Job, 'done'>;

const RETRY_MAX_MS = 10_000;
/** Condition changes of one alarm committed together at most (a backlog after an outage). */
const GROUP_MAX = 32;

/**
 * Commits alarm transitions through `AlarmStore.commit` (one transaction each, gap-free `seq`; one
 * statement when the alarm is as we last saw it) and only then announces them: each committed event goes out on `internal/events` as a
 * `CommittedEvent` JSON (QoS 1). A lost publish leaves the event in PostgreSQL, where the live
 * feed fills its hole from. Transitions of one alarm key commit in order; different keys overlap.
 * Condition changes of one key that queued up behind a commit in flight (a replay after an outage,
 * its batches judged ahead of their acknowledgements) commit together, as one transition of several
 * events ({@link composed}): a backlog of n drains in fewer than n commit round trips.
 * A database error is retried with backoff, so a PostgreSQL outage delays alarms but loses none.
 */
@Injectable()
export class AlarmCommitService {
  private readonly logger = new Logger(AlarmCommitService.name);
  private readonly chains = new Map<string, Promise<void>>();
  /** the jobs of a chain waiting behind the one in flight (taken by that chain's worker) */
  private readonly queued = new Map<string, Job[]>();
  private inFlight = 0;
  private stopping = false;

  constructor(
    private readonly store: AlarmStore,
    private readonly writer: RuleStateWriterService,
    private readonly broker: BrokerService,
    private readonly tracker: AlarmTrackerService,
    private readonly timers: TimerService,
    private readonly metrics: MetricsService,
    private readonly leases: PartitionLeaseService,
    private readonly ownership: PartitionOwnershipService,
    @Inject(NOTIFICATION_PORT) private readonly notifier: NotificationPort,
  ) {}

  get pending(): number {
    return this.inFlight;
  }

  /**
   * A rule's condition started, changed tier or ended on a point (docs/contracts.md §3 rows 1–4).
   * `strict` (a reading caused it): the promise rejects with a {@link LeaseLostError} when the
   * transition was fenced, so the reading batch is not acknowledged and the broker hands it to the
   * partition's next owner (possibly this instance again, restored from PostgreSQL), which judges it
   * anew; acknowledged, its incident would be gone. `cause`: the rule state after the change, stored
   * with it (when not given, the latest state marked for the rule is).
   */
  conditionChange(point: EvaluationPoint, rule: RuleRef, change: ConditionChange, receivedAt: number | null, strict = false, cause?: RuleState): Promise<void> {
    const ctx = alarmContext(point, rule, this.timers.now());
    const job: JobOf = {
      chain: `${rule.id}|${point.id}`,
      key: { ruleId: rule.id, subject: point.id },
      regionCode: point.regionCode,
      fn: (current) => applyConditionChange(current, change, ctx),
      afterState: true,
      fence: this.fenceOf(point.id),
      cause,
      receivedAt,
      what: `${change.kind} ${change.tier} of rule ${rule.id}`,
    };
    const done = this.enqueue(job);
    if (!strict) return done;
    return done.then(() => {
      if (job.fenced) throw new LeaseLostError(this.ownership.partitionOfPoint(point.id));
    });
  }

  /** A system action on an existing alarm (escalation, shelf expiry, maintenance), judged on its locked snapshot. */
  alarmAction(alarm: AlarmSnapshot, what: string, fn: (current: AlarmSnapshot) => AlarmResult): Promise<void> {
    return this.enqueue({
      chain: alarm.id,
      key: { id: alarm.id },
      regionCode: '',
      fn: (current) => (current ? fn(current) : alarmNotFound(alarm.id)),
      afterState: false,
      fence: this.fenceOf(alarm.pointId),
      receivedAt: null,
      what: `${what} of alarm ${alarm.id}`,
    });
  }

  /** Ends the condition of an alarm whose rule or point is gone (no state or context left to judge it by). */
  endCondition(alarm: AlarmSnapshot, now: number): Promise<void> {
    return this.alarmAction(alarm, 'end (rule or point gone)', (current) =>
      applyConditionChange(current, { kind: 'end', tier: current.tier, value: null, at: now }, contextOfAlarm(current)),
    );
  }

  /** Stops retrying for ever and waits (up to `timeoutMs`) for what is in flight. */
  async drain(timeoutMs: number): Promise<void> {
    this.stopping = true;
    const all = Promise.all([...this.chains.values()]).then(() => undefined);
    await Promise.race([all, new Promise((r) => setTimeout(r, timeoutMs).unref())]);
  }

  /** Waits (up to `timeoutMs`) for what is in flight now, without stopping (partitions being handed over). */
  async settle(timeoutMs: number): Promise<void> {
    const all = Promise.all([...this.chains.values()]).then(() => undefined);
    await Promise.race([all, new Promise((r) => setTimeout(r, timeoutMs).unref())]);
  }

  private fenceOf(pointId: string | null): Fence | undefined {
    return pointId === null ? undefined : this.leases.fence(this.ownership.partitionOfPoint(pointId));
  }

  private enqueue(asked: JobOf): Promise<void> {
    this.metrics.pendingTransitions.set(++this.inFlight);
    let done = (): void => undefined;
    const settled = new Promise<void>((resolve) => (done = resolve));
    const job: Job = Object.assign(asked, { done });
    const key = job.key;
    if (job.afterState && 'ruleId' in key) {
      // the rule's newer states wait for this transition (rule-state-writer: hold)
      this.writer.hold(key.subject, key.ruleId);
      job.done = () => {
        this.writer.release(key.subject, key.ruleId);
        done();
      };
    }
    const queue = this.queued.get(job.chain);
    if (queue) queue.push(job); // its chain's worker takes it after what is in flight
    else {
      const fresh = [job];
      this.queued.set(job.chain, fresh);
      const worker = this.work(job.chain, fresh).finally(() => {
        if (this.chains.get(job.chain) === worker) this.chains.delete(job.chain);
      });
      this.chains.set(job.chain, worker);
    }
    return settled;
  }

  // One chain's jobs in order: each time, the head and the condition changes queued behind it.
  private async work(chain: string, queue: Job[]): Promise<void> {
    for (;;) {
      const group = takeGroup(queue);
      const used = await this.run(group).catch((err: Error) => {
        this.logger.error(`${group[0]?.what} failed: ${err.stack ?? err.message}`);
        return group.length;
      });
      queue.unshift(...group.slice(used)); // judged again, on what the others committed
      for (const job of group.slice(0, used)) {
        this.metrics.pendingTransitions.set(--this.inFlight);
        job.done();
      }
      if (queue.length === 0) {
        this.queued.delete(chain); // in the same turn as the check: a job asked after it starts a new worker
        return;
      }
    }
  }

  // Commits the group as one transition; answers how many of its jobs that took (the rest go again).
  private async run(queued: Job[]): Promise<number> {
    const job = queued[0] as Job;
    // as many as compose on the alarm as we know it; in the store, all of them or the first alone
    const group = queued.length > 1 ? queued.slice(0, this.composable(queued)) : queued;
    // the rule state that caused a condition change is stored with the transition, never after it
    const state = job.afterState && 'ruleId' in job.key ? await this.writer.handOver(job.key.subject, job.key.ruleId, group.at(-1)?.cause) : null;
    const fn = group.length > 1 ? composed(group.map((j) => j.fn), notifiesAnyone, true).fn : job.fn;
    const outcome = await this.transition({ ...job, fn }, state ?? undefined);
    if (outcome !== null && outcome !== 'fenced' && !outcome.ok && outcome.reason === REGROUP.reason) {
      if (state) this.writer.handedBack(state, false);
      return this.run([job]); // the stored alarm was not the one we knew: the first change alone, judged on it
    }
    if (outcome === 'fenced') for (const j of group) j.fenced = true;
    if (state) this.writer.handedBack(state, outcome !== null && outcome !== 'fenced' && outcome.ok && outcome.events.length > 0, outcome !== 'fenced');
    if (outcome && outcome !== 'fenced') this.committed(group, outcome);
    if (group.length > 1) this.metrics.transitionsGrouped.inc(group.length - 1);
    return group.length;
  }

  // How many of the queued condition changes compose into one transition on the alarm as last committed.
  private composable(queued: Job[]): number {
    const job = queued[0] as Job;
    if (!('ruleId' in job.key)) return 1;
    const together = composed(queued.map((j) => j.fn), notifiesAnyone);
    together.fn(this.tracker.forRule(job.key.ruleId, job.key.subject));
    return together.used();
  }

  // null: given up at shutdown; 'fenced': the partition is another instance's now (its states are newer)
  private async transition(job: JobOf, state: RuleStateRow | undefined): Promise<TransitionOutcome | 'fenced' | null> {
    for (let attempt = 0; ; attempt++) {
      try {
        // the alarm as we last committed or followed it: usually still the stored one, so the commit is one statement
        const known = 'ruleId' in job.key ? this.tracker.forRule(job.key.ruleId, job.key.subject) : this.tracker.get(job.key.id);
        return await this.store.commit({ key: job.key, regionCode: job.regionCode, fn: job.fn, fence: job.fence, state, known });
      } catch (err) {
        if (err instanceof LeaseLostError) {
          // another instance owns the point now and judges it from the stored rule state
          this.metrics.transitionsFenced.inc();
          this.logger.warn(`${job.what}: not committed, ${err.message}`);
          return 'fenced';
        }
        this.metrics.transitionRetries.inc();
        this.logger.warn(`${job.what}: ${(err as Error).message} (attempt ${attempt + 1})`);
        if (this.stopping && attempt >= 2) {
          this.logger.error(`${job.what} given up at shutdown; the next start reconciles it from the rule state`);
          return null;
        }
        await new Promise((r) => setTimeout(r, Math.min(RETRY_MAX_MS, 100 * 2 ** attempt)));
      }
    }
  }

  private committed(jobs: Job[], outcome: TransitionOutcome): void {
    const job = jobs[0] as Job;
    if (!outcome.ok) {
      // e.g. an end for an alarm an operator already closed, or an alarm deleted with its enterprise
      this.logger.debug(`${job.what}: ${outcome.code} (${outcome.reason})`);
      if ('id' in job.key && (outcome.code === 'alarm_closed' || outcome.code === 'alarm_not_found')) this.tracker.drop(job.key.id);
      return;
    }
    this.tracker.apply(outcome.alarm, 'own');
    const traced = hopTrace.on && job.receivedAt !== null && 'ruleId' in job.key && hopTrace.traces(job.key.subject) ? hopKey(job.key.subject, job.receivedAt) : null;
    if (traced && outcome.events[0]) hopTrace.mark('alerting.commit', traced, outcome.events[0].seq);
    for (const e of outcome.events) this.announce(e);
    if (traced && outcome.events[0]) hopTrace.mark('alerting.publish', traced, outcome.events[0].seq);
    if (outcome.events.length === 0) return;
    for (const { receivedAt } of jobs) if (receivedAt !== null) this.metrics.evaluationLatency.observe(Math.max(0, Date.now() - receivedAt) / 1000); // both wall clock
  }

  private announce(e: CommittedEvent): void {
    this.metrics.transitions.inc({ event: e.event });
    this.broker.publish(TOPICS.events, JSON.stringify(e), (err) => {
      if (!err) return this.metrics.eventsPublished.inc();
      this.metrics.eventPublishFailures.inc();
      this.logger.warn(`publishing event ${e.seq} failed: ${err.message} (it is committed; the live feed reads it from PostgreSQL)`);
    });
    this.notifier.notify({ event: e }); // whom: decided with the region's policy when the outbox rows were written
  }
}

/** The head of the queue and the condition changes of the same alarm key (and lease) right behind it. */
function takeGroup(queue: Job[]): Job[] {
  const head = queue.shift() as Job;
  const group = [head];
  if (!head.afterState) return group;
  while (group.length < GROUP_MAX && queue[0]?.afterState && sameFence(queue[0].fence, head.fence)) group.push(queue.shift() as Job);
  return group;
}

function sameFence(a: Fence | undefined, b: Fence | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.lockKey === b.lockKey && a.holderPid === b.holderPid);
}

/** What a group's transition answers when the stored alarm does not let all of its changes compose (judged again one by one). */
const REGROUP: AlarmError = { ok: false, kind: 'conflict', code: 'condition_active', reason: 'the changes do not compose on the stored alarm' };

/**
 * Condition changes of one alarm as one transition: each applied to the snapshot the previous one
 * left, their events in order. It stops before a change that is refused or would start another alarm,
 * and after one that may call for a notification: the store gives the earlier events of a transition
 * its final snapshot, which must be the notifying event's own (the message names its tier and value).
 * `used()`: how many the last application took. `all`: take every one or answer {@link REGROUP}
 * (the rule state stored with the transition is the last change's).
 */
function composed(
  fns: readonly ((current: AlarmSnapshot | null) => AlarmResult)[],
  notifies: (events: readonly AlarmEventDraft[]) => boolean,
  all = false,
): { fn: (current: AlarmSnapshot | null) => AlarmResult; used: () => number } {
  let used = 1;
  const fn = (current: AlarmSnapshot | null): AlarmResult => {
    used = 1;
    let result = (fns[0] as (current: AlarmSnapshot | null) => AlarmResult)(current);
    while (result.ok && used < fns.length && !notifies(result.events)) {
      const next = (fns[used] as (current: AlarmSnapshot | null) => AlarmResult)(result.alarm);
      if (!next.ok || next.alarm.id !== result.alarm.id) break;
      result = { ok: true, alarm: next.alarm, events: [...result.events, ...next.events] };
      used++;
    }
    return all && used < fns.length ? REGROUP : result;
  };
  return { fn, used: () => used };
}
