import { findCatalogueItem } from '../catalogue/hazard-catalogue.constants';
import type {
  ActorRef,
  HazardAction,
  HazardActionName,
  HazardActor,
  HazardError,
  HazardErrorCode,
  HazardEventName,
  HazardResult,
  HazardRole,
  HazardSnapshot,
  HazardSource,
  HazardStatus,
  NewHazard,
} from './hazard.types';

/** Most photos one evidence submission carries. */
export const MAX_EVIDENCE_PHOTOS = 9;

/** Who may record a hazard from each source. */
export const SOURCE_ROLES: Readonly<Record<HazardSource, readonly HazardRole[]>> = Object.freeze({
  self_check: ['enterprise', 'admin'],
  inspection: ['regulator', 'admin'],
  regulator: ['regulator', 'admin'],
  alarm: ['regulator', 'admin', 'enterprise'],
  report: ['regulator', 'admin'],
});

/** Each action: the states it starts from, the state it leads to, its event, who may take it. */
export const HAZARD_TRANSITIONS: Readonly<Record<HazardActionName, { from: readonly HazardStatus[]; to: HazardStatus; event: HazardEventName; roles: readonly HazardRole[] }>> =
  Object.freeze({
    confirm: { from: ['reported'], to: 'confirmed', event: 'confirmed', roles: ['regulator', 'admin'] },
    reject: { from: ['reported'], to: 'rejected', event: 'rejected', roles: ['regulator', 'admin'] },
    // a plan starts rectification; while rectifying (e.g. after a return) it may be revised
    plan: { from: ['confirmed', 'rectifying'], to: 'rectifying', event: 'planned', roles: ['enterprise', 'regulator', 'admin'] },
    submit: { from: ['rectifying'], to: 'submitted', event: 'submitted', roles: ['enterprise', 'admin'] },
    return: { from: ['submitted'], to: 'rectifying', event: 'returned', roles: ['regulator', 'admin'] },
    sign_off: { from: ['submitted'], to: 'signed_off', event: 'signed_off', roles: ['regulator', 'admin'] },
  });

/** Past its deadline and not signed off (nor rejected): derived, never stored. */
export function isOverdue(h: Pick<HazardSnapshot, 'status' | 'plan'>, now: number): boolean {
  if (h.status === 'signed_off' || h.status === 'rejected' || !h.plan) return false;
  return Date.parse(h.plan.deadline) < now;
}

const fail = (code: HazardErrorCode, reason: string): HazardError => ({ ok: false, code, reason });
const refOf = (a: HazardActor): ActorRef => ({ id: a.id, username: a.username, role: a.role });
const blank = (s: string | undefined | null) => !s || s.trim().length === 0;

/** Records a new hazard (`reported`), refusing a source the actor may not use or an unknown item. */
export function reportHazard(input: NewHazard, actor: HazardActor, at: string): HazardResult {
  if (!SOURCE_ROLES[input.source].includes(actor.role)) return fail('forbidden_role', `a ${actor.role} user cannot record a hazard from source ${input.source}`);
  if (actor.role === 'enterprise' && actor.enterpriseId !== input.enterpriseId) return fail('not_own_enterprise', 'an enterprise user records hazards of its own enterprise only');
  if (!findCatalogueItem(input.article, input.item)) return fail('invalid_input', `the catalogue has no article ${input.article} item ${input.item ?? '-'}`);
  if (blank(input.description)) return fail('invalid_input', 'description is required');
  if (input.source === 'alarm' && !input.alarm) return fail('invalid_input', 'a hazard from an alarm carries the alarm');
  const by = refOf(actor);
  const hazard: HazardSnapshot = {
    id: input.id,
    enterpriseId: input.enterpriseId,
    regionCode: input.regionCode,
    source: input.source,
    status: 'reported',
    article: input.article,
    item: input.item,
    categories: [...input.categories],
    description: input.description.trim(),
    location: input.location ?? null,
    pointId: input.pointId ?? null,
    alarm: input.alarm ?? null,
    reportId: input.reportId ?? null,
    reportedAt: at,
    reportedBy: by,
    confirmedAt: null,
    confirmedBy: null,
    rejectedReason: null,
    plan: null,
    evidence: null,
    returns: 0,
    lastReturnReason: null,
    signedOffAt: null,
    signedOffBy: null,
    updatedAt: at,
  };
  const data: Record<string, unknown> = { source: input.source, article: input.article, item: input.item };
  if (input.alarm) data['alarmId'] = input.alarm.alarmId;
  return { ok: true, hazard, event: { event: 'reported', at, actor: by, from: null, to: 'reported', reason: null, data } };
}

