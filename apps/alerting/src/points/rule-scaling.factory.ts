import type { EscalationPolicy, Gate, RuleDefinition, SustainedLift, ThresholdRule } from '@sw/rules';

type Delays = { onDelayS?: number; offDelayS?: number };

function scaleDelays<T extends Delays>(source: T, scale: number): T {
  const out = { ...source };
  if (source.onDelayS !== undefined) out.onDelayS = source.onDelayS / scale;
  if (source.offDelayS !== undefined) out.offDelayS = source.offDelayS / scale;
  return out;
}

// The grace period of a gate is evaluation-clock time, like the delays.
function scaleGate<T extends { gate?: Gate }>(rule: T, scale: number): T {
  return rule.gate?.graceS !== undefined ? { ...rule, gate: { ...rule.gate, graceS: rule.gate.graceS / scale } } : rule;
}

function scaleLifts(lifts: readonly SustainedLift[] | undefined, scale: number): SustainedLift[] | undefined {
  return lifts?.map((l) => ({ ...l, forS: l.forS / scale }));
}

/**
 * A rule with its evaluation-clock durations divided by `scale` (ALERTING_TIME_SCALE): on/off
 * delays, sustained lifts and gate grace periods. Reading-time windows (rate `withinS`, fault `stuckAfterS`) are
 * judged on the readings' own timestamps and the offline interval is how often the device
 * reports, so those stay as they are.
 */
export function scaleRule(rule: RuleDefinition, scale: number): RuleDefinition {
  if (scale === 1) return rule;
  switch (rule.kind) {
    case 'offline':
      return rule;
    case 'threshold': {
      const scaled: ThresholdRule = scaleGate({ ...rule, thresholds: scaleDelays(rule.thresholds, scale) }, scale);
      const sustained = scaleLifts(rule.sustained, scale);
      return sustained ? { ...scaled, sustained } : scaled;
    }
    case 'fault':
      return scaleDelays(rule, scale);
    case 'rate':
    case 'digital':
    case 'combined': {
      const scaled = scaleGate(scaleDelays(rule, scale), scale);
      const sustained = scaleLifts(rule.sustained, scale);
      return sustained ? { ...scaled, sustained } : scaled;
    }
  }
}

/** The escalation policy with its step and repeat intervals divided by `scale` (same knob as the rules). */
export function scalePolicy(policy: EscalationPolicy, scale: number): EscalationPolicy {
  if (scale === 1) return policy;
  const tiers = Object.fromEntries(
    Object.entries(policy.tiers).map(([tier, t]) => [
      tier,
      {
        ...t,
        repeatEveryS: t.repeatEveryS === null ? null : t.repeatEveryS / scale,
        steps: t.steps.map((s) => ({ ...s, afterS: s.afterS / scale })),
      },
    ]),
  ) as unknown as EscalationPolicy['tiers'];
  return { ...policy, tiers };
}
