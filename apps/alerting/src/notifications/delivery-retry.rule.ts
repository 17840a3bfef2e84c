import type { OutboxOutcome, OutboxRow } from '@sw/persistence';
import type { SendResult } from './providers/notification-provider.types';

/** The retry settings of the delivery worker (NOTIFY_ATTEMPTS_PER_PROVIDER, NOTIFY_BACKOFF_MS). */
export interface RetryPolicy {
  attemptsPerProvider: number;
  backoffMs: number;
}

/**
 * What a send's result means for its row: sent; a vendor's "retry after" (waits, does not count an
 * attempt); a retryable error backs off exponentially on the same provider (NOTIFY_BACKOFF_MS × 2^n)
 * until `attemptsPerProvider` attempts; then, or at once on a permanent error, the row's next
 * provider takes over (fallback); with none left the row has failed.
 */
export function judgeSend(row: Pick<OutboxRow, 'step' | 'step_attempts' | 'providers'>, provider: string, result: SendResult, policy: RetryPolicy): OutboxOutcome {
  if (result.ok) return { kind: 'sent', provider, messageId: result.messageId, reason: null };
  if (result.retryAfterMs !== undefined) return { kind: 'retry', provider, reason: result.reason, delayMs: result.retryAfterMs, countsAttempt: false };
  const attempts = row.step_attempts + 1;
  if (result.retryable && attempts < policy.attemptsPerProvider) {
    return { kind: 'retry', provider, reason: result.reason, delayMs: policy.backoffMs * 2 ** (attempts - 1), countsAttempt: true };
  }
  if (row.step + 1 < row.providers.length) return { kind: 'fallback', provider, reason: result.reason };
  return { kind: 'failed', provider, reason: result.reason };
}

/** Whether the outcome goes on the alarm's timeline as a `notified` event (a wait that counts no attempt and a cancellation do not). */
export function recordable(o: OutboxOutcome): boolean {
  return o.kind !== 'cancelled' && !(o.kind === 'retry' && !o.countsAttempt);
}

/** The `notified` event's reason: what happened, what happens next, and the row's dedup key. */
export function outcomeReason(row: Pick<OutboxRow, 'dedup_key' | 'providers' | 'step'>, o: OutboxOutcome): string | null {
  const key = `key ${row.dedup_key}`;
  switch (o.kind) {
    case 'sent':
      return o.reason ? `${o.reason}; ${key}` : key;
    case 'retry':
      return `${o.reason}; retry in ${Math.round(o.delayMs / 100) / 10} s; ${key}`;
    case 'fallback':
      return `${o.reason}; falling back to ${row.providers[row.step + 1] ?? '?'}; ${key}`;
    case 'failed':
      return `${o.reason}; ${key}`;
    case 'cancelled':
      return o.reason;
  }
}
