// What changed in a region's ledger between the previous submission and a new snapshot
// (docs/domain.md "The closed loop", Upward): enterprises added, closed (关停) or gone from the
// region, and every other changed field with its old and new value — compared cell by cell in the
// ledger file's own terms (LEDGER_LAYOUT), so the diff reads like the submitted spreadsheet.
import type { LedgerRecord } from '@sw/persistence';
import { LEDGER_LAYOUT, writeCell } from '../ledger/ledger-layout.constants';

export type SnapshotRecord = LedgerRecord & { id: string };

export interface DiffEnterprise {
  id: string;
  uscc: string;
  name: string;
  regionCode: string;
}

export interface FieldChange {
  /** the column key of the ledger layout (`status`, `processFlags.silo`, …) */
  field: string;
  /** its Chinese header */
  label: string;
  old: string;
  new: string;
}

export interface LedgerDiff {
  /** the submission compared with; null for a region's first submission (every enterprise is then added) */
  previous: { snapshotId: string; asOf: string; submittedAt: string } | null;
  added: DiffEnterprise[];
  /** closed (关停) since the previous submission */
  closed: (DiffEnterprise & { statusSince: string | null })[];
  /** in the previous submission, not in this snapshot (moved out of the region, or removed) */
  removed: DiffEnterprise[];
  changed: (DiffEnterprise & { fields: FieldChange[] })[];
}

const STATUS_FIELDS = new Set(['status', 'statusSince', 'statusReason']);
const who = (r: SnapshotRecord): DiffEnterprise => ({ id: r.id, uscc: r.uscc, name: r.name, regionCode: r.regionCode });

/** The diff of `current` against `previous` (null: nothing submitted before). */
export function diffLedger(previous: { snapshotId: string; asOf: string; submittedAt: string; records: SnapshotRecord[] } | null, current: SnapshotRecord[]): LedgerDiff {
  const before = new Map((previous?.records ?? []).map((r) => [r.id, r]));
  const now = new Set(current.map((r) => r.id));
  const diff: LedgerDiff = { previous: previous && { snapshotId: previous.snapshotId, asOf: previous.asOf, submittedAt: previous.submittedAt }, added: [], closed: [], removed: [], changed: [] };
  for (const r of current) {
    const old = before.get(r.id);
    if (!old) {
      diff.added.push(who(r));
      continue;
    }
    const closedNow = r.status === 'closed' && old.status !== 'closed';
    if (closedNow) diff.closed.push({ ...who(r), statusSince: r.statusSince ?? null });
    const fields = LEDGER_LAYOUT.flatMap((c): FieldChange[] => {
      if (closedNow && STATUS_FIELDS.has(c.key)) return [];
      const a = writeCell(c, old);
      const b = writeCell(c, r);
      return a === b ? [] : [{ field: c.key, label: c.header, old: a, new: b }];
    });
    if (fields.length > 0) diff.changed.push({ ...who(r), fields });
  }
  for (const r of previous?.records ?? []) if (!now.has(r.id)) diff.removed.push(who(r));
  return diff;
}
