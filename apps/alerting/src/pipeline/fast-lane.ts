import type { PriorityReading } from '@sw/sensors';

/** A reading evaluated from the fast lane whose batched copy has not come yet. */
export interface EarlyCopy {
  ts: number;
  receivedAt: number;
  /** its transitions committed (null: it caused none); the batch holding the copy is acknowledged only after */
  done: Promise<void> | null;
}

/**
 * What a point slot keeps for the alarm fast lane (docs/architecture.md): the identity of the last
 * reading evaluated (ts and ingest's receivedAt; NaN before the first) and the readings evaluated
 * early whose batched copies are still to come, oldest first.
 */
export interface FastLaneSlot {
  lastTs: number;
  lastReceivedAt: number;
  early: EarlyCopy[] | null;
}

/** Early copies a point may have in flight at once; beyond, the batch is waited for. */
const MAX_EARLY = 32;

/**
 * A priority copy is evaluated early only when the reading ingest published just before it is the
 * last one evaluated here: the batches hold nothing older of the point, so order per point holds.
 * Otherwise (not restored yet, a lost or late copy, another ingest instance in between) it is
 * ignored and its batched copy counts.
 */
export function takesEarly(slot: FastLaneSlot, r: PriorityReading): boolean {
  return slot.lastTs === r.prevTs && slot.lastReceivedAt === r.prevReceivedAt && (slot.early?.length ?? 0) < MAX_EARLY;
}

export function evaluatedEarly(slot: FastLaneSlot, r: PriorityReading, done: Promise<void> | null): void {
  (slot.early ??= []).push({ ts: r.ts, receivedAt: r.receivedAt, done });
  slot.lastTs = r.ts;
  slot.lastReceivedAt = r.receivedAt;
}

/**
 * For a reading from a batch: the early copy it repeats (taken off the list: the batch must not
 * evaluate it again, only wait for what it caused), or undefined when it is to be evaluated now.
 */
export function batchedCopyOf(slot: FastLaneSlot, ts: number, receivedAt: number): EarlyCopy | undefined {
  const head = slot.early?.[0];
  if (!head || head.ts !== ts || head.receivedAt !== receivedAt) return undefined;
  (slot.early as EarlyCopy[]).shift();
  if (slot.early?.length === 0) slot.early = null;
  return head;
}

export function evaluatedInBatch(slot: FastLaneSlot, ts: number, receivedAt: number): void {
  slot.lastTs = ts;
  slot.lastReceivedAt = receivedAt;
}
