import type { KindHooks, KindState } from '../evaluation/evaluation.types';
import { BASE_KEYS, checkKeys, checkNumber, checkTier, type Rec } from './checks.schema';
import type { OfflineRule } from './rule.types';

type OfflineState = Extract<KindState, { kind: 'offline' }>;

// Why an offline rule is invalid; empty when valid.
export function validateOfflineRule(rec: Rec): string[] {
  const out: string[] = [];
  checkKeys(out, '', rec, [...BASE_KEYS, 'expectedIntervalS', 'missedIntervals', 'tier']);
  checkNumber(out, 'expectedIntervalS', rec['expectedIntervalS'], { above: 0, max: 86_400 });
  checkNumber(out, 'missedIntervals', rec['missedIntervals'], { min: 1, max: 100 });
  checkTier(out, 'tier', rec['tier']);
  return out;
}

// The moment a point that last reported at `seenAt` goes offline (docs/domain.md: 3 × expectedIntervalS).
export function offlineDeadline(rule: OfflineRule, seenAt: number): number {
  return seenAt + rule.missedIntervals * rule.expectedIntervalS * 1000;
}

// Evaluation of offline rules on the evaluation clock (time of receipt, not the gateway's `ts`, so
// a gateway with a wrong clock is not offline forever): a tick at the deadline starts the
// condition with no data arriving, the next reading ends it. Any reading counts, bad ones too.
export const offlineHooks: KindHooks<OfflineRule, OfflineState> = {
  init: (_rule, now) => ({ kind: 'offline', seenAt: now, late: false }),
  clone: (s) => ({ ...s }),
  read(_rule, s, _reading, now) {
    s.seenAt = now;
    s.late = false;
    return undefined;
  },
  level: (rule, s) => (s.late ? rule.tier : null),
  due: (rule, s) => (s.late ? null : offlineDeadline(rule, s.seenAt)),
  onTime(rule, s, t) {
    if (!s.late && t >= offlineDeadline(rule, s.seenAt)) s.late = true;
  },
  cause: (_rule, s) => (s.late ? 'no_data' : undefined),
  // Peer systems §3.7: no false "no data" flood after our own restart — the window starts afresh.
  restore: (_rule, s, now) => (s.late ? s : { ...s, seenAt: Math.max(s.seenAt, now) }),
};
