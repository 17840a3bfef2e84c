import { ForbiddenException, Injectable } from '@nestjs/common';
import { LedgerRepository, type Principal, scopeCoversRegion, scopeOf, shanghaiToday } from '@sw/persistence';
import { DataSource } from 'typeorm';
import { type LedgerFormat, writeLedgerCsv, writeLedgerXlsx } from './ledger-file.codec';

@Injectable()
export class LedgerExportService {
  private readonly repo: LedgerRepository;

  constructor(ds: DataSource) {
    this.repo = new LedgerRepository(ds);
  }

  async export(p: Principal, format: LedgerFormat, regionCode: string | null): Promise<Buffer> {
    const scope = scopeOf(p);
    if (regionCode && !scopeCoversRegion(scope, regionCode)) throw new ForbiddenException(`region ${regionCode} is outside your region`);
    const records = await this.repo.list(scope, regionCode, shanghaiToday());
    return format === 'csv' ? writeLedgerCsv(records) : writeLedgerXlsx(records);
  }
}
