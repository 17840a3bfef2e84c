import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AdvisoryFence } from '@sw/persistence';
import { Client } from 'pg';
import { ALERTING_CONFIG, type AlertingConfig } from '../config/alerting.config';
import { fairShare, planLeases, type LeaseView } from './lease-plan.factory';

/** Advisory-lock key spaces (two-int form; the migration lock uses the one-bigint form). */
export const LEASE_MEMBER_CLASS = 7_262_010;
export const LEASE_PARTITION_CLASS = 7_262_011;
const MAX_MEMBERS = 1024;
const RECONNECT_MS = 1000;
/** A lost lease connection ends in-flight work for this long at most before the partitions count as gone. */
const LOST_RELEASE_WAIT_MS = 5_000;

/** What the pipeline does when partitions are won or have to be given up. */
export interface LeaseHandlers {
  /** Load the partitions' state and start consuming them. */
  acquire(partitions: number[]): Promise<void>;
  /** Stop consuming, settle what is in flight, persist; `lost`: the lease is already gone (no waiting on the database). */
  release(partitions: number[], lost: boolean): Promise<void>;
}

/** Thrown inside a transition's transaction when this instance no longer holds the partition: it rolls back. */
export class LeaseLostError extends Error {
  constructor(readonly partition: number) {
    super(`the lease of partition ${partition} is no longer held by this instance`);
    this.name = 'LeaseLostError';
  }
}

/** The lease check of a transition: the statement that writes it checks that the lease session still holds the partition. */
export type Fence = AdvisoryFence;

const LOCKS_SQL = `
  SELECT classid::int AS class, objid::int AS key, pid
    FROM pg_locks
   WHERE locktype = 'advisory' AND granted AND objsubid = 2 AND classid IN ($1, $2)
     AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`;

/**
 * Partition ownership across alerting instances (docs/architecture.md, scale-out): leases are
 * PostgreSQL advisory locks held by one dedicated connection per instance, so they end exactly when
 * the instance's database session ends (a crash, a kill, a network cut) — no heartbeats or expiry
 * clocks to tune. Membership is a lock too (`LEASE_MEMBER_CLASS`, one slot per live instance), so
 * every instance sees who is alive in `pg_locks` and takes its fair share of the P partitions: the
 * instances sorted by slot, the first `P mod n` take one more. An instance over its share hands the
 * extra partitions over (stop consuming, settle, persist, unlock); one under it takes free ones.
 *
 * Fencing: every alarm transition checks, in its own transaction, that this instance's lease
 * session still holds the point's partition (`fence`), so an instance that lost its lease without
 * noticing yet cannot commit beside the new owner.
 */
@Injectable()
export class PartitionLeaseService {
  private readonly logger = new Logger(PartitionLeaseService.name);
  private readonly owned = new Set<number>();
  private client: Client | null = null;
  private pid: number | null = null;
  private slot: number | null = null;
  private handlers: LeaseHandlers | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;
  private lastView: LeaseView | null = null;

  constructor(@Inject(ALERTING_CONFIG) private readonly config: AlertingConfig) {}

  /** Partitions whose lease this instance holds. */
  get partitions(): number[] {
    return [...this.owned].sort((a, b) => a - b);
  }

  /** Live instances as last seen (1 when alone), and this one's slot. */
  get members(): { count: number; slot: number | null } {
    return { count: this.lastView?.members.length ?? 0, slot: this.slot };
  }

  /** Joins, takes the first share of partitions, and keeps balancing every ALERTING_LEASE_INTERVAL_MS. */
  async start(handlers: LeaseHandlers): Promise<void> {
    this.handlers = handlers;
    this.stopped = false;
    await this.serial(() => this.tick());
    this.schedule();
  }

