import type { Recipient } from '@sw/rules';
import type { ContactAddress } from './providers/notification-provider.types';

/** One person behind a policy recipient (a role may stand for several duty officers). */
export interface Contact extends ContactAddress {
  role: Recipient;
  /** Distinguishes several people of one role in the dedup key (`district_duty_officer#1`). */
  ref: string;
}
