import type { DataSource } from 'typeorm';

/** What the repository reads of a stored diff (its counts); the rest is the caller's (stored as JSON). */
export interface StoredLedgerDiff {
  added: readonly unknown[];
  closed: readonly unknown[];
  removed: readonly unknown[];
  changed: readonly unknown[];
}

export interface LedgerSubmission {
  id: string;
  submittedAt: string;
  submittedBy: string;
  sha256: string;
  bytes: number;
}

/** A snapshot without its records (lists, the diff view). */
export interface LedgerSnapshotSummary {
  id: string;
  regionCode: string;
  asOf: string;
  enterprises: number;
  createdAt: string;
  createdBy: string;
  previousId: string | null;
  counts: { added: number; closed: number; removed: number; changed: number };
  submission: LedgerSubmission | null;
}

export interface LedgerSnapshot<TRecord, TDiff extends StoredLedgerDiff> extends LedgerSnapshotSummary {
  records: TRecord[];
  diff: TDiff;
}

type Row<TRecord, TDiff> = {
  id: string;
  region_code: string;
  as_of: string;
  enterprises: number;
  created_at: Date;
  created_by_name: string;
  previous_id: string | null;
  diff: TDiff;
  records?: TRecord[];
  sub_id: string | null;
  submitted_at: Date | null;
  submitted_by_name: string | null;
  file_sha256: string | null;
  file_bytes: number | null;
};

const SELECT = (withRecords: boolean) => `
  SELECT s.id, s.region_code, to_char(s.as_of, 'YYYY-MM-DD') AS as_of, s.enterprises, s.created_at, s.created_by_name, s.previous_id, s.diff${withRecords ? ', s.records' : ''},
         b.id AS sub_id, b.submitted_at, b.submitted_by_name, b.file_sha256, b.file_bytes
    FROM ledger_snapshots s LEFT JOIN ledger_submissions b ON b.snapshot_id = s.id`;

/**
 * Frozen ledgers and their submissions (`ledger_snapshots`, `ledger_submissions`: insert-only tables).
 * Generic over the stored records and diff (api's `SnapshotRecord` and `LedgerDiff`), kept as JSON.
 */
export class LedgerSnapshotRepository<TRecord, TDiff extends StoredLedgerDiff> {
  constructor(private readonly ds: DataSource) {}

