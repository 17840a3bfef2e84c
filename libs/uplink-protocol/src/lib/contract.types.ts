/** What the platform forwards, one `type` per kind of record (docs/contracts.md §6). */
export const UPLINK_MESSAGE_TYPES = ['enterprise', 'readings', 'alarm_event', 'hazard_event'] as const;
export type UplinkMessageType = (typeof UPLINK_MESSAGE_TYPES)[number];

/**
 * One forwarded record. `id` is the idempotency key (the province stores each id once); `seq` is the
 * enterprise's own gap-free sequence (1, 2, 3, …), assigned when the record entered the outbox.
 */
export interface UplinkMessage {
  id: string;
  seq: number;
  type: UplinkMessageType;
  /** When the record happened (ISO 8601, UTC): the event time, or the start of a readings window. */
  at: string;
  data: Record<string, unknown>;
}

/** The body of `POST {base}/v1/batches`: consecutive messages of ONE enterprise, oldest first. */
export interface UplinkBatch {
  version: 1;
  /** The sending platform (UPLINK_SENDER_ID), as registered at the province. */
  sender: string;
  enterprise: { id: string; uscc: string | null; name: string; regionCode: string };
  messages: UplinkMessage[];
}

/** Response codes of the contract; the HTTP status for each is in docs/contracts.md §6. */
export type UplinkResponseCode =
  | 'OK'
  | 'SEQUENCE_GAP'
  | 'MALFORMED'
  | 'BATCH_TOO_LARGE'
  | 'MISSING_HEADER'
  | 'UNKNOWN_KEY'
  | 'TIMESTAMP_SKEW'
  | 'NONCE_REPLAYED'
  | 'BODY_HASH_MISMATCH'
  | 'SIGNATURE_INVALID'
  | 'BUSY'
  | 'UNAVAILABLE';

export interface UplinkResponse {
  code: UplinkResponseCode;
  /** OK: how many messages were new, how many the province already had (same id). */
  accepted?: number;
  duplicates?: number;
  /** OK and SEQUENCE_GAP: the next seq the province expects from this enterprise. */
  expectedSeq?: number;
  message?: string;
}

/** Most messages in one batch (a larger batch answers 413). */
export const UPLINK_MAX_BATCH_MESSAGES = 500;
