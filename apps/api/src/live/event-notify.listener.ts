import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ALARM_EVENTS_CHANNEL, NotificationListener, parseCommittedEvent } from '@sw/persistence';
import { hopTrace } from '@sw/sensors';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { EventSequencerService } from './event-sequencer.service';

/**
 * The alarm fast lane's last hop (docs/architecture.md): every alarm transition NOTIFYs
 * `alarm_events` in its own transaction, so PostgreSQL hands the committed event to api at COMMIT,
 * without waiting on the broker (which shares ingest's event loop with the bulk readings). The
 * broker's copy still comes and is dropped by seq; a notice too large for PostgreSQL names only
 * the seq and the sequencer reads the event; a reconnect asks for a catch-up.
 */
@Injectable()
export class EventNotifyListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(EventNotifyListener.name);
  private listener: NotificationListener<unknown> | null = null;

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly sequencer: EventSequencerService,
  ) {}

  // after the sequencer has its position (onModuleInit)
  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.LIVE_NOTIFY) return;
    this.listener = new NotificationListener<unknown>(
      this.config.DATABASE_URL,
      ALARM_EVENTS_CHANNEL,
      (notice) => this.onNotice(notice),
      () => this.sequencer.requestCatchUp(),
      (err) => this.logger.warn(`${ALARM_EVENTS_CHANNEL} listener: ${err.message}`),
    );
    await this.listener.start().catch((err: Error) => this.logger.error(`no ${ALARM_EVENTS_CHANNEL} listener (events come through the broker only): ${err.message}`));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.listener?.stop();
  }

  // a committed event, or `{"seq": N}` when it did not fit a notification
  private onNotice(notice: unknown): void {
    const event = parseCommittedEvent(notice);
    if (!event) {
      const seq = (notice as { seq?: unknown } | null)?.seq;
      if (typeof seq !== 'number') return;
      if (Object.keys(notice as object).length > 1) this.logger.warn(`notice of seq ${seq} is not a committed event (docs/contracts.md §3); reading it from PostgreSQL`);
      return this.sequencer.requestCatchUp();
    }
    if (hopTrace.on && hopTrace.traces(event.alarm.pointId)) hopTrace.mark('api.receive', '', event.seq);
    this.sequencer.offer(event);
  }
}
