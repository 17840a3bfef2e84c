import type { UplinkMessageType } from '@sw/uplink-protocol';

/** A message for the outbox: `messageId` is its idempotency key, `sourceAt` the time of the record. */
export interface NewMessage {
  enterpriseId: string;
  type: UplinkMessageType;
  messageId: string;
  sourceAt: Date;
  data: Record<string, unknown>;
}

/** An undelivered row, as the delivery worker reads it. */
export interface OutboxRow {
  id: string;
  enterprise_id: string;
  seq: string;
  type: UplinkMessageType;
  message_id: string;
  source_at: Date;
  payload: Record<string, unknown>;
  attempts: number;
}

/** The head of one enterprise's queue. */
export interface QueueHead {
  enterprise_id: string;
  id: string;
  seq: string;
  attempts: number;
  due: boolean;
  uscc: string | null;
  name: string;
  region_code: string;
}

/** Backlog and timing for /metrics and the status endpoint. */
export interface OutboxStats {
  backlog: Record<UplinkMessageType, number>;
  oldestPendingAt: Date | null;
  enterprisesBehind: number;
}
