import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { AlarmStore, decodeCommittedEvent, type CommittedEvent } from '@sw/persistence';
import { hopTrace, TOPICS } from '@sw/sensors';
import { BrokerService } from '../broker/broker.service';
import { LocalBusService } from '../broker/local-bus.service';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { MetricsService } from '../observability/metrics.service';

export type EventListener = (event: CommittedEvent) => void;

// Events fetched from PostgreSQL per query when filling a hole.
const FILL_PAGE = 1000;

/**
 * Puts every committed alarm event — whichever app committed it — into one gap-free order by
 * `seq` (docs/architecture.md). Events come from `internal/events` and from this process's own commits;
 * duplicates (seq already delivered) are dropped, and a hole (an event above the next expected
 * seq) is filled from PostgreSQL before anything after it is delivered. The event counter is
 * updated inside each event's transaction, so when seq N is visible every seq below it is
 * committed too: a hole can always be filled. A periodic look at the head catches a lost last
 * message (and any event published while the broker was away).
 */
@Injectable()
export class EventSequencerService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(EventSequencerService.name);
  private nextSeq = 1;
  private readonly pending = new Map<number, CommittedEvent>();
  private readonly listeners = new Set<EventListener>();
  private pumping = false;
  private catchUp = false;
  private retryMs = 0;
  private timer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: AlarmStore,
    private readonly broker: BrokerService,
    private readonly bus: LocalBusService,
    private readonly metrics: MetricsService,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  /** The last seq delivered to listeners: everything up to it is in order, with no gap. */
  get position(): number {
    return this.nextSeq - 1;
  }

  async onModuleInit(): Promise<void> {
    this.nextSeq = (await this.store.head()) + 1;
    this.metrics.liveHead.set(this.position);
    this.broker.subscribe(TOPICS.events, 1, (_topic, payload) => this.onMessage(payload));
    this.broker.onReconnect(() => this.requestCatchUp());
    this.bus.on('alarm.committed', (events) => events.forEach((e) => this.offer(e)));
    this.timer = setInterval(() => this.requestCatchUp(), this.config.LIVE_HEAD_POLL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
  }

  addListener(listener: EventListener): void {
    this.listeners.add(listener);
  }

  removeListener(listener: EventListener): void {
    this.listeners.delete(listener);
  }

  /** Takes an event from any source; delivery happens in seq order. */
  offer(event: CommittedEvent): void {
    if (!Number.isInteger(event.seq) || event.seq < this.nextSeq || this.pending.has(event.seq)) return;
    this.pending.set(event.seq, event);
    // the next one in order goes out now, even while a catch-up waits for PostgreSQL (the pump
    // decides what to fetch after each await, from the position then)
    if (event.seq === this.nextSeq && (this.pumping || this.retryTimer)) this.deliverContiguous();
    else void this.pump();
  }

  /** Compares the position with PostgreSQL's head and fills what is missing. */
  requestCatchUp(): void {
    this.catchUp = true;
    void this.pump();
  }

  private onMessage(payload: Buffer): void {
    const event = decodeCommittedEvent(payload);
    if (!event) {
      this.logger.warn('ignored a message on internal/events that is not a committed event (docs/contracts.md §3)');
      return;
    }
    if (hopTrace.on && hopTrace.traces(event.alarm.pointId)) hopTrace.mark('api.receive', '', event.seq);
    this.offer(event);
  }

  private async pump(): Promise<void> {
    if (this.pumping || this.retryTimer) return;
    this.pumping = true;
    try {
      for (;;) {
        this.deliverContiguous();
        // decided synchronously after delivering, so an event offered during an await is never left behind
        let target: number;
        if (this.pending.size > 0) target = Math.min(...this.pending.keys()) - 1;
        else if (this.catchUp) {
          this.catchUp = false;
          target = await this.store.head();
        } else break;
        if (target < this.nextSeq) continue;
        const rows = await this.store.eventsBetween(this.nextSeq - 1, target, null, FILL_PAGE);
        this.metrics.liveGapFills.inc();
        if (rows.length === 0) throw new Error(`events ${this.nextSeq}…${target} are not in PostgreSQL yet`);
        for (const row of rows) if (row.seq >= this.nextSeq) this.pending.set(row.seq, row);
      }
      this.retryMs = 0;
    } catch (err) {
      this.retryMs = Math.min(Math.max(this.retryMs * 2, 250), 30_000);
      this.logger.error(`live feed is waiting at seq ${this.nextSeq}: ${(err as Error).message}; retrying in ${this.retryMs} ms`);
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        void this.pump();
      }, this.retryMs);
      this.retryTimer.unref();
    } finally {
      this.pumping = false;
    }
  }

  private deliverContiguous(): void {
    for (let event = this.pending.get(this.nextSeq); event; event = this.pending.get(this.nextSeq)) {
      this.pending.delete(this.nextSeq);
      this.nextSeq++;
      this.metrics.liveEvents.inc();
      for (const listener of this.listeners) {
        try {
          listener(event);
        } catch (err) {
          this.logger.error(`live listener failed on seq ${event.seq}: ${(err as Error).message}`);
        }
      }
      if (hopTrace.on && hopTrace.traces(event.alarm.pointId)) hopTrace.mark('api.socket', '', event.seq);
    }
    this.metrics.liveHead.set(this.position);
  }
}
