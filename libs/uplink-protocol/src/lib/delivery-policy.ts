import type { UplinkResponse } from './contract.types';

export interface BackoffPolicy {
  /** First retry delay (ms); doubles each failed attempt… */
  baseMs: number;
  /** …up to this (ms). */
  maxMs: number;
}

/**
 * Delay before attempt `failures + 1` after `failures` failed ones: exponential (base · 2^(failures−1),
 * capped) with equal jitter (half fixed, half random), so a province coming back is not hit by every
 * enterprise at the same instant. `random` returns [0, 1).
 */
export function backoffDelayMs(failures: number, policy: BackoffPolicy, random: () => number): number {
  const exp = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, Math.min(30, failures - 1)));
  return Math.round(exp / 2 + random() * (exp / 2));
}

/** What the sender does with the province's answer to a batch (docs/contracts.md §6 "Responses"). */
export type BatchOutcome =
  | { kind: 'delivered' }
  /** The province misses messages before this batch: send again from `expectedSeq` (if still held). */
  | { kind: 'gap'; expectedSeq: number; reason: string }
  /** Try again later: after `afterMs` when the province said so, else by the backoff. */
  | { kind: 'retry'; reason: string; afterMs?: number };

/** Maps an HTTP status and the decoded body (null when it was not JSON) to the sender's next step. */
export function judgeResponse(status: number, body: UplinkResponse | null, retryAfter: string | null, nowMs: number): BatchOutcome {
  const code = body?.code ?? `HTTP_${status}`;
  const reason = `${status} ${code}${body?.message ? `: ${body.message}` : ''}`;
  if (status === 200 && body?.code === 'OK') return { kind: 'delivered' };
  if (status === 409 && body?.code === 'SEQUENCE_GAP' && typeof body.expectedSeq === 'number') return { kind: 'gap', expectedSeq: body.expectedSeq, reason };
  const afterMs = parseRetryAfter(retryAfter, nowMs);
  // everything else is retried: 401 may be a clock or a key being rotated, 400/413 need a person
  // (the batch is held, counted and shown in the status; nothing is dropped)
  return afterMs === undefined ? { kind: 'retry', reason } : { kind: 'retry', reason, afterMs };
}

/** `Retry-After` as seconds or an HTTP date → ms from now (bounded to one hour), else undefined. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (!value) return undefined;
  const ms = /^\d+$/.test(value.trim()) ? Number(value) * 1000 : Date.parse(value) - nowMs;
  return Number.isFinite(ms) ? Math.max(0, Math.min(3_600_000, ms)) : undefined;
}

/**
 * The readings windows that are closed and due: window starts from `fromMs` (a multiple of
 * `intervalMs`) whose end is at least `latenessMs` in the past, oldest first, at most `max` (a
 * backfill after an outage of the uplink itself advances in bounded steps).
 */
export function dueWindows(fromMs: number, nowMs: number, intervalMs: number, latenessMs: number, max: number): number[] {
  const out: number[] = [];
  for (let start = fromMs; start + intervalMs <= nowMs - latenessMs && out.length < max; start += intervalMs) out.push(start);
  return out;
}

/** The start of the window containing `ms`. */
export const windowStart = (ms: number, intervalMs: number): number => Math.floor(ms / intervalMs) * intervalMs;
