import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { notFound } from '@sw/errors';
import {
  contactPhoneProblem,
  describeIssues,
  LedgerRepository,
  ledgerRecordSchema,
  type LedgerImportCounts,
  type LedgerRecord,
  type Principal,
  scopeCoversRegion,
  scopeOf,
  shanghaiToday,
} from '@sw/persistence';
import { DataSource } from 'typeorm';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { UploadService } from '../files/upload.service';
import { columnOfPath, type LedgerFileRow, type LedgerFormat, readLedgerFile, recordInput } from './ledger-file.codec';
import { COLUMN_BY_KEY } from './ledger-layout.constants';

export type ImportMode = 'all-or-nothing' | 'valid-only';

/** A bad cell: its spreadsheet column (A, B, …; null when the file lacks the column) and header. */
export interface ImportCellError {
  column: string | null;
  header: string;
  reason: string;
}

export interface ImportRowError {
  line: number;
  uscc: string | null;
  reasons: string[];
  cells: ImportCellError[];
}

/** An import job (`GET /imports/{id}`): progress while it runs, the report when it is done. */
export interface ImportJob {
  id: string;
  mode: ImportMode;
  status: 'running' | 'done' | 'rejected' | 'failed';
  phase: 'parsing' | 'validating' | 'writing' | 'finished';
  /** data rows in the file (known after parsing) */
  total: number;
  /** rows through the current phase */
  processed: number;
  valid: number;
  invalid: number;
  imported: number;
  counts: LedgerImportCounts | null;
  errors: ImportRowError[];
  message: string | null;
  startedAt: string;
  finishedAt: string | null;
}

const KEEP_MS = 3_600_000; // a finished job stays readable for an hour

/**
 * Bulk ledger import. Every row is validated (schema, GB 32100 check character, region in the
 * caller's scope, uscc not repeated in the file, not owned by an enterprise outside the scope);
 * in `all-or-nothing` mode one bad row imports nothing, in `valid-only` the valid rows are written.
 * Jobs live in this process's memory, visible only to the user who started them.
 */
@Injectable()
export class LedgerImportService {
  private readonly repo: LedgerRepository;
  private readonly jobs = new Map<string, { owner: string; job: ImportJob; done: Promise<void> }>();

  constructor(
    ds: DataSource,
    private readonly uploads: UploadService,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {
    this.repo = new LedgerRepository(ds);
  }

  /** Starts an import; `done` settles when the job has finished (it never rejects). */
  start(p: Principal, body: Buffer, format: LedgerFormat, mode: ImportMode): { job: ImportJob; done: Promise<void> } {
    this.sweep();
    const job: ImportJob = {
      id: randomUUID(),
      mode,
      status: 'running',
      phase: 'parsing',
      total: 0,
      processed: 0,
      valid: 0,
      invalid: 0,
      imported: 0,
      counts: null,
      errors: [],
      message: null,
      startedAt: new Date().toISOString(),
      finishedAt: null,
    };
    const done = this.run(p, job, body, format).catch((err: Error) => {
      job.status = 'failed';
      job.message = err.message;
      job.phase = 'finished';
      job.finishedAt = new Date().toISOString();
    });
    this.jobs.set(job.id, { owner: p.id, job, done });
    return { job, done };
  }

  get(p: Principal, id: string): ImportJob {
    const entry = this.jobs.get(id);
    if (!entry || entry.owner !== p.id) throw notFound(`import ${id} not found`);
    return entry.job;
  }

  private async run(p: Principal, job: ImportJob, body: Buffer, format: LedgerFormat): Promise<void> {
    const rows = await readLedgerFile(body, format, this.uploads.csvLimits);
    job.total = rows.length;
    job.phase = 'validating';
    const { valid, errors } = await this.validate(p, rows, job);
    job.valid = valid.length;
    job.invalid = errors.length;
    job.errors = errors;
    const finish = (status: ImportJob['status'], message: string) => {
      job.status = status;
      job.message = message;
      job.phase = 'finished';
      job.finishedAt = new Date().toISOString();
    };
    if (errors.length > 0 && job.mode === 'all-or-nothing') return finish('rejected', `${errors.length} of ${rows.length} rows are invalid; nothing imported`);
    job.phase = 'writing';
    job.processed = 0;
    job.counts = await this.repo.import(valid, shanghaiToday(), (n) => (job.processed = n), p.id);
    job.imported = valid.length;
    finish('done', `${valid.length} rows imported${errors.length ? `, ${errors.length} invalid rows skipped` : ''}`);
  }

  private async validate(p: Principal, rows: LedgerFileRow[], job: ImportJob): Promise<{ valid: LedgerRecord[]; errors: ImportRowError[] }> {
    const scope = scopeOf(p);
    const parsed = rows.map((row) => ({ row, result: ledgerRecordSchema.safeParse(recordInput(row.cells)) }));
    const existing = await this.repo.existing(parsed.flatMap((x) => (x.result.success ? [x.result.data.uscc] : [])));
    const firstLine = new Map<string, number>();
    const valid: LedgerRecord[] = [];
    const errors: ImportRowError[] = [];
    for (const { row, result } of parsed) {
      job.processed++;
      const reasons = result.success ? [] : describeIssues(result.error);
      const cells: ImportCellError[] = result.success ? [] : result.error.issues.map((i) => cellError(row, columnOfPath(i.path)?.key ?? String(i.path[0] ?? 'name'), i.message));
      const bad = (key: string, reason: string) => {
        reasons.push(reason);
        cells.push(cellError(row, key, reason));
      };
      if (result.success) {
        const r = result.data;
        const seen = firstLine.get(r.uscc);
        if (seen !== undefined) bad('uscc', `uscc ${r.uscc} repeats line ${seen}`);
        else firstLine.set(r.uscc, row.line);
        if (!scopeCoversRegion(scope, r.regionCode)) bad('regionCode', `regionCode ${r.regionCode} is outside your region`);
        const owner = existing.get(r.uscc);
        if (owner && !scopeCoversRegion(scope, owner.regionCode)) bad('uscc', `uscc ${r.uscc} cannot be used`); // neutral: not where it is registered
        for (const field of ['principalPhone', 'actualControllerPhone', 'safetyOfficerPhone'] as const) {
          const phone = r[field];
          const problem = phone ? contactPhoneProblem(phone, this.config.CONTACT_ALLOWED_COUNTRY_CODES) : null;
          if (problem) bad(field, `${field}: ${problem}`);
        }
        if (reasons.length === 0) valid.push(r);
      }
      if (reasons.length > 0) errors.push({ line: row.line, uscc: row.cells['uscc'] ?? null, reasons, cells });
    }
    return { valid, errors };
  }

  private sweep(): void {
    const cutoff = Date.now() - KEEP_MS;
    for (const [id, { job }] of this.jobs) if (job.finishedAt && Date.parse(job.finishedAt) < cutoff) this.jobs.delete(id);
  }
}

function cellError(row: LedgerFileRow, key: string, reason: string): ImportCellError {
  return { column: row.columns[key] ?? null, header: COLUMN_BY_KEY.get(key)?.header ?? key, reason };
}
