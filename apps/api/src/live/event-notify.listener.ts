import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ALARM_EVENTS_CHANNEL, NotificationListener, type CommittedEvent } from '@sw/persistence';
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
  private listener: NotificationListener<Partial<CommittedEvent>> | null = null;

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly sequencer: EventSequencerService,
  ) {}

  // after the sequencer has its position (onModuleInit)
  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.LIVE_NOTIFY) return;
    this.listener = new NotificationListener<Partial<CommittedEvent>>(
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

  private onNotice(notice: Partial<CommittedEvent>): void {
    if (typeof notice.seq !== 'number') return;
    if (typeof notice.alarm !== 'object' || notice.alarm === null) return this.sequencer.requestCatchUp();
    if (hopTrace.on && hopTrace.traces(notice.alarm.pointId)) hopTrace.mark('api.receive', '', notice.seq);
    this.sequencer.offer(notice as CommittedEvent);
  }
}
