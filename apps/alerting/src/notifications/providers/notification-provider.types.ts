import type { Channel } from '@sw/rules';

/** Where one person is reached; what a provider needs of it depends on the provider. */
export interface ContactAddress {
  name: string;
  phone: string | null;
  wecomKey: string | null;
  wechatOpenid: string | null;
}

/** One message to one person, rendered (Chinese) before it is queued. */
export interface OutgoingMessage {
  to: ContactAddress;
  title: string;
  body: string;
  /** Template variables for the SMS and Official Account templates. */
  params: Record<string, string>;
  link: string;
  /** The outbox row's dedup key: sent along wherever the vendor takes one (OutId, client_msg_id, SessionContext). */
  idempotencyKey: string;
}

export type SendResult =
  | { ok: true; messageId: string }
  /** `retryable`: worth trying again on this provider (network, throttling, 5xx); else go to the next one. */
  | { ok: false; reason: string; retryable: boolean; retryAfterMs?: number };

/**
 * What the vendor knows of a message by its idempotency key: sent (with its id), not sent, or
 * unknown (the lookup failed, or its records don't reach back far enough).
 */
export type SentLookup = { sent: true; messageId: string } | { sent: false } | { sent: null; reason: string };

export type ProviderId = 'aliyun-sms' | 'tencent-sms' | 'wechat-mp' | 'wecom';

/** One vendor behind one interface (novu's providers): the delivery worker knows nothing else of it. */
export interface NotificationProvider {
  readonly id: ProviderId;
  readonly channel: Channel;
  /** Whether the address has what this provider needs (a phone, an openid, a robot key). */
  reaches(to: ContactAddress): boolean;
  send(message: OutgoingMessage): Promise<SendResult>;
  /**
   * Asks the vendor whether a message with this idempotency key went out since `since` (its
   * records, not a cache of ours). Vendors that echo the key without deduplicating it (SMS) have
   * it, so a row resumed after a crash between send and record is not sent twice; vendors that
   * deduplicate (WeChat's client_msg_id) need none.
   */
  findSent?(message: OutgoingMessage, since: Date): Promise<SentLookup>;
}

export const NOTIFICATION_PROVIDERS = Symbol('NOTIFICATION_PROVIDERS');

export function failure(err: unknown, retryable = true): SendResult {
  return { ok: false, reason: err instanceof Error ? err.message : String(err), retryable };
}
