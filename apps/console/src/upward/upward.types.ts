// The shapes of /api/v1/upward (docs/contracts.md §4 "Upward").

export interface DiffEnterprise {
  id: string;
  uscc: string;
  name: string;
  regionCode: string;
}

export interface LedgerDiff {
  previous: { snapshotId: string; asOf: string; submittedAt: string } | null;
  added: DiffEnterprise[];
  closed: (DiffEnterprise & { statusSince: string | null })[];
  removed: DiffEnterprise[];
  changed: (DiffEnterprise & { fields: { field: string; label: string; old: string; new: string }[] })[];
}

export interface LedgerSnapshotSummary {
  id: string;
  regionCode: string;
  asOf: string;
  enterprises: number;
  createdAt: string;
  createdBy: string;
  previousId: string | null;
  counts: { added: number; closed: number; removed: number; changed: number };
  submission: { id: string; submittedAt: string; submittedBy: string; sha256: string; bytes: number } | null;
}

export interface LedgerSnapshot extends LedgerSnapshotSummary {
  diff: LedgerDiff;
}

export const SECTION_KEYS = ['ledger', 'monitoring', 'alarms', 'hazards', 'enforcement', 'reports'] as const;
export type SectionKey = (typeof SECTION_KEYS)[number];

export interface SummarySection {
  key: SectionKey;
  title: string;
  basis: string;
  rows: [string, string][];
  note: string | null;
  narrative: string;
}

export interface WorkSummary {
  id: string;
  regionCode: string;
  from: string;
  to: string;
  status: 'draft' | 'final';
  revision: number;
  updatedAt: string;
  updatedBy: string;
  finalizedAt: string | null;
  finalizedBy: string | null;
  sections: SummarySection[];
}

export interface ReminderStatus {
  regionCode: string;
  today: string;
  due: { dueDate: string; daysLeft: number; period: { from: string; to: string } } | null;
  ledgerSubmitted: boolean;
  summaryFinalized: boolean;
  show: boolean;
}
