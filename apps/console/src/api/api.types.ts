// Wire shapes of docs/contracts.md §3–§5, as the console reads them.
// The alarm, its events and the live feed's alarm frame are declared once, in @sw/rules, for api,
// alerting and the console alike (type imports only: nothing of @sw/rules is bundled).
import type { HazardAnalysis as HazardFigures } from '@sw/hazards';
import type { Actor, AlarmCondition, AlarmEvent, AlarmFrame, AlarmKind, AlarmSnapshot, AlarmStage, DisposalCause } from '@sw/rules';
import type { Thresholds, Tier } from '@sw/sensors';

export type { Actor, AlarmCondition, AlarmEvent, AlarmFrame, AlarmKind, AlarmStage, DisposalCause, Thresholds, Tier };
export type Alarm = AlarmSnapshot;

export type Role = 'admin' | 'regulator' | 'enterprise';
export type RiskCategory = 'steel' | 'aluminum_casting' | 'metal_dust' | 'wood_dust' | 'other_dust' | 'ammonia_refrigeration' | 'confined_space';

export interface AlarmDetail extends Alarm {
  events: AlarmEvent[];
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface Enterprise {
  id: string;
  name: string;
  uscc: string;
  regionCode: string;
  riskCategories: RiskCategory[];
  status: EnterpriseStatus;
  /** 必选 connected/required 已接入: the categories' mandatory set against the mandatory points. */
  mandatoryConnected?: MandatoryConnected;
}

export interface MandatoryConnected {
  registered: number;
  connected: number;
  required: number;
}

export type EnterpriseStatus = 'opened' | 'operating' | 'suspended' | 'out_of_business' | 'closed';
export type Industry = 'metallurgy' | 'nonferrous' | 'building_materials' | 'machinery' | 'light_industry' | 'textile' | 'tobacco' | 'commerce';
export type PersonnelRole = 'principal' | 'actual_controller' | 'safety_officer';

export interface ProcessFlags {
  deepWellCasting: boolean;
  castingFurnace: 'tilting' | 'fixed' | null;
  wireRopeCaster: boolean;
  ammoniaRefrigeration: boolean;
  ammoniaChargeKg: number | null;
  chlorine: boolean;
  confinedSpace: boolean;
  confinedSpaceGases: ('h2s' | 'co')[];
  hazardousChemicals: boolean;
  liquor: boolean;
  tobaccoFumigation: boolean;
  spraying: boolean;
  silo: boolean;
}

export interface Project {
  name: string;
  designedOn: string | null;
  reviewedOn: string | null;
  acceptedOn: string | null;
}

export interface PersonnelHistoryEntry {
  role: PersonnelRole;
  name: string;
  phone: string | null;
  previousName: string | null;
  previousPhone: string | null;
  effectiveDate: string;
  source: 'registry' | 'ledger_import' | 'regulator' | 'enterprise_request' | 'contacts';
  recordedAt: string;
}

export interface PersonnelChange {
  id: string;
  role: PersonnelRole;
  name: string;
  phone: string | null;
  effectiveDate: string;
  note: string | null;
  state: 'pending' | 'accepted' | 'rejected';
  submittedAt: string;
  decidedAt: string | null;
  decisionReason: string | null;
}

/** `GET /enterprises/{id}`: the 基础信息台账 of one enterprise with its histories. */
export interface EnterpriseDetail extends Enterprise {
  dustWorkers: number | null;
  employees: number | null;
  industry: Industry | null;
  scale: 'above_designated' | 'below_designated' | null;
  address: string | null;
  longitude: number | null;
  latitude: number | null;
  coordSystem: 'gcj02' | 'wgs84' | null;
  industryDepartment: string | null;
  processes: string[];
  keyEquipment: string[];
  processFlags: ProcessFlags;
  dustKinds: string[];
  standardizationGrade: 'level_1' | 'level_2' | 'level_3' | 'small_micro' | null;
  standardizationValidUntil: string | null;
  standardizationRevokedOn: string | null;
  threeSimultaneity: Project[];
  principalName: string | null;
  principalPhone: string | null;
  actualControllerName: string | null;
  actualControllerPhone: string | null;
  safetyOfficerName: string | null;
  safetyOfficerPhone: string | null;
  statusHistory: { status: EnterpriseStatus; effectiveDate: string; reason: string | null; recordedAt: string }[];
  personnelHistory: PersonnelHistoryEntry[];
  personnelChanges: PersonnelChange[];
}

export interface QualityList {
  check: string;
  title: string;
  count: number;
  items: { enterpriseId: string; name: string; uscc: string; regionCode: string; detail: string }[];
}

export interface Gateway {
  id: string;
  enterpriseId: string;
  code: string;
  protocol: 'mqtt' | 'modbus-tcp';
  online: boolean;
  lastSeenAt: string | null;
}

export interface Point {
  id: string;
  gatewayId: string;
  code: string;
  type: string;
  unit: string;
  name: string;
  location: string | null;
  mandatory: boolean;
  expectedIntervalS: number;
  thresholds: Thresholds | null;
  maintenanceUntil: string | null;
  lastSeenAt: string | null;
  /** The context signal the point's rules need but its gateway lacks (未接入工况信号), or null. */
  missingContext?: 'casting_active' | 'equipment_running' | null;
}

export interface RawReading {
  ts: string;
  value: number;
}

export interface BucketReading {
  ts: string;
  mean: number | null;
  min: number | null;
  max: number | null;
  count: number;
}

export interface Readings {
  pointId: string;
  unit: string;
  every: string | null;
  truncated?: boolean;
  readings: (RawReading | BucketReading)[];
}

export interface RateRow {
  inScope: number;
  connected: number;
  connectionRate: number | null;
  /** mandatory points of the in-scope enterprises, and those that reported within the window */
  mandatoryPoints: number;
  reportingPoints: number;
  pointConnectionRate: number | null;
  online: number;
  onlineRate: number | null;
  /** dust enterprises whose dust-worker count is unknown (a data gap) */
  unknownDustWorkers: number;
}

export interface ConnectionKpi extends RateRow {
  /** null: all regions (an admin without a region) */
  regionCode: string | null;
  asOf: string;
  /** connected = every mandatory point reported within this many days */
  windowDays: number;
  byDistrict: (RateRow & { regionCode: string })[];
  byCategory: (RateRow & { category: RiskCategory })[];
  notConnected: { id: string; name: string; uscc: string; regionCode: string; riskCategories: RiskCategory[]; registered: boolean; mandatoryPoints: number; reportingPoints: number }[];
  /** enterprises whose dust-worker count is unknown: their scope cannot be judged */
  dataGaps: { id: string; name: string; uscc: string; regionCode: string; riskCategories: RiskCategory[]; gap: 'dust_workers_unknown' }[];
}

/** A stored version of a half-year report. */
export interface ReportVersion {
  version: number;
  generatedAt: string;
  generatedBy: string;
}

/** A 检修 request or window (GET /maintenance-requests). */
export interface MaintenanceRecord {
  id: string;
  pointId: string;
  pointCode: string;
  pointName: string;
  enterpriseId: string;
  enterpriseName: string;
  regionCode: string;
  kind: 'request' | 'direct';
  status: 'pending' | 'approved' | 'rejected' | 'cancelled';
  mandatory: boolean;
  minutes: number;
  reason: string;
  requestedByName: string;
  requestedAt: string;
  decidedByName: string | null;
  windowStart: string | null;
  windowEnd: string | null;
  endedEarlyAt: string | null;
}

/** Live feed frames from the server (docs/contracts.md §5). */
export interface ReadingFrame {
  type: 'reading';
  pointId: string;
  ts: string;
  value: number;
  quality: string;
}

export type ServerFrame =
  | { type: 'ready'; user: Actor; head: number }
  | { type: 'live'; head: number }
  | { type: 'error'; code: string; message: string }
  | { type: 'pong' }
  | AlarmFrame
  | ReadingFrame;

/** GET /uplink/status: the forwarding to the provincial platform (docs/contracts.md §6). */
export interface UplinkStatus {
  enabled: boolean;
  adapter: string | null;
  endpoint: string | null;
  backlog: number;
  backlogByType: Record<'enterprise' | 'readings' | 'alarm_event' | 'hazard_event', number>;
  enterprisesBehind: number;
  oldestPendingAt: string | null;
  lagSeconds: number;
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  lastError: string | null;
  failures: number;
  deliveredLastHour: number;
}

// --- the hazard register (重大事故隐患, README "The hazard register") ---------------------------

export type HazardStatus = 'reported' | 'confirmed' | 'rejected' | 'rectifying' | 'submitted' | 'signed_off';
export type HazardSource = 'self_check' | 'inspection' | 'regulator' | 'alarm' | 'report';

export interface HazardPlan {
  measures: string;
  funds: number | null;
  responsible: string;
  deadline: string;
}

/** GET /hazards items and the body of every hazard action's answer. */
export interface Hazard {
  id: string;
  enterpriseId: string;
  regionCode: string;
  source: HazardSource;
  status: HazardStatus;
  article: number;
  item: number | null;
  categories: RiskCategory[];
  description: string;
  location: string | null;
  pointId: string | null;
  alarm: { alarmId: string; tier: Tier; value: number | null; peakValue: number | null; unit: string; raisedAt: string; message: string } | null;
  reportId: string | null;
  reportedAt: string;
  reportedBy: Actor;
  confirmedAt: string | null;
  confirmedBy: Actor | null;
  rejectedReason: string | null;
  plan: HazardPlan | null;
  evidence: { text: string; photos: { id: string }[]; submittedAt: string; submittedBy: Actor } | null;
  returns: number;
  lastReturnReason: string | null;
  signedOffAt: string | null;
  signedOffBy: Actor | null;
  updatedAt: string;
  /** 判定依据: e.g. { label: '第四条(六)', title: … } */
  basis: { label: string; title: string } | null;
  deadline: string | null;
  overdue: boolean;
}

export interface HazardEvent {
  id: number;
  event: 'reported' | 'confirmed' | 'rejected' | 'planned' | 'submitted' | 'returned' | 'signed_off';
  at: string;
  actor: Actor;
  from: HazardStatus | null;
  to: HazardStatus;
  reason: string | null;
  data: Record<string, unknown>;
}

export interface HazardPhoto {
  id: string;
  eventId: number;
  sha256: string;
  mime: string;
  size: number;
  createdAt: string;
  /** under /api/v1, with the bearer token */
  url: string;
}

export interface HazardDetail extends Hazard {
  events: HazardEvent[];
  photos: HazardPhoto[];
}

export interface CatalogueItem {
  article: number;
  item: number | null;
  label: string;
  title: string;
  categories: RiskCategory[] | 'all';
  verified: boolean;
}

export interface CatalogueArticle {
  article: number;
  label: string;
  scope: string;
  categories: RiskCategory[] | 'all';
}

/** GET /hazards/analysis: the register's figures of @sw/hazards, and the region asked for. */
export interface HazardAnalysis extends HazardFigures {
  regionCode: string | null;
}

export type PublicReportStatus = 'received' | 'assigned' | 'verifying' | 'confirmed' | 'unfounded';

/** GET /reports items (举报 triage). */
export interface PublicReport {
  id: string;
  status: PublicReportStatus;
  enterpriseName: string | null;
  address: string | null;
  description: string;
  phone: string | null;
  enterpriseId: string | null;
  regionCode: string | null;
  assigneeId: string | null;
  assigneeUsername: string | null;
  verifyNote: string | null;
  reply: string | null;
  reward: number | null;
  hazardId: string | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  photos?: { id: string; mime: string; size: number; url: string }[];
}

/** GET|POST /enterprises/{id}/posting-link: the 内部公示 link (paths of the QR images under the api's origin). */
export interface PostingLink {
  token: string;
  url: string;
  qrSvg: string;
  qrPng: string;
  createdAt: string;
}
