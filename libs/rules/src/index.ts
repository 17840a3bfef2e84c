// The one public door of @sw/rules: rule definitions, their evaluation (`step`) and the alarm state
// machine — pure TypeScript, time injected (no IO, no clock, no framework).

export type {
  AlarmKind,
  CombinedCondition,
  CombinedRule,
  DigitalRule,
  FaultRule,
  Gate,
  LevelOptions,
  LevelRule,
  OfflineRule,
  RateRule,
  RuleBase,
  RuleDefinition,
  RuleKind,
  SustainedLift,
  ThresholdRule,
  ValueExpr,
  ValueRange,
} from './lib/rules/rule.types';
export {
  DEFAULT_CONTEXT_GRACE_S,
  DEFAULT_EXPECTED_INTERVAL_S,
  FAULT_TIER,
  OFFLINE_MANDATORY_TIER,
  OFFLINE_MISSED_INTERVALS,
  OFFLINE_TIER,
  RULE_LIMITS,
  STUCK_AFTER_S,
  TIER_RANK,
  maxTier,
  rankOf,
} from './lib/rules/rule.constants';
export { isRuleDefinition, validateRule } from './lib/rules/rule.schema';
export { validateThresholds } from './lib/rules/threshold.rule';
export { contextGateOf, contextsOf, defaultRuleId, defaultRulesFor, missingContextOf, type PointForRules } from './lib/rules/default-rules.factory';

export type {
  ConditionCause,
  ConditionChange,
  KindState,
  ReadingInput,
  RuleConditionChange,
  RuleInput,
  RuleState,
  StepResult,
  TimerTick,
} from './lib/evaluation/evaluation.types';
export { TICK, initialState, nextTimerAt, restoreState, step } from './lib/evaluation/point-evaluation.rule';

export type {
  ActionInput,
  Actor,
  AlarmContext,
  AlarmError,
  AlarmErrorCode,
  AlarmEventData,
  AlarmEventDraft,
  AlarmEventName,
  AlarmResult,
  AlarmSnapshot,
  DisposalCause,
} from './lib/alarms/alarm.types';
export type { AlarmCondition, AlarmEvent, AlarmFrame, AlarmStage, CommittedEvent } from './lib/alarms/alarm-event.types';
export { DISPOSAL_CAUSES, SHELVE_MINUTES, TIER_LABELS_ZH } from './lib/alarms/alarm.constants';
export { applyConditionChange } from './lib/alarms/alarm-condition.rule';
export {
  ack,
  close,
  comment,
  dispose,
  escalate,
  notified,
  shelfExpired,
  shelfExpiresAt,
  shelve,
  suppress,
  unshelve,
  unsuppress,
  type NotificationOutcome,
} from './lib/alarms/alarm-actions.rule';
export { alarmMessage, type AlarmMessageInput } from './lib/alarms/alarm-message.factory';
export { alarmNotFound } from './lib/alarms/alarm-result.factory';
export {
  DEFAULT_ESCALATION_POLICY,
  type Channel,
  type EscalationPolicy,
  type NotifyTarget,
  type Recipient,
  type TierEscalation,
} from './lib/alarms/escalation.constants';
export { escalationDue, isEscalating, nextEscalationAt, nextRepeatAt } from './lib/alarms/escalation.rule';
