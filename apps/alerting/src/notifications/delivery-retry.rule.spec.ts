import { factory } from '../testing/alerting-test.factory';
import { judgeSend, outcomeReason, recordable } from './delivery-retry.rule';

// docs/architecture.md "Notifications": retryable errors back off on the same provider, then the next provider takes over
describe(judgeSend.name, () => {
  const policy = { attemptsPerProvider: 3, backoffMs: 2000 };
  const failed = (retryable: boolean, retryAfterMs?: number) => ({ ok: false as const, reason: 'isv.BUSINESS_LIMIT', retryable, ...(retryAfterMs !== undefined && { retryAfterMs }) });

  it('records a send', () => {
    expect(judgeSend(factory.outboxRow(), 'aliyun-sms', { ok: true, messageId: 'biz-1' }, policy)).toEqual({ kind: 'sent', provider: 'aliyun-sms', messageId: 'biz-1', reason: null });
  });

  it('backs off exponentially on the same provider for a retryable error, counting the attempt', () => {
    const sut = (stepAttempts: number) => judgeSend(factory.outboxRow({ step_attempts: stepAttempts }), 'aliyun-sms', failed(true), policy);
    expect(sut(0)).toEqual({ kind: 'retry', provider: 'aliyun-sms', reason: 'isv.BUSINESS_LIMIT', delayMs: 2000, countsAttempt: true });
    expect(sut(1)).toMatchObject({ kind: 'retry', delayMs: 4000 });
  });

  it('waits for the vendor\'s retry-after without counting an attempt, even on the last attempt', () => {
    expect(judgeSend(factory.outboxRow({ step_attempts: 2 }), 'aliyun-sms', failed(true, 1500), policy)).toEqual({
      kind: 'retry',
      provider: 'aliyun-sms',
      reason: 'isv.BUSINESS_LIMIT',
      delayMs: 1500,
      countsAttempt: false,
    });
  });

  it('falls back to the next provider after the attempts per provider, or at once on a permanent error', () => {
    expect(judgeSend(factory.outboxRow({ step_attempts: 2 }), 'aliyun-sms', failed(true), policy)).toMatchObject({ kind: 'fallback', provider: 'aliyun-sms' });
    expect(judgeSend(factory.outboxRow(), 'aliyun-sms', failed(false), policy)).toMatchObject({ kind: 'fallback' });
  });

  it('fails the row when no provider is left', () => {
    expect(judgeSend(factory.outboxRow({ step: 1 }), 'tencent-sms', failed(false), policy)).toEqual({ kind: 'failed', provider: 'tencent-sms', reason: 'isv.BUSINESS_LIMIT' });
    expect(judgeSend(factory.outboxRow({ providers: ['aliyun-sms'], step_attempts: 2 }), 'aliyun-sms', failed(true), policy)).toMatchObject({ kind: 'failed' });
  });
});

describe(outcomeReason.name, () => {
  const row = factory.outboxRow({ dedup_key: 'a:7:principal:sms' });

  it('names what happened, what happens next and the dedup key', () => {
    expect(outcomeReason(row, { kind: 'sent', provider: 'aliyun-sms', messageId: 'm', reason: null })).toBe('key a:7:principal:sms');
    expect(outcomeReason(row, { kind: 'retry', provider: 'aliyun-sms', reason: 'timeout', delayMs: 4000, countsAttempt: true })).toBe('timeout; retry in 4 s; key a:7:principal:sms');
    expect(outcomeReason(row, { kind: 'fallback', provider: 'aliyun-sms', reason: 'bad sign' })).toBe('bad sign; falling back to tencent-sms; key a:7:principal:sms');
    expect(outcomeReason(row, { kind: 'cancelled', reason: 'alarm deleted' })).toBe('alarm deleted');
  });
});

describe(recordable.name, () => {
  it('puts sends, counted retries, fallbacks and failures on the timeline; not waits or cancellations', () => {
    expect(recordable({ kind: 'sent', provider: 'p', messageId: 'm', reason: null })).toBe(true);
    expect(recordable({ kind: 'retry', provider: 'p', reason: 'r', delayMs: 1, countsAttempt: true })).toBe(true);
    expect(recordable({ kind: 'retry', provider: 'p', reason: 'r', delayMs: 1, countsAttempt: false })).toBe(false);
    expect(recordable({ kind: 'failed', provider: 'p', reason: 'r' })).toBe(true);
    expect(recordable({ kind: 'cancelled', reason: 'r' })).toBe(false);
  });
});
