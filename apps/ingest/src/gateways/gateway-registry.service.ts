import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { GatewayRuntimeRepository, RegistryListener, type GatewayRecord, type RegistryChange } from '@sw/persistence';
import { DataSource } from 'typeorm';
import { INGEST_CONFIG, type IngestConfig } from '../config/ingest.config';

export type RegistryChangeHandler = (changedCodes: Set<string>) => void;

/**
 * The registry as ingest sees it: every gateway and its points in memory, loaded once and
 * refreshed when PostgreSQL announces a change (NOTIFY registry_changed), so the hot path never
 * queries the database.
 */
@Injectable()
export class GatewayRegistryService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(GatewayRegistryService.name);
  private readonly byCode = new Map<string, GatewayRecord>();
  private readonly codeById = new Map<string, string>();
  private readonly handlers: RegistryChangeHandler[] = [];
  private readonly repo: GatewayRuntimeRepository;
  private listener: RegistryListener | null = null;
  private pending = new Set<RegistryChange>();
  private readonly fetching = new Map<string, Promise<GatewayRecord | undefined>>();
  private refreshTimer: NodeJS.Timeout | null = null;
  private refreshing: Promise<void> = Promise.resolve();

  constructor(
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
    @Inject(DataSource) ds: DataSource,
  ) {
    this.repo = new GatewayRuntimeRepository(ds);
  }

  async onModuleInit(): Promise<void> {
    this.listener = new RegistryListener(
      this.config.DATABASE_URL,
      (change) => this.schedule(change),
      () => this.enqueue(this.reloadAll()),
      (err) => this.logger.warn(`registry listener: ${err.message}`),
    );
    await this.listener.start();
    await this.reloadAll();
    this.logger.log(`registry loaded: ${this.byCode.size} gateways`);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    await this.listener?.stop();
  }

  get(code: string): GatewayRecord | undefined {
    return this.byCode.get(code);
  }

  get size(): number {
    return this.byCode.size;
  }

  all(): IterableIterator<GatewayRecord> {
    return this.byCode.values();
  }

  get runtime(): GatewayRuntimeRepository {
    return this.repo;
  }

  onChange(handler: RegistryChangeHandler): void {
    this.handlers.push(handler);
  }

  /**
   * Read-your-writes: the gateway as PostgreSQL has it now, for a cache miss (a login of a gateway
   * or a reading of a point registered a moment ago, before its NOTIFY was applied). Updates the
   * cache and tells the listeners like a NOTIFY would; one query per code at a time.
   */
  refresh(code: string): Promise<GatewayRecord | undefined> {
    let fetching = this.fetching.get(code);
    if (!fetching) {
      fetching = this.repo
        .loadByCode(code)
        .then((g) => {
          if (!g) return this.byCode.get(code); // not (yet) in PostgreSQL either: keep what we have
          const before = this.byCode.get(code);
          this.put(g);
          if (before !== g) this.notify(new Set([code]));
          return g;
        })
        .finally(() => this.fetching.delete(code));
      this.fetching.set(code, fetching);
    }
    return fetching;
  }

  /** Resolves once every change announced so far has been applied (tests and the CLI use it). */
  settled(): Promise<void> {
    return this.refreshing;
  }

  private schedule(change: RegistryChange): void {
    this.pending.add(change);
    // Coalesce bursts (a bulk import sends thousands of NOTIFYs) into one reload.
    this.refreshTimer ??= setTimeout(() => {
      this.refreshTimer = null;
      const changes = [...this.pending];
      this.pending = new Set();
      this.enqueue(this.apply(changes));
    }, 50);
  }

  private enqueue(task: Promise<void>): void {
    this.refreshing = this.refreshing.then(() => task).catch((err: Error) => {
      this.logger.error(`registry refresh failed: ${err.message}`);
    });
  }

  private async apply(changes: RegistryChange[]): Promise<void> {
    const ids = new Set<string>();
    const changed = new Set<string>();
    for (const change of changes) {
      if (change.table === 'gateways' && change.op === 'DELETE') {
        const code = this.codeById.get(change.id);
        if (code) {
          this.byCode.delete(code);
          changed.add(code);
        }
        this.codeById.delete(change.id);
        continue;
      }
      for (const id of await this.repo.gatewayIdsFor(change.table, change.id)) ids.add(id);
      if (change.table === 'points' && change.op === 'DELETE') {
        // the row is gone: reload every gateway that had this point
        for (const g of this.byCode.values()) {
          for (const p of g.points.values()) if (p.id === change.id) ids.add(g.id);
        }
      }
    }
    if (ids.size > 0) {
      for (const g of await this.repo.load([...ids])) {
        const oldCode = this.codeById.get(g.id);
        if (oldCode && oldCode !== g.code) {
          this.byCode.delete(oldCode);
          changed.add(oldCode);
        }
        this.put(g);
        changed.add(g.code);
      }
    }
    this.notify(changed);
  }

  private async reloadAll(): Promise<void> {
    const gateways = await this.repo.load();
    const changed = new Set<string>(this.byCode.keys());
    this.byCode.clear();
    this.codeById.clear();
    for (const g of gateways) {
      this.put(g);
      changed.add(g.code);
    }
    this.notify(changed);
  }

  private put(g: GatewayRecord): void {
    this.byCode.set(g.code, g);
    this.codeById.set(g.id, g.code);
  }

  private notify(changed: Set<string>): void {
    if (changed.size === 0) return;
    for (const handler of this.handlers) handler(changed);
  }
}
