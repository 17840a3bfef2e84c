import { Inject, Injectable, Logger } from '@nestjs/common';
import { RuleStateRepository, type RuleStateRow } from '@sw/persistence';
import type { RuleState } from '@sw/rules';
import { ALERTING_CONFIG, type AlertingConfig } from '../config/alerting.config';
import { MetricsService } from '../observability/metrics.service';

const RETRY_MAX_MS = 10_000;

/**
 * Writes rule states to `rule_states` in batches: the latest state per (point, rule) marked since
 * the last write goes out in one statement, at the latest ALERTING_STATE_FLUSH_MS after it was
 * marked. `barrier()` writes at once and resolves when everything marked before the call is stored:
 * alarm transitions wait for it, so a state is always stored before the transition it caused.
 */
@Injectable()
export class RuleStateWriterService {
  private readonly logger = new Logger(RuleStateWriterService.name);
  private dirty = new Map<string, RuleStateRow>();
  /** The rows of the write in progress, and when it ends. */
  private writing: Map<string, RuleStateRow> | null = null;
  private written: Promise<void> = Promise.resolve();
  /** Keys with transitions queued or in flight (how many): newer states of theirs wait, never overtaking them. */
  private readonly held = new Map<string, number>();
  private waiters: (() => void)[] = [];
  private current: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopping = false;

  constructor(
    @Inject(ALERTING_CONFIG) private readonly config: AlertingConfig,
    private readonly repo: RuleStateRepository,
    private readonly metrics: MetricsService,
  ) {}

  /** Marks the state to be written (states are immutable: keeping the reference is enough). */
  mark(pointId: string, ruleId: string, state: RuleState): void {
    this.dirty.set(`${pointId}|${ruleId}`, { pointId, ruleId, state });
    this.timer ??= setTimeout(() => this.kick(), this.config.ALERTING_STATE_FLUSH_MS);
  }

  /** Marks the row for deletion (the rule or point is gone). */
  remove(pointId: string, ruleId: string): void {
    this.dirty.set(`${pointId}|${ruleId}`, { pointId, ruleId, state: null });
    this.timer ??= setTimeout(() => this.kick(), this.config.ALERTING_STATE_FLUSH_MS);
  }

  /**
   * Forgets what is marked and not yet taken for the points `lost` says (their partition's lease is
   * gone: the new owner's states are newer than ours).
   */
  discard(lost: (pointId: string) => boolean): void {
    for (const [key, row] of this.dirty) if (lost(row.pointId)) this.dirty.delete(key);
  }

  barrier(): Promise<void> {
    if (this.dirty.size === 0) return this.current ?? Promise.resolve();
    return new Promise<void>((resolve) => {
      this.waiters.push(resolve);
      this.kick();
    });
  }

  /**
   * A transition of the (point, rule) is queued: newer states are not written on their own before
   * it commits (a restart would judge from a state ahead of the alarm, and the replayed readings
   * that caused the transitions would be stale). Ended by {@link release}.
   */
  hold(pointId: string, ruleId: string): void {
    const key = `${pointId}|${ruleId}`;
    this.held.set(key, (this.held.get(key) ?? 0) + 1);
  }

  /** A queued transition of the (point, rule) is over (see {@link hold}). */
  release(pointId: string, ruleId: string): void {
    this.unhold(`${pointId}|${ruleId}`);
    if (this.dirty.size > 0) this.kick();
  }

  /**
   * For a transition about to commit: the (point, rule) state marked and not yet written, handed
   * over to be written in the transition's own transaction (so the alarm does not wait for a
   * separate write), or null when it is stored already. A write in progress that holds the latest
   * state is not waited for: the transition writes the same state too. A newer state than the one
   * being written waits for that write (it must not land after the newer one). A deletion stays
   * with the writer and is waited for, as `barrier()` does. `cause`: the state after the
   * transition's own change (batches judged ahead: a newer one may be marked already); that one is
   * handed over, and a newer marked state stays marked for the transitions queued after it.
   */
  async handOver(pointId: string, ruleId: string, cause?: RuleState): Promise<RuleStateRow | null> {
    const key = `${pointId}|${ruleId}`;
    const inFlight = this.writing?.get(key);
    if (inFlight?.state && !this.dirty.has(key) && (!cause || inFlight.state === cause)) {
      this.hold(pointId, ruleId);
      return inFlight;
    }
    while (this.writing?.has(key)) await this.written;
    const row = this.dirty.get(key);
    if (cause && row?.state !== cause) {
      this.hold(pointId, ruleId);
      return { pointId, ruleId, state: cause };
    }
    if (!row) return null;
    if (row.state === null) {
      await this.barrier();
      return null;
    }
    this.dirty.delete(key);
    this.hold(pointId, ruleId);
    return row;
  }

  /**
   * The transition a state was handed over to is over. `written`: it committed the state; otherwise
   * the state is written the usual way (unless a newer one is marked), or dropped when `keep` is false
   * (the partition is another instance's now). Newer states held back meanwhile go out now.
   */
  handedBack(row: RuleStateRow, written: boolean, keep = true): void {
    const key = `${row.pointId}|${row.ruleId}`;
    this.unhold(key);
    if (!written && keep && !this.dirty.has(key)) this.dirty.set(key, row);
    if (this.dirty.size > 0) this.kick();
  }

  private unhold(key: string): void {
    const n = (this.held.get(key) ?? 0) - 1;
    if (n > 0) this.held.set(key, n);
    else this.held.delete(key);
  }

  /** Writes what is left, trying a few times; on shutdown a failure is logged, not retried forever. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.held.clear(); // after the commits' drain: a transition still in flight has given up waiting
    await this.barrier();
  }

  private kick(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.current || this.dirty.size === 0) return;
    this.current = this.run().finally(() => {
      this.current = null;
    });
  }

  // Writes batch after batch until nothing is left (but rows held back for a transition in flight).
  private async run(): Promise<void> {
    for (let batch = this.take(); batch.size > 0; batch = this.take()) {
      // waiters are released once nothing marked before them is left (held-back rows included)
      const waiters = this.dirty.size === 0 ? this.waiters : [];
      if (this.dirty.size === 0) this.waiters = [];
      let done = (): void => undefined;
      this.writing = batch;
      this.written = new Promise<void>((resolve) => (done = resolve));
      try {
        await this.write([...batch.values()]);
      } finally {
        this.writing = null;
        done();
      }
      for (const resolve of waiters) resolve();
    }
  }

  // What is marked, less the rows held back for a transition in flight.
  private take(): Map<string, RuleStateRow> {
    const all = this.dirty;
    this.dirty = new Map();
    if (this.held.size === 0) return all;
    const batch = new Map<string, RuleStateRow>();
    for (const [key, row] of all) (this.held.has(key) ? this.dirty : batch).set(key, row);
    return batch;
  }

  private async write(batch: RuleStateRow[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.repo.write(batch);
        this.metrics.stateFlushes.inc();
        this.metrics.stateWrites.inc(batch.length);
        return;
      } catch (err) {
        this.logger.error(`writing ${batch.length} rule states failed (attempt ${attempt + 1}): ${(err as Error).message}`);
        if (this.stopping && attempt >= 2) return; // shutting down with the database away: nothing more to do
        await new Promise((r) => setTimeout(r, Math.min(RETRY_MAX_MS, 200 * 2 ** attempt)));
      }
    }
  }
}
