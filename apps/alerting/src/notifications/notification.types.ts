import type { CommittedEvent } from '@sw/persistence';
import type { NotifyTarget } from '@sw/rules';

/** One alarm event that calls for notifications, and whom to notify (DOMAIN.md, escalation table). */
export interface AlarmNotification {
  event: CommittedEvent;
  targets: readonly NotifyTarget[];
}

/**
 * Where committed alarm events that call for people go. The outbox with SMS/WeChat providers,
 * dedup, retries and `notified` events is a later issue; until then a provider that logs stands in.
 */
export interface NotificationPort {
  notify(notification: AlarmNotification): void;
}

export const NOTIFICATION_PORT = Symbol('NOTIFICATION_PORT');