/**
 * The one transition function: checks the role, the enterprise of an enterprise user, the state
 * and the input, then answers the hazard after the action and its event. Pure: time comes in.
 */
export function applyHazardAction(h: HazardSnapshot, action: HazardAction, actor: HazardActor, at: string): HazardResult {
  const t = HAZARD_TRANSITIONS[action.action];
  if (actor.role === 'enterprise' && actor.enterpriseId !== h.enterpriseId) return fail('not_own_enterprise', `hazard ${h.id} not found`);
  if (!t.roles.includes(actor.role)) return fail('forbidden_role', `a ${actor.role} user cannot ${action.action.replace('_', ' ')} a hazard`);
  if (!t.from.includes(h.status)) return fail('invalid_state', `cannot ${action.action.replace('_', ' ')} a hazard that is ${h.status}`);
  const by = refOf(actor);
  const base = { ...h, status: t.to, updatedAt: at };
  const event = (reason: string | null, data: Record<string, unknown> = {}) => ({ event: t.event, at, actor: by, from: h.status, to: t.to, reason, data });

  switch (action.action) {
    case 'confirm':
      return { ok: true, hazard: { ...base, confirmedAt: at, confirmedBy: by }, event: event(action.comment?.trim() || null) };
    case 'reject':
      if (blank(action.reason)) return fail('invalid_input', 'rejecting a hazard takes a reason');
      return { ok: true, hazard: { ...base, rejectedReason: action.reason.trim() }, event: event(action.reason.trim()) };
    case 'plan': {
      if (blank(action.measures) || blank(action.responsible)) return fail('invalid_input', 'a plan takes measures and a responsible person');
      const deadline = Date.parse(action.deadline);
      if (!Number.isFinite(deadline)) return fail('invalid_input', 'a plan takes a deadline (ISO 8601)');
      if (deadline <= Date.parse(at)) return fail('invalid_input', 'the deadline must lie in the future');
      if (action.funds !== undefined && action.funds !== null && !(action.funds >= 0)) return fail('invalid_input', 'funds cannot be negative');
      const plan = { measures: action.measures.trim(), funds: action.funds ?? null, responsible: action.responsible.trim(), deadline: new Date(deadline).toISOString() };
      return { ok: true, hazard: { ...base, plan }, event: event(null, { ...plan }) };
    }
    case 'submit':
      if (blank(action.text)) return fail('invalid_input', 'evidence takes a text');
      if (action.photos.length > MAX_EVIDENCE_PHOTOS) return fail('invalid_input', `at most ${MAX_EVIDENCE_PHOTOS} photos per submission`);
      return {
        ok: true,
        hazard: { ...base, evidence: { text: action.text.trim(), photos: action.photos, submittedAt: at, submittedBy: by } },
        event: event(null, { text: action.text.trim(), photos: action.photos.map((p) => p.id) }),
      };
    case 'return':
      if (blank(action.reason)) return fail('invalid_input', 'returning evidence takes a reason');
      return { ok: true, hazard: { ...base, returns: h.returns + 1, lastReturnReason: action.reason.trim() }, event: event(action.reason.trim()) };
    case 'sign_off':
      // docs/domain.md: 销号 by a regulator other than the one who confirmed it
      if (h.confirmedBy && h.confirmedBy.id === actor.id) return fail('same_confirmer', 'sign-off must be by someone other than the user who confirmed the hazard');
      return { ok: true, hazard: { ...base, signedOffAt: at, signedOffBy: by }, event: event(action.comment?.trim() || null) };
  }
}
