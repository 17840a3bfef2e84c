// What the console reads from /api/v1/inspections, /draws, /inspectors, /inspection-plans (docs/contracts.md §4).

export type RiskLevel = 'red' | 'orange' | 'yellow' | 'blue';
export type InspectionMode = 'double_random' | 'four_no_two_direct' | 'special' | 'online_patrol' | 'report';
export type InspectionStatus = 'planned' | 'recorded' | 'rectifying' | 'closed' | 'cancelled';
export type CheckResult = 'compliant' | 'finding' | 'not_applicable';

export interface InspectionSummary {
  id: string;
  enterpriseId: string;
  enterpriseName: string;
  regionCode: string;
  mode: InspectionMode;
  visitDate: string;
  status: InspectionStatus;
  drawId: string | null;
  alarmId: string | null;
  subject: string | null;
}

export interface Inspection extends InspectionSummary {
  summary: string | null;
  inspectors: { id: string; name: string; certificateNo: string }[];
  checklist: { id: number; article: number; item: number | null; label: string; title: string; result: CheckResult | null; note: string | null }[];
  photos: { id: string; checklistItemId: number | null; url: string }[];
  findings: { id: string; kind: 'major' | 'general'; article: number | null; item: number | null; description: string; hazardId: string | null }[];
  order: { number: string; deadline: string; requirements: string; status: 'open' | 'closed' } | null;
  reinspections: { id: string; visitDate: string; passed: boolean; note: string }[];
  penalties: { id: string; legalBasis: string; amount: number; decisionNumber: string; decidedOn: string }[];
  recordUrl: string;
}

export interface Inspector {
  id: string;
  regionCode: string;
  name: string;
  certificateNo: string;
  active: boolean;
  relatedEnterpriseIds: string[];
}

export interface Draw {
  id: string;
  regionCode: string;
  seed: string;
  algorithm: string;
  day: string;
  n: number;
  m: number;
  excludeDays: number;
  drawnBy: string | null;
  drawnAt: string;
  eligible: number;
  candidates: { enterpriseId: string; name: string; level: RiskLevel; graded: boolean; weight: number; lastInspectedOn: string | null }[];
  excluded: { enterpriseId: string; reason: string; lastInspectedOn: string | null }[];
  picks: { enterpriseId: string; name: string | null; level: RiskLevel | null; graded: boolean | null; shortfall: boolean; inspectionId: string | null; team: { id: string; name: string | null; certificateNo: string | null }[] }[];
}

export interface Replay {
  matches: boolean;
  seed: string;
  reason: string | null;
}

export interface DueItem {
  enterpriseId: string;
  name: string | null;
  regionCode: string | null;
  level: RiskLevel;
  graded: boolean;
  lastInspectedOn: string | null;
  nextDueOn: string;
  status: 'overdue' | 'due' | 'not_due';
  daysOverdue: number;
}

export interface Plan {
  id: string;
  regionCode: string;
  year: number;
  targets: Record<RiskLevel, number>;
  done: Record<RiskLevel, number>;
  ungradedDone: number;
  note: string | null;
}
