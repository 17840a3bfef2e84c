/**
 * An inspection's life (docs/domain.md "The closed loop"):
 * planned → recorded (the visit: date, ≥ 2 inspectors, the checklist) → rectifying (责令整改
 * order issued) → closed (复查 found it rectified); recorded → closed when nothing needs an order;
 * planned → cancelled. Findings and a penalty decision are added to a recorded visit and do not
 * change the status.
 */
export const INSPECTION_STATUSES = ['planned', 'recorded', 'rectifying', 'closed', 'cancelled'] as const;
export type InspectionStatus = (typeof INSPECTION_STATUSES)[number];

/** 双随机, 四不两直, 专项, 线上巡查 follow-up, 举报核查. */
export const INSPECTION_MODES = ['double_random', 'four_no_two_direct', 'special', 'online_patrol', 'report'] as const;
export type InspectionMode = (typeof INSPECTION_MODES)[number];

export const INSPECTION_MODE_ZH: Record<InspectionMode, string> = {
  double_random: '双随机',
  four_no_two_direct: '四不两直',
  special: '专项检查',
  online_patrol: '线上巡查',
  report: '举报核查',
};

export const INSPECTION_STATUS_ZH: Record<InspectionStatus, string> = { planned: '待检查', recorded: '已检查', rectifying: '整改中', closed: '已办结', cancelled: '已取消' };

export const INSPECTION_ACTIONS = ['record', 'finding', 'order', 'reinspect_passed', 'reinspect_failed', 'penalty', 'close', 'cancel', 'photo'] as const;
export type InspectionAction = (typeof INSPECTION_ACTIONS)[number];

const ALLOWED: Record<InspectionAction, readonly InspectionStatus[]> = {
  record: ['planned', 'recorded'],
  finding: ['recorded'],
  order: ['recorded'],
  reinspect_passed: ['rectifying'],
  reinspect_failed: ['rectifying'],
  penalty: ['recorded', 'rectifying', 'closed'],
  close: ['recorded'],
  cancel: ['planned'],
  photo: ['planned', 'recorded', 'rectifying'],
};

const TARGET: Partial<Record<InspectionAction, InspectionStatus>> = {
  record: 'recorded',
  order: 'rectifying',
  reinspect_passed: 'closed',
  close: 'closed',
  cancel: 'cancelled',
};

export type InspectionStep = { ok: true; from: InspectionStatus; to: InspectionStatus } | { ok: false; code: 'invalid_state'; reason: string };

/** Where `action` takes an inspection in `status`, or why it may not. */
export function inspectionStep(status: InspectionStatus, action: InspectionAction): InspectionStep {
  if (!ALLOWED[action].includes(status)) return { ok: false, code: 'invalid_state', reason: `${action} is not allowed on an inspection that is ${status}` };
  return { ok: true, from: status, to: TARGET[action] ?? status };
}

/** A visit counts as an inspection for the due list and the K-day exclusion once recorded on site (not an online patrol). */
export function countsAsSiteVisit(mode: InspectionMode, status: InspectionStatus): boolean {
  return mode !== 'online_patrol' && (status === 'recorded' || status === 'rectifying' || status === 'closed');
}
