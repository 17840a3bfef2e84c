import type { CommittedEvent } from '@sw/persistence';
import type { NotifyTarget } from '@sw/rules';

/** One alarm event that calls for notifications, and whom to notify (docs/domain.md, escalation table). */
export interface AlarmNotification {
  event: CommittedEvent;
  targets: readonly NotifyTarget[];
}

/**
 * Where committed alarm events that call for people go. Their outbox rows were committed with them
 * (OutboxWriterService), so the port (OutboxNotifier) only wakes the delivery worker.
 */
export interface NotificationPort {
  notify(notification: AlarmNotification): void;
}

export const NOTIFICATION_PORT = Symbol('NOTIFICATION_PORT');
