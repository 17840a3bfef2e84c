import { rankOf } from '../rules/rule.constants';
import type { ConditionChange } from '../evaluation/evaluation.types';
import { alarmMessage } from './alarm-message.factory';
import { accepted, conflict, dataOf, draft, iso } from './alarm-result.factory';
import type { AlarmContext, AlarmResult, AlarmSnapshot } from './alarm.types';

function messageOf(ctx: AlarmContext, change: ConditionChange): string {
  return alarmMessage({ ...ctx, tier: change.tier, value: change.value, ...(change.cause && { cause: change.cause }) });
}

function raise(change: ConditionChange, ctx: AlarmContext): AlarmResult {
  const at = iso(change.at);
  const alarm: AlarmSnapshot = {
    id: ctx.newAlarmId,
    seq: 0,
    enterpriseId: ctx.enterpriseId,
    gatewayId: ctx.gatewayId,
    pointId: ctx.pointId,
    pointCode: ctx.pointCode,
    ruleId: ctx.ruleId,
    kind: ctx.kind,
    tier: change.tier,
    peakTier: change.tier,
    value: change.value,
    peakValue: change.value,
    unit: ctx.unit,
    condition: 'active',
    acknowledged: false,
    stage: 'open',
    shelvedUntil: null,
    suppressed: ctx.suppressed ?? false, // docs/contracts.md §3: raised during maintenance → starts suppressed
    escalationLevel: 0,
    raisedAt: at,
    clearedAt: null,
    ackedAt: null,
    disposedAt: null,
    closedAt: null,
    message: messageOf(ctx, change),
    escalationStartedAt: at,
  };
  return accepted(alarm, [draft('raised', change.at, null, dataOf({ tier: change.tier, value: change.value, cause: change.cause }))]);
}

// peakTier and the value it was reached with move only upwards.
function peak(alarm: AlarmSnapshot, change: ConditionChange): Pick<AlarmSnapshot, 'peakTier' | 'peakValue'> {
  return rankOf(change.tier) > rankOf(alarm.peakTier)
    ? { peakTier: change.tier, peakValue: change.value }
    : { peakTier: alarm.peakTier, peakValue: alarm.peakValue };
}

// docs/contracts.md §3: acknowledged reset to false, disposed → open, escalation restarts.
function reactivate(alarm: AlarmSnapshot, change: ConditionChange, ctx: AlarmContext): AlarmResult {
  const next: AlarmSnapshot = {
    ...alarm,
    ...peak(alarm, change),
    tier: change.tier,
    value: change.value,
    condition: 'active',
    clearedAt: null,
    acknowledged: false,
    ackedAt: null,
    stage: 'open',
    disposedAt: null,
    escalationLevel: 0,
    escalationStartedAt: iso(change.at),
    message: messageOf(ctx, change),
  };
  return accepted(next, [draft('reactivated', change.at, null, dataOf({ tier: change.tier, value: change.value, cause: change.cause }))]);
}

// docs/contracts.md §3: a rise resets acknowledged and restarts escalation; a fall does neither.
function changeTier(alarm: AlarmSnapshot, change: ConditionChange, ctx: AlarmContext): AlarmResult {
  if (change.tier === alarm.tier) return accepted(alarm, []); // a repeated start (e.g. replay after restart)
  const rise = rankOf(change.tier) > rankOf(alarm.tier);
  const next: AlarmSnapshot = {
    ...alarm,
    ...peak(alarm, change),
    tier: change.tier,
    value: change.value,
    message: messageOf(ctx, change),
    ...(rise && { acknowledged: false, ackedAt: null, escalationLevel: 0, escalationStartedAt: iso(change.at) }),
  };
  const data = dataOf({ from: alarm.tier, to: change.tier, value: change.value, cause: change.cause });
  return accepted(next, [draft('tier_changed', change.at, null, data)]);
}

function clear(alarm: AlarmSnapshot | null, change: ConditionChange): AlarmResult {
  if (!alarm || alarm.condition !== 'active') return conflict('not_active', 'no active alarm of this rule and subject to clear');
  const next: AlarmSnapshot = { ...alarm, condition: 'cleared', clearedAt: iso(change.at), value: change.value ?? alarm.value };
  return accepted(next, [draft('cleared', change.at, null, dataOf({ value: change.value }))]);
}

/**
 * Applies a rule's condition change to the latest alarm of that rule and subject (or null), rows
 * 1–4 of the docs/contracts.md §3 table: `raised` (no alarm, or the last one is closed), `reactivated`
 * (cleared, not closed), `tier_changed` (active), `cleared` (active; else the conflict `not_active`). A
 * start or tier change that changes nothing answers ok with no events, so replays are harmless.
 */
export function applyConditionChange(alarm: AlarmSnapshot | null, change: ConditionChange, ctx: AlarmContext): AlarmResult {
  const live = alarm && alarm.stage !== 'closed' ? alarm : null;
  if (change.kind === 'end') return clear(live, change);
  if (!live) return raise(change, ctx);
  return live.condition === 'cleared' ? reactivate(live, change, ctx) : changeTier(live, change, ctx);
}
