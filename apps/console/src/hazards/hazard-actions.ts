// Which hazard actions the console offers: the life's own table (HAZARD_TRANSITIONS of @sw/hazards:
// states and roles), the enterprise user's own enterprise, and 销号 never by the user who confirmed
// it (docs/domain.md "The closed loop"). The API checks all of it again.
import { HAZARD_TRANSITIONS, type HazardActionName } from '@sw/hazards';
import type { Hazard, Role } from '../api/api.types';

export type { HazardActionName };

/** In the order the buttons show. */
export const ACTION_ORDER: readonly HazardActionName[] = ['confirm', 'reject', 'plan', 'submit', 'return', 'sign_off'];

export const ACTION_LABEL: Record<HazardActionName, string> = {
  confirm: '确认隐患',
  reject: '不予认定',
  plan: '制定整改方案',
  submit: '提交整改材料',
  return: '退回整改',
  sign_off: '销号',
};

/** The REST path segment of each action (POST /hazards/{id}/…). */
export const ACTION_PATH: Record<HazardActionName, string> = {
  confirm: 'confirm',
  reject: 'reject',
  plan: 'plan',
  submit: 'evidence',
  return: 'return',
  sign_off: 'sign-off',
};

export interface Actor {
  userId: string;
  role: Role;
  enterpriseId: string | null;
}

export function availableActions(h: Pick<Hazard, 'status' | 'enterpriseId' | 'confirmedBy'>, actor: Actor): HazardActionName[] {
  if (actor.role === 'enterprise' && actor.enterpriseId !== h.enterpriseId) return [];
  return ACTION_ORDER.filter((a) => {
    const t = HAZARD_TRANSITIONS[a];
    if (!t.roles.includes(actor.role) || !t.from.includes(h.status)) return false;
    return !(a === 'sign_off' && h.confirmedBy?.id === actor.userId);
  });
}

/** Why 销号 is not offered although the state allows it, for the hint under the buttons. */
export function signOffHint(h: Pick<Hazard, 'status' | 'confirmedBy'>, actor: Actor): string | null {
  if (h.status !== 'submitted' || actor.role === 'enterprise') return null;
  return h.confirmedBy?.id === actor.userId ? '销号须由确认该隐患以外的监管人员办理' : null;
}

/**
 * An alarm whose latest disposal names the cause `real_hazard` offers "登记重大事故隐患"
 * (POST /alarms/{id}/hazard; the API answers 409 for any other cause).
 */
export function offersHazard(events: readonly { event: string; data: Record<string, unknown> | null }[]): boolean {
  const disposal = events.filter((e) => e.event === 'disposed').at(-1);
  return disposal?.data?.['cause'] === 'real_hazard';
}
