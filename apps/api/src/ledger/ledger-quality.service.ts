import { Injectable } from '@nestjs/common';
import { LedgerRepository, type Principal, requireRegion, scopeOf, shanghaiToday } from '@sw/persistence';
import { stringify } from 'csv-stringify/sync';
import { Workbook } from 'exceljs';
import { DataSource } from 'typeorm';
import { checkLedger, type QualityList } from './ledger-quality.rule';

export interface QualityReport {
  asOf: string;
  regionCode: string | null;
  checks: QualityList[];
}

const HEADER = ['问题类型', '企业名称', '统一社会信用代码', '行政区划代码', '说明'];

/** The regulator's data-quality view (数据质量) of the ledger in its scope, as JSON, CSV or XLSX. */
@Injectable()
export class LedgerQualityService {
  private readonly repo: LedgerRepository;

  constructor(ds: DataSource) {
    this.repo = new LedgerRepository(ds);
  }

  async report(p: Principal, regionCode: string | null, asOf = shanghaiToday()): Promise<QualityReport> {
    const scope = scopeOf(p);
    if (regionCode) requireRegion(scope, regionCode);
    const [records, bounds] = await Promise.all([this.repo.list(scope, regionCode, asOf), this.repo.regionBounds()]);
    return { asOf, regionCode, checks: checkLedger(records, asOf, bounds) };
  }

  /** One row per problem, the check's title first (the lists as the view shows them). */
  static rows(report: QualityReport): string[][] {
    return report.checks.flatMap((c) => c.items.map((i) => [c.title, i.name, i.uscc, i.regionCode, i.detail]));
  }

  static csv(report: QualityReport): Buffer {
    return Buffer.from(stringify([HEADER, ...LedgerQualityService.rows(report)], { bom: true, record_delimiter: 'windows' }), 'utf8');
  }

  static async xlsx(report: QualityReport): Promise<Buffer> {
    const wb = new Workbook();
    const summary = wb.addWorksheet('汇总');
    summary.addRow(['问题类型', '企业数']);
    for (const c of report.checks) summary.addRow([c.title, c.count]);
    const sheet = wb.addWorksheet('问题清单');
    sheet.columns = HEADER.map((h, i) => ({ header: h, width: i === 4 ? 60 : 24, style: { numFmt: '@' } }));
    for (const r of LedgerQualityService.rows(report)) sheet.addRow(r);
    for (const s of [summary, sheet]) s.getRow(1).font = { bold: true };
    return Buffer.from(await wb.xlsx.writeBuffer());
  }
}
