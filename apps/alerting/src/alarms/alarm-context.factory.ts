import { randomUUID } from 'node:crypto';
import type { EvaluationPoint } from '@sw/persistence';
import type { AlarmContext, AlarmKind, AlarmSnapshot, RuleKind } from '@sw/rules';

/** The escalation policy in use (DEFAULT_ESCALATION_POLICY, durations divided by the time scale). */
export const ESCALATION_POLICY = Symbol('ESCALATION_POLICY');

/** A rule as an alarm names it: its id on the point and its kind. */
export interface RuleRef {
  id: string;
  kind: RuleKind;
}

/** The alarm kind a rule reports with (docs/contracts.md §3: a digital point alarms as `threshold`). */
export function alarmKindOf(kind: RuleKind): AlarmKind {
  return kind === 'digital' ? 'threshold' : kind;
}

/** Whether the point is under maintenance at `now` (its alarms start suppressed). */
export function underMaintenance(point: EvaluationPoint, now: number): boolean {
  return point.maintenanceUntil !== null && point.maintenanceUntil > now;
}

/** What `applyConditionChange` needs to know about a point's rule beyond the alarm itself. */
export function alarmContext(point: EvaluationPoint, rule: RuleRef, now: number): AlarmContext {
  return {
    newAlarmId: randomUUID(),
    enterpriseId: point.enterpriseId,
    gatewayId: point.gatewayId,
    pointId: point.id,
    pointCode: point.code,
    ruleId: rule.id,
    kind: alarmKindOf(rule.kind),
    unit: point.unit,
    enterpriseName: point.enterpriseName,
    pointName: point.name,
    suppressed: underMaintenance(point, now),
  };
}

/** The context of an existing alarm, from its own snapshot (enough for anything but a raise). */
export function contextOfAlarm(alarm: AlarmSnapshot): AlarmContext {
  const { id, enterpriseId, gatewayId, pointId, pointCode, ruleId, kind, unit } = alarm;
  return { newAlarmId: id, enterpriseId, gatewayId, pointId, pointCode, ruleId, kind, unit, enterpriseName: '', pointName: pointCode ?? '' };
}
