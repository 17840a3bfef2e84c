/**
 * A major accident hazard (重大事故隐患) and its life (docs/domain.md "The closed loop"):
 * reported → confirmed | rejected → rectifying → submitted → signed_off, with submitted → rectifying
 * when the evidence is returned. `overdue` is not a state: it is derived from the deadline.
 */
export const HAZARD_STATUSES = ['reported', 'confirmed', 'rejected', 'rectifying', 'submitted', 'signed_off'] as const;
export type HazardStatus = (typeof HAZARD_STATUSES)[number];

/** Statuses as the export and the half-year report write them. */
export const HAZARD_STATUS_ZH: Record<HazardStatus, string> = { reported: '待确认', confirmed: '已确认', rejected: '不予认定', rectifying: '整改中', submitted: '待验收', signed_off: '已销号' };

/**
 * Where a hazard came from: 企业自查 (self_check), 督导检查 (inspection), recorded by a regulator
 * directly (regulator), an alarm disposed as a real hazard (alarm), a public report found true (report).
 */
export const HAZARD_SOURCES = ['self_check', 'inspection', 'regulator', 'alarm', 'report'] as const;
export type HazardSource = (typeof HAZARD_SOURCES)[number];

/** Sources as the export and the half-year report write them. */
export const HAZARD_SOURCE_ZH: Record<HazardSource, string> = { self_check: '企业自查', inspection: '督导检查', regulator: '监管录入', alarm: '报警处置', report: '群众举报' };

export const HAZARD_ACTIONS = ['confirm', 'reject', 'plan', 'submit', 'return', 'sign_off'] as const;
export type HazardActionName = (typeof HAZARD_ACTIONS)[number];

/** Event names of a hazard's timeline: one per transition. */
export const HAZARD_EVENTS = ['reported', 'confirmed', 'rejected', 'planned', 'submitted', 'returned', 'signed_off'] as const;
export type HazardEventName = (typeof HAZARD_EVENTS)[number];

export type HazardRole = 'admin' | 'regulator' | 'enterprise';

/** Who acts: the principal, with the enterprise of an enterprise user. */
export interface HazardActor {
  id: string;
  username: string;
  role: HazardRole;
  enterpriseId: string | null;
}

/** The actor as recorded on the hazard and its events. */
export interface ActorRef {
  id: string;
  username: string;
  role: HazardRole;
}

/** 整改方案: measures, funds, the responsible person, the deadline. */
export interface RectificationPlan {
  measures: string;
  /** 整改资金, yuan; null when not stated. */
  funds: number | null;
  responsible: string;
  /** ISO 8601 */
  deadline: string;
}

/** A stored evidence photo, as the hazard refers to it (the file lives outside the database). */
export interface EvidencePhotoRef {
  id: string;
  sha256: string;
  mime: 'image/jpeg' | 'image/png' | 'image/webp';
  size: number;
}

export interface HazardEvidence {
  text: string;
  photos: EvidencePhotoRef[];
  submittedAt: string;
  submittedBy: ActorRef;
}

/** What an alarm-sourced hazard carries from its alarm. */
export interface AlarmOrigin {
  alarmId: string;
  tier: string;
  value: number | null;
  peakValue: number | null;
  unit: string;
  raisedAt: string;
  message: string;
}

export interface HazardSnapshot {
  id: string;
  enterpriseId: string;
  /** The enterprise's six-digit region code (scoping). */
  regionCode: string;
  source: HazardSource;
  status: HazardStatus;
  /** 判定依据: article and item of the catalogue. */
  article: number;
  item: number | null;
  /** The risk categories it counts in (the item's categories the enterprise has). */
  categories: string[];
  description: string;
  location: string | null;
  pointId: string | null;
  alarm: AlarmOrigin | null;
  /** A public report (举报) found true; null until that part exists. */
  reportId: string | null;
  reportedAt: string;
  reportedBy: ActorRef;
  confirmedAt: string | null;
  confirmedBy: ActorRef | null;
  rejectedReason: string | null;
  plan: RectificationPlan | null;
  evidence: HazardEvidence | null;
  /** How many times the evidence was returned. */
  returns: number;
  lastReturnReason: string | null;
  signedOffAt: string | null;
  signedOffBy: ActorRef | null;
  updatedAt: string;
}

/** A transition as recorded: who, when, why, from which state to which. */
export interface HazardEventDraft {
  event: HazardEventName;
  at: string;
  actor: ActorRef;
  from: HazardStatus | null;
  to: HazardStatus;
  reason: string | null;
  data: Record<string, unknown>;
}

/**
 * Why a transition was refused. Transports map codes to their answer (REST: forbidden_role 403,
 * not_own_enterprise 404, invalid_state and same_confirmer 409, invalid_input 400).
 */
export type HazardErrorCode = 'forbidden_role' | 'not_own_enterprise' | 'invalid_state' | 'same_confirmer' | 'invalid_input';

export interface HazardError {
  ok: false;
  code: HazardErrorCode;
  reason: string;
}

export type HazardResult = { ok: true; hazard: HazardSnapshot; event: HazardEventDraft } | HazardError;

/** What each action takes. */
export type HazardAction =
  | { action: 'confirm'; comment?: string }
  | { action: 'reject'; reason: string }
  | { action: 'plan'; measures: string; funds?: number | null; responsible: string; deadline: string }
  | { action: 'submit'; text: string; photos: EvidencePhotoRef[] }
  | { action: 'return'; reason: string }
  | { action: 'sign_off'; comment?: string };

/** A new hazard before it is recorded. */
export interface NewHazard {
  id: string;
  enterpriseId: string;
  regionCode: string;
  source: HazardSource;
  article: number;
  item: number | null;
  categories: string[];
  description: string;
  location?: string | null;
  pointId?: string | null;
  alarm?: AlarmOrigin | null;
  reportId?: string | null;
}
