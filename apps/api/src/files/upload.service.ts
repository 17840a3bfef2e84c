import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import { conflict, unavailable } from '@sw/errors';
import type { Principal } from '@sw/persistence';
import { AuditService } from '../audit/audit.service';
import type { ClientInfo } from '../auth/auth.decorator';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { errorBody } from '@sw/http-edge';
import type { CsvLimits } from './csv-reader';
import { FileRefusedError } from './file-refused.error';
import { checkXlsx, XLSX_DEFAULTS, type XlsxLimits } from './xlsx-guard';

/** Imports parsing at once in this process, whoever started them: each holds its file and rows in memory. */
const MAX_PARALLEL_IMPORTS = 4;

export type UploadFormat = 'csv' | 'xlsx';

/** An uploaded file, read and checked; holds its user's import slot until `settle`. */
export interface Upload {
  body: Buffer;
  format: UploadFormat;
  bytes: number;
  sha256: string;
  principal: Principal;
  client: ClientInfo;
  action: string;
}

/** What the audit row of a finished import says (the ledger's ImportJob has these fields). */
export interface ImportOutcome {
  id: string;
  status: string;
  mode?: string;
  total: number;
  valid: number;
  invalid: number;
  imported: number;
  counts?: unknown;
  message: string | null;
}

/**
 * Receiving import files: one import per user at a time (409), a few per process (503), the body
 * read up to IMPORT_MAX_BYTES (413) and hashed, an XLSX's zip checked before any parser sees it;
 * every import, refused or finished, audited with who, the file's size and SHA-256 and the row counts.
 */
@Injectable()
export class UploadService {
  private readonly busy = new Set<string>();

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly audit: AuditService,
  ) {}

  get csvLimits(): CsvLimits {
    return { maxRows: this.config.IMPORT_MAX_ROWS, maxColumns: XLSX_DEFAULTS.maxColumns };
  }

  get xlsxLimits(): XlsxLimits {
    return { ...XLSX_DEFAULTS, maxRows: this.config.IMPORT_MAX_ROWS, maxUncompressedBytes: this.config.IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES };
  }

  async receive(principal: Principal, client: ClientInfo, req: IncomingMessage, format: UploadFormat, action: string): Promise<Upload> {
    const refuse = (err: unknown, bytes: number) => this.auditRefusal(principal, client, action, format, bytes, err);
    if (this.busy.has(principal.id)) {
      const err = conflict('an import of yours is still running: wait until it has finished (GET /imports/{id}) before starting another');
      await refuse(err, 0);
      throw err;
    }
    if (this.busy.size >= MAX_PARALLEL_IMPORTS) {
      const err = unavailable(`${MAX_PARALLEL_IMPORTS} imports are running: try again in a minute`);
      await refuse(err, 0);
      throw err;
    }
    this.busy.add(principal.id);
    let bytes = 0;
    try {
      const hash = createHash('sha256');
      const body = await this.readCapped(req, (chunk) => {
        bytes += chunk.length;
        hash.update(chunk);
      });
      if (body.length === 0) throw new FileRefusedError(400, 'the request body is empty: send the ledger file as the body');
      if (format === 'xlsx') await checkXlsx(body, this.xlsxLimits);
      return { body, format, bytes, sha256: hash.digest('hex'), principal, client, action };
    } catch (err) {
      this.busy.delete(principal.id);
      await refuse(err, bytes);
      throw err;
    }
  }

  /** Frees the user's slot and audits the outcome once the import job has finished (`done` never rejects). */
  settle(upload: Upload, done: Promise<unknown>, job: ImportOutcome): void {
    void done.finally(async () => {
      this.busy.delete(upload.principal.id);
      const { id, status, mode, total, valid, invalid, imported, counts, message } = job;
      await this.audit.record({
        principal: upload.principal,
        client: upload.client,
        action: upload.action,
        targetType: 'import',
        targetId: id,
        outcome: status === 'done' ? 'ok' : 'rejected',
        data: { format: upload.format, bytes: upload.bytes, sha256: upload.sha256, mode, status, total, valid, invalid, imported, counts, message },
      });
    });
  }

  private async readCapped(req: IncomingMessage, onChunk: (chunk: Buffer) => void): Promise<Buffer> {
    const max = this.config.IMPORT_MAX_BYTES;
    const tooLarge = () => new FileRefusedError(413, `the file is larger than ${max} bytes (IMPORT_MAX_BYTES)`);
    if (Number(req.headers['content-length'] ?? 0) > max) throw tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > max) throw tooLarge();
      onChunk(chunk);
      chunks.push(chunk);
    }
    return Buffer.concat(chunks);
  }

  private async auditRefusal(principal: Principal, client: ClientInfo, action: string, format: UploadFormat, bytes: number, err: unknown): Promise<void> {
    const { statusCode: status, message } = errorBody(err);
    await this.audit.record({
      principal,
      client,
      action,
      targetType: 'import',
      targetId: null,
      outcome: [401, 403, 404, 429, 503].includes(status) ? 'denied' : 'rejected',
      data: { format, bytes, status, reason: message },
    });
  }
}
