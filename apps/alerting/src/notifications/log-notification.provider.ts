import { Injectable, Logger } from '@nestjs/common';
import type { AlarmNotification, NotificationPort } from './notification.types';

/** Stands in for the notification outbox: logs whom an event would notify, and how. */
@Injectable()
export class LogNotificationProvider implements NotificationPort {
  private readonly logger = new Logger(LogNotificationProvider.name);

  notify({ event, targets }: AlarmNotification): void {
    const whom = targets.map((t) => `${t.recipient} (${t.channels.join('/')})`).join(', ');
    this.logger.log(`alarm ${event.alarm.id} ${event.event} (seq ${event.seq}, ${event.alarm.tier}): would notify ${whom}`);
  }
}