  async insert(s: { regionCode: string; asOf: string; records: TRecord[]; previousId: string | null; diff: TDiff; by: { id: string; username: string } }): Promise<string> {
    const [row] = (await this.ds.query(
      `INSERT INTO ledger_snapshots (region_code, as_of, records, enterprises, previous_id, diff, created_by, created_by_name) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [s.regionCode, s.asOf, JSON.stringify(s.records), s.records.length, s.previousId, JSON.stringify(s.diff), s.by.id, s.by.username],
    )) as [{ id: string }];
    return row.id;
  }

  /**
   * Each enterprise's three people as of `asOf` from the personnel history: the holder of the latest
   * change effective on or before the day; before the first change, its previous holder (or, with
   * none recorded, the first holder known). Roles without history are absent.
   */
  async peopleAsOf(ids: string[], asOf: string): Promise<Map<string, Map<string, { name: string | null; phone: string | null }>>> {
    const rows: { enterprise_id: string; role: string; name: string | null; phone: string | null }[] =
      ids.length === 0
        ? []
        : await this.ds.query(
            `SELECT DISTINCT ON (enterprise_id, role) enterprise_id, role,
                    CASE WHEN effective_date <= $2::date OR previous_name IS NULL THEN name ELSE previous_name END AS name,
                    CASE WHEN effective_date <= $2::date OR previous_name IS NULL THEN phone ELSE previous_phone END AS phone
               FROM enterprise_personnel_history WHERE enterprise_id = ANY($1::uuid[])
              ORDER BY enterprise_id, role, (effective_date <= $2::date) DESC,
                       CASE WHEN effective_date <= $2::date THEN effective_date END DESC NULLS LAST,
                       CASE WHEN effective_date <= $2::date THEN recorded_at END DESC NULLS LAST,
                       effective_date, recorded_at`,
            [ids, asOf],
          );
    const out = new Map<string, Map<string, { name: string | null; phone: string | null }>>();
    for (const r of rows) out.set(r.enterprise_id, (out.get(r.enterprise_id) ?? new Map()).set(r.role, { name: r.name, phone: r.phone }));
    return out;
  }

  /** The latest submission of exactly this region with `asOf` on or before the day, with its records. */
  async previousSubmission(regionCode: string, asOf: string): Promise<{ snapshotId: string; asOf: string; submittedAt: string; records: TRecord[] } | null> {
    const rows: { id: string; as_of: string; submitted_at: Date; records: TRecord[] }[] = await this.ds.query(
      `SELECT s.id, to_char(s.as_of, 'YYYY-MM-DD') AS as_of, b.submitted_at, s.records FROM ledger_submissions b JOIN ledger_snapshots s ON s.id = b.snapshot_id
        WHERE b.region_code = $1 AND b.as_of <= $2 ORDER BY b.as_of DESC, b.submitted_at DESC LIMIT 1`,
      [regionCode, asOf],
    );
    const r = rows[0];
    return r ? { snapshotId: r.id, asOf: r.as_of, submittedAt: r.submitted_at.toISOString(), records: r.records } : null;
  }

  async get(id: string): Promise<LedgerSnapshot<TRecord, TDiff> | null> {
    const rows: Row<TRecord, TDiff>[] = await this.ds.query(`${SELECT(true)} WHERE s.id = $1`, [id]);
    const r = rows[0];
    return r ? { ...summary(r), records: r.records ?? [], diff: r.diff } : null;
  }

  /** Snapshots under a region prefix (null: all), newest first. */
  async list(regionPrefix: string | null, limit = 100): Promise<LedgerSnapshotSummary[]> {
    const rows: Row<TRecord, TDiff>[] = await this.ds.query(`${SELECT(false)} WHERE ($1::text IS NULL OR s.region_code LIKE $1 || '%') ORDER BY s.as_of DESC, s.created_at DESC LIMIT $2`, [regionPrefix, limit]);
    return rows.map(summary);
  }

  /** Records the submission with its file; false when the snapshot was already submitted. */
  async submit(snapshot: { id: string; regionCode: string; asOf: string }, file: Buffer, sha256: string, by: { id: string; username: string }): Promise<boolean> {
    const rows = (await this.ds.query(
      `INSERT INTO ledger_submissions (snapshot_id, region_code, as_of, submitted_by, submitted_by_name, file, file_sha256, file_bytes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
        ON CONFLICT (snapshot_id) DO NOTHING RETURNING id`,
      [snapshot.id, snapshot.regionCode, snapshot.asOf, by.id, by.username, file, sha256, file.length],
    )) as unknown[];
    return rows.length === 1;
  }

  /** The file as submitted. */
  async submittedFile(snapshotId: string): Promise<Buffer | null> {
    const rows: { file: Buffer }[] = await this.ds.query(`SELECT file FROM ledger_submissions WHERE snapshot_id = $1`, [snapshotId]);
    return rows[0]?.file ?? null;
  }

  /** Whether a region submitted a ledger snapshot dated inside the period. */
  async submittedIn(regionCode: string, from: string, to: string): Promise<boolean> {
    const rows: unknown[] = await this.ds.query(`SELECT 1 FROM ledger_submissions WHERE region_code = $1 AND as_of BETWEEN $2 AND $3 LIMIT 1`, [regionCode, from, to]);
    return rows.length > 0;
  }
}

function summary(r: Row<unknown, StoredLedgerDiff>): LedgerSnapshotSummary {
  return {
    id: r.id,
    regionCode: r.region_code,
    asOf: r.as_of,
    enterprises: r.enterprises,
    createdAt: r.created_at.toISOString(),
    createdBy: r.created_by_name,
    previousId: r.previous_id,
    counts: { added: r.diff.added.length, closed: r.diff.closed.length, removed: r.diff.removed.length, changed: r.diff.changed.length },
    submission:
      r.sub_id === null
        ? null
        : { id: r.sub_id, submittedAt: (r.submitted_at as Date).toISOString(), submittedBy: r.submitted_by_name as string, sha256: r.file_sha256 as string, bytes: r.file_bytes as number },
  };
}
