import type { CommittedEvent } from '@sw/persistence';
import type { NotifyTarget } from '@sw/rules';

/** One alarm event that calls for notifications, and whom to notify (docs/domain.md, escalation table). */
export interface AlarmNotification {
  event: CommittedEvent;
  targets: readonly NotifyTarget[];
}

/** A committed alarm event, told to the notification port after its commit. */
export interface CommittedNotification {
  event: CommittedEvent;
}

/**
 * Where committed alarm events go after their commit. Whom an event notifies is decided inside its
 * transaction, with the region's policy, when its outbox rows are written (OutboxWriterService), so
 * the port (OutboxNotifier) only wakes the delivery worker for an event that may have queued rows.
 * LogNotificationProvider is a stand-in for experiments (it is handed the targets itself).
 */
export interface NotificationPort {
  notify(notification: CommittedNotification): void;
}

export const NOTIFICATION_PORT = Symbol('NOTIFICATION_PORT');