  /** Hands every partition over (states persisted) and leaves; the others take them on their next look. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.serial(async () => {
      const mine = this.partitions;
      if (mine.length > 0 && this.handlers) await this.handlers.release(mine, false);
      this.owned.clear();
      await this.disconnect();
    });
  }

  /**
   * A check for the transaction of a transition on `partition`, bound to the lease session that
   * holds it now: after the lease was lost (even if it was retaken since), the check fails.
   */
  fence(partition: number): Fence {
    const held = this.pid !== null && this.owned.has(partition);
    return { lockClass: LEASE_PARTITION_CLASS, lockKey: partition, holderPid: held ? this.pid : null, refused: () => new LeaseLostError(partition) };
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.serial(() => this.tick()).finally(() => this.schedule());
    }, this.config.ALERTING_LEASE_INTERVAL_MS);
    this.timer.unref();
  }

  /** Lease work never overlaps: a tick, a stop and a loss run one after the other. */
  private serial(work: () => Promise<void>): Promise<void> {
    const next = this.running.then(work).catch((err: Error) => this.logger.error(`lease work failed: ${err.stack ?? err.message}`));
    this.running = next;
    return next;
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    const client = this.client ?? (await this.connect());
    if (!client) return;
    let view: LeaseView;
    try {
      view = await this.look(client);
    } catch (err) {
      return this.lose(`lease check failed: ${(err as Error).message}`);
    }
    const plan = planLeases(view, this.config.READING_PARTITIONS, this.pid as number, this.slot as number, this.owned);
    if (plan.gone.length > 0) {
      this.logger.error(`leases of partitions ${plan.gone.join(',')} are no longer ours; dropping them`);
      await this.handlers?.release(plan.gone, true);
      for (const p of plan.gone) this.owned.delete(p);
    }
    if (plan.handOver.length > 0) {
      this.logger.log(`handing partitions ${plan.handOver.join(',')} over (fair share ${fairShare(view, this.config.READING_PARTITIONS, this.slot as number)} of ${view.members.length} instances)`);
      await this.handlers?.release(plan.handOver, false);
      for (const p of plan.handOver) {
        await client.query('SELECT pg_advisory_unlock($1, $2)', [LEASE_PARTITION_CLASS, p]);
        this.owned.delete(p);
      }
    }
    const won: number[] = [];
    for (const p of plan.take) {
      const [row] = (await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [LEASE_PARTITION_CLASS, p])).rows;
      if (row?.ok) won.push(p);
    }
    if (won.length > 0) {
      for (const p of won) this.owned.add(p);
      this.logger.log(`took partitions ${won.join(',')} (${this.owned.size} of ${this.config.READING_PARTITIONS}, ${view.members.length} instance(s))`);
      await this.handlers?.acquire(won);
    }
  }

  private async look(client: Client): Promise<LeaseView> {
    const { rows } = await client.query<{ class: number; key: number; pid: number }>(LOCKS_SQL, [LEASE_MEMBER_CLASS, LEASE_PARTITION_CLASS]);
    const view: LeaseView = { members: [], holders: new Map() };
    for (const r of rows) {
      if (r.class === LEASE_MEMBER_CLASS) view.members.push(r.key);
      else view.holders.set(r.key, r.pid);
    }
    view.members.sort((a, b) => a - b);
    this.lastView = view;
    return view;
  }

  /** Opens the lease session and takes a member slot; null (retried next tick) when the database is not there. */
  private async connect(): Promise<Client | null> {
    const client = new Client({ connectionString: this.config.DATABASE_URL, keepAlive: true, keepAliveInitialDelayMillis: 5_000, query_timeout: 10_000, application_name: `alerting lease ${this.config.ALERTING_MQTT_CLIENT_ID}` });
    client.on('error', (err) => void this.serial(() => this.lose(`lease session: ${err.message}`)));
    try {
      await client.connect();
      const [me] = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows;
      const taken = new Set((await this.look(client)).members);
      let slot: number | null = null;
      for (let s = 0; s < MAX_MEMBERS && slot === null; s++) {
        if (taken.has(s)) continue;
        const [row] = (await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [LEASE_MEMBER_CLASS, s])).rows;
        if (row?.ok) slot = s;
      }
      if (slot === null) throw new Error(`no free member slot among ${MAX_MEMBERS}`);
      client.on('end', () => void this.serial(() => this.lose('lease session ended')));
      this.client = client;
      this.pid = me?.pid ?? null;
      this.slot = slot;
      this.logger.log(`joined the partition leases as member ${slot} (backend ${this.pid})`);
      return client;
    } catch (err) {
      this.logger.warn(`cannot open the lease session: ${(err as Error).message}; retrying`);
      await client.end().catch(() => undefined);
      await new Promise((r) => setTimeout(r, RECONNECT_MS).unref());
      return null;
    }
  }

  /** The lease session is gone, so PostgreSQL has released every lease: stop consuming them at once. */
  private async lose(why: string): Promise<void> {
    if (!this.client) return;
    this.logger.error(`${why}: every partition lease is lost`);
    const client = this.client;
    this.client = null;
    this.pid = null;
    this.slot = null;
    const mine = this.partitions;
    this.owned.clear();
    await client.end().catch(() => undefined);
    if (mine.length > 0 && this.handlers) {
      await Promise.race([this.handlers.release(mine, true), new Promise((r) => setTimeout(r, LOST_RELEASE_WAIT_MS).unref())]);
    }
  }

  private async disconnect(): Promise<void> {
    const client = this.client;
    this.client = null;
    this.pid = null;
    this.slot = null;
    await client?.end().catch(() => undefined);
  }
}
