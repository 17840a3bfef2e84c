// Wire shapes of CONTRACTS.md §3–§5, as the console reads them.
import type { Thresholds, Tier } from '@sw/sensors';

export type { Thresholds, Tier };

export type Role = 'admin' | 'regulator' | 'enterprise';
export type AlarmKind = 'threshold' | 'rate' | 'offline' | 'fault' | 'combined';
export type AlarmCondition = 'active' | 'cleared';
export type AlarmStage = 'open' | 'disposed' | 'closed';
export type DisposalCause = 'real_hazard' | 'equipment_fault' | 'maintenance' | 'false_alarm' | 'other';
export type RiskCategory = 'steel' | 'aluminum_casting' | 'metal_dust' | 'wood_dust' | 'other_dust' | 'ammonia_refrigeration' | 'confined_space';

export interface Alarm {
  id: string;
  seq: number;
  enterpriseId: string;
  gatewayId: string | null;
  pointId: string | null;
  pointCode: string | null;
  ruleId: string | null;
  kind: AlarmKind;
  tier: Tier;
  peakTier: Tier;
  value: number | null;
  peakValue: number | null;
  unit: string | null;
  condition: AlarmCondition;
  acknowledged: boolean;
  stage: AlarmStage;
  shelvedUntil: string | null;
  suppressed: boolean;
  escalationLevel: number;
  raisedAt: string;
  clearedAt: string | null;
  ackedAt: string | null;
  disposedAt: string | null;
  closedAt: string | null;
  message: string;
}

export interface Actor {
  id: string;
  username: string;
  role: Role;
}

export interface AlarmEvent {
  seq: number;
  event: string;
  at: string;
  actor: Actor | null;
  data: Record<string, unknown> | null;
}

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
  status: 'operating' | 'suspended' | 'closed';
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

/** Live feed frames from the server (CONTRACTS.md §5). */
export interface AlarmFrame extends AlarmEvent {
  type: 'alarm';
  alarm: Alarm;
}

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
