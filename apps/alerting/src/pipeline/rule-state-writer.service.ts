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

  /** Writes what is left, trying a few times; on shutdown a failure is logged, not retried forever. */
  async stop(): Promise<void> {
    this.stopping = true;
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

  // Writes batch after batch until nothing is left; each waiter is released by the batch that took its states.
  private async run(): Promise<void> {
    while (this.dirty.size > 0) {
      const batch = [...this.dirty.values()];
      const waiters = this.waiters;
      this.dirty = new Map();
      this.waiters = [];
      await this.write(batch);
      for (const resolve of waiters) resolve();
    }
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
