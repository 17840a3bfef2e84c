import { backoffDelayMs, dueWindows, judgeResponse, windowStart } from './delivery-policy';

describe('backoffDelayMs', () => {
  const policy = { baseMs: 1000, maxMs: 60_000 };
  it('doubles from the base with equal jitter and stops at the maximum', () => {
    expect([1, 2, 3].map((n) => backoffDelayMs(n, policy, () => 0))).toEqual([500, 1000, 2000]);
    expect([1, 2, 3].map((n) => backoffDelayMs(n, policy, () => 0.999999))).toEqual([1000, 2000, 4000]);
    expect(backoffDelayMs(40, policy, () => 0.5)).toBe(45_000);
  });
});

describe('judgeResponse', () => {
  it('delivers only on 200 OK, resends from the expected seq on a gap, retries everything else', () => {
    expect(judgeResponse(200, { code: 'OK', accepted: 3 }, null, 0)).toEqual({ kind: 'delivered' });
    expect(judgeResponse(409, { code: 'SEQUENCE_GAP', expectedSeq: 7 }, null, 0)).toMatchObject({ kind: 'gap', expectedSeq: 7 });
    expect(judgeResponse(401, { code: 'SIGNATURE_INVALID' }, null, 0)).toMatchObject({ kind: 'retry', reason: '401 SIGNATURE_INVALID' });
    expect(judgeResponse(503, null, '7', 0)).toEqual({ kind: 'retry', reason: '503 HTTP_503', afterMs: 7000 });
    expect(judgeResponse(200, null, null, 0)).toMatchObject({ kind: 'retry' });
  });
});

describe('dueWindows', () => {
  it('lists closed windows past the lateness, oldest first, bounded', () => {
    expect(dueWindows(60_000, 245_000, 60_000, 5_000, 10)).toEqual([60_000, 120_000, 180_000]);
    expect(dueWindows(60_000, 245_000, 60_000, 5_000, 1)).toEqual([60_000]);
    expect(dueWindows(60_000, 100_000, 60_000, 5_000, 10)).toEqual([]);
    expect(windowStart(119_999, 60_000)).toBe(60_000);
  });
});
