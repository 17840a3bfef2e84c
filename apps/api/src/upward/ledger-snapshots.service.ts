import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { conflict, invalid } from '@sw/errors';
import { type LedgerSnapshot as StoredLedgerSnapshot, LedgerRepository, LedgerSnapshotRepository, type LedgerSnapshotSummary, type Principal, scopeOf, shanghaiToday } from '@sw/persistence';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { ClientInfo } from '../auth/auth.decorator';
import { diffLedger, type LedgerDiff, type SnapshotRecord } from './ledger-diff.rule';
import { writeSnapshotXlsx } from './ledger-snapshot-file.codec';
import { ensureVisible, upwardRegion } from './upward-region';

type LedgerSnapshot = StoredLedgerSnapshot<SnapshotRecord, LedgerDiff>;

/**
 * The half-yearly ledger submission (docs/domain.md "The closed loop", Upward; the plan's task 1):
 * a regulator freezes the ledger of a region as of a day — every enterprise registered by then, its
 * status, status day and reason as of that day from the status history, its people as of that day
 * from the personnel history — with the diff against the
 * region's previous submission; then submits it: the XLSX is written once, stored with its SHA-256,
 * who and when, and every later download of a submitted snapshot is that very file.
 */
@Injectable()
export class LedgerSnapshotsService {
  private readonly ledger: LedgerRepository;

  constructor(
    ds: DataSource,
    private readonly repo: LedgerSnapshotRepository<SnapshotRecord, LedgerDiff>,
    private readonly audit: AuditService,
  ) {
    this.ledger = new LedgerRepository(ds);
  }

  async create(p: Principal, q: { regionCode?: string; asOf?: string }, now = new Date()): Promise<LedgerSnapshot> {
    const region = upwardRegion(p, q.regionCode);
    const today = shanghaiToday(now);
    const asOf = q.asOf ?? today;
    if (asOf > today) throw invalid(`asOf ${asOf} is in the future (today is ${today})`);
    // an enterprise exists on asOf when a status of it is in force then (statusSince set)
    const listed = (await this.ledger.list(scopeOf(p), region, asOf)).filter((r) => r.statusSince != null);
    const people = await this.repo.peopleAsOf(listed.map((r) => r.id), asOf);
    const records = listed.map((r) => withPeople(r, people.get(r.id)));
    const previous = await this.repo.previousSubmission(region, asOf);
    const diff = diffLedger(previous, records);
    const id = await this.repo.insert({ regionCode: region, asOf, records, previousId: previous?.snapshotId ?? null, diff, by: p });
    return (await this.repo.get(id)) as LedgerSnapshot;
  }

  list(p: Principal, regionCode: string | undefined): Promise<LedgerSnapshotSummary[]> {
    const scope = scopeOf(p);
    const region = regionCode ? upwardRegion(p, regionCode) : scope.kind === 'region' ? scope.prefix : null;
    return this.repo.list(region);
  }

  async get(p: Principal, id: string): Promise<LedgerSnapshot> {
    return ensureVisible(p, await this.repo.get(id), `ledger snapshot ${id}`);
  }

  /** The XLSX: as submitted once submitted, else written from the snapshot. Audited (it holds people's names and phones). */
  async file(p: Principal, id: string, client: ClientInfo): Promise<{ file: Buffer; snapshot: LedgerSnapshot }> {
    const snapshot = await this.get(p, id);
    const file = (await this.repo.submittedFile(id)) ?? (await writeSnapshotXlsx(snapshot));
    const sha256 = createHash('sha256').update(file).digest('hex');
    await this.audit.record({ principal: p, client, action: 'ledger_snapshot.export', targetType: 'ledger_snapshot', targetId: id, outcome: 'ok', data: { rows: snapshot.enterprises, bytes: file.length, sha256 } });
    return { file, snapshot };
  }

  /** Submits the snapshot to the city bureau: the file and its hash are recorded once (409 when already submitted). */
  async submit(p: Principal, id: string): Promise<LedgerSnapshot> {
    const snapshot = await this.get(p, id);
    if (snapshot.submission) throw conflict(`ledger snapshot ${id} was already submitted on ${snapshot.submission.submittedAt}`);
    const file = await writeSnapshotXlsx(snapshot);
    const sha256 = createHash('sha256').update(file).digest('hex');
    if (!(await this.repo.submit(snapshot, file, sha256, p))) throw conflict(`ledger snapshot ${id} was already submitted`);
    return (await this.repo.get(id)) as LedgerSnapshot;
  }
}

const ROLE_FIELDS = { principal: ['principalName', 'principalPhone'], actual_controller: ['actualControllerName', 'actualControllerPhone'], safety_officer: ['safetyOfficerName', 'safetyOfficerPhone'] } as const;

/** The record with the people the personnel history names for the day (roles without history keep the current holder). */
function withPeople(r: SnapshotRecord, people: Map<string, { name: string | null; phone: string | null }> | undefined): SnapshotRecord {
  if (!people) return r;
  const out: SnapshotRecord = { ...r };
  for (const [role, [name, phone]] of Object.entries(ROLE_FIELDS)) {
    const held = people.get(role);
    if (held) Object.assign(out, { [name]: held.name, [phone]: held.phone });
  }
  return out;
}
