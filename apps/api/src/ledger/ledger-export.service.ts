import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { LedgerRepository, type Principal, requireRegion, scopeOf, shanghaiToday } from '@sw/persistence';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { ClientInfo } from '../auth/auth.decorator';
import { type LedgerFormat, writeLedgerCsv, writeLedgerXlsx } from './ledger-file.codec';

@Injectable()
export class LedgerExportService {
  private readonly repo: LedgerRepository;

  constructor(
    ds: DataSource,
    private readonly audit: AuditService,
  ) {
    this.repo = new LedgerRepository(ds);
  }

  /** The ledger file; every export is audited (it holds contacts' names and phones): rows, size, SHA-256. */
  async export(p: Principal, format: LedgerFormat, regionCode: string | null, client: ClientInfo): Promise<Buffer> {
    const scope = scopeOf(p);
    if (regionCode) requireRegion(scope, regionCode);
    const records = await this.repo.list(scope, regionCode, shanghaiToday());
    const file = format === 'csv' ? writeLedgerCsv(records) : await writeLedgerXlsx(records);
    const sha256 = createHash('sha256').update(file).digest('hex');
    const data = { format, regionCode, rows: records.length, bytes: file.length, sha256 };
    await this.audit.record({ principal: p, client, action: 'ledger.export', targetType: 'enterprise', targetId: null, outcome: 'ok', data });
    return file;
  }
}
