import type { CommittedEvent } from '@sw/persistence';

/** A committed alarm event, told to the notification port after its commit. */
export interface CommittedNotification {
  event: CommittedEvent;
}

/**
 * Where committed alarm events go after their commit. Whom an event notifies is decided inside its
 * transaction, with the region's policy, when its outbox rows are written (OutboxWriterService), so
 * the port (OutboxNotifier) only wakes the delivery worker for an event that may have queued rows.
 */
export interface NotificationPort {
  notify(notification: CommittedNotification): void;
}

export const NOTIFICATION_PORT = Symbol('NOTIFICATION_PORT');
