import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { AuditRepository } from '@sw/persistence';
import { API_CONFIG, type ApiConfig } from '../config/api.config';

const DAY_MS = 86_400_000;

/**
 * Audit retention: every `AUDIT_PRUNE_INTERVAL_MS` (and once at start) rows older than
 * `AUDIT_RETENTION_DAYS` are deleted, in batches, by whichever api instance wins the advisory
 * lock — never inside a request.
 */
@Injectable()
export class AuditRetentionService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(AuditRetentionService.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number | null> | null = null;

  constructor(
    private readonly repo: AuditRepository,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  onApplicationBootstrap(): void {
    void this.prune();
    this.timer = setInterval(() => void this.prune(), this.config.AUDIT_PRUNE_INTERVAL_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running; // let a prune in flight finish before the pool closes
  }

  /** One prune run (a run already in flight is joined): rows deleted, or null if another instance pruned. */
  prune(): Promise<number | null> {
    this.running ??= this.run().finally(() => (this.running = null));
    return this.running;
  }

  private async run(): Promise<number | null> {
    const cutoff = new Date(Date.now() - this.config.AUDIT_RETENTION_DAYS * DAY_MS);
    try {
      const deleted = await this.repo.prune(cutoff);
      if (deleted) this.logger.log(`pruned ${deleted} audit rows older than ${cutoff.toISOString()}`);
      return deleted;
    } catch (err) {
      this.logger.error(`audit prune failed: ${(err as Error).message}`);
      return null;
    }
  }
}
