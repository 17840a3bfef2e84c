import type { Channel, Recipient } from '@sw/rules';
import type { ContactAddress, ProviderId } from './providers/notification-provider.types';

/** A row of `notification_outbox` as the delivery worker sees it. */
export interface OutboxRow {
  id: string;
  dedup_key: string;
  /** Exactly one of alarm_id, hazard_id and reminder_id is set. */
  alarm_id: string | null;
  hazard_id: string | null;
  /** an upward-reporting reminder (`upward_reminders`) */
  reminder_id: string | null;
  event_seq: string | null;
  kind: 'event' | 'repeat' | 'hazard_confirmed' | 'hazard_overdue';
  recipient: string;
  channel: Channel;
  /** The person as of the event, the address rate limits count by (`to`), and the rendered template params and link. */
  address: ContactAddress & { to: string; params: Record<string, string>; link: string };
  providers: ProviderId[];
  step: number;
  step_attempts: number;
  attempts: number;
  title: string;
  body: string;
  digest: boolean;
  lease_id: string;
}

/** One person behind a policy recipient (a role may stand for several duty officers). */
export interface Contact extends ContactAddress {
  role: Recipient;
  /** Distinguishes several people of one role in the dedup key (`district_duty_officer#1`). */
  ref: string;
}
