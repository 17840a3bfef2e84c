import { initialState, restoreState, type AlarmSnapshot, type ConditionChange, type RuleDefinition, type RuleState, type StepResult } from '@sw/rules';

/**
 * A rule's state when evaluation (re)starts at `now`: the persisted one adopted by `restoreState`
 * (pending delays and lifts keep their start times and fire on time; the offline window restarts),
 * or a fresh one — a point that never reported counts its offline window from now.
 */
export function startState(rule: RuleDefinition, persisted: RuleState | undefined, now: number): RuleState {
  if (!persisted) return initialState(rule, now);
  return forgetStuckWindow(restoreState(rule, persisted, now));
}

// States are written only when they matter for a restart (below), so a fault rule's stuck window
// may be older than the readings we saw since: the value may have moved and come back. Restart the
// window rather than report a false "stuck" (an unchanged value is re-detected within stuckAfterS).
function forgetStuckWindow(st: RuleState): RuleState {
  if (st.k.kind !== 'fault' || st.k.stuck || st.k.stuckSince === null) return st;
  return { ...st, k: { ...st.k, stuckValue: null, stuckSince: null } };
}

/**
 * Whether a new state must be persisted for a restart to be right: a condition change, or a
 * pending on-delay/off-delay/sustained timer appearing, moving or going away (those hang on `raw`
 * and `base`), or a gate opening or closing. An offline rule's moving deadline never matters:
 * `restoreState` restarts the offline window. Everything else waits for the next write of that rule.
 */
export function mattersForRestart(rule: RuleDefinition, prev: RuleState, next: StepResult): boolean {
  if (next.changes.length > 0) return true;
  if (rule.kind === 'offline') return false;
  const st = next.state;
  return st.raw !== prev.raw || st.base !== prev.base || st.gate?.value !== prev.gate?.value;
}

/**
 * What a restored rule state and the alarm of that rule and subject disagree on, as the condition
 * change that makes the alarm follow the state (or null when they agree). States are flushed before
 * their alarm transitions commit, so after a crash the state is the one ahead: a start it holds
 * whose alarm never committed is raised now, an end is cleared now.
 */
export function reconcileChange(rule: RuleDefinition, st: RuleState, alarm: AlarmSnapshot | null, now: number): ConditionChange | null {
  const active = alarm !== null && alarm.stage !== 'closed' && alarm.condition === 'active';
  const value = rule.kind === 'offline' ? null : st.value;
  if (st.tier === null) return active ? { kind: 'end', tier: alarm.tier, value, at: now } : null;
  if (active && alarm.tier === st.tier) return null;
  const change: ConditionChange = { kind: active ? 'tier' : 'start', tier: st.tier, value, at: now };
  if (rule.kind === 'offline') change.cause = 'no_data';
  return change;
}
