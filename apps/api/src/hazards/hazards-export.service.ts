import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { findCatalogueItem, HAZARD_SOURCE_ZH, HAZARD_STATUS_ZH, type HazardSnapshot, isOverdue, shanghaiDateTime } from '@sw/hazards';
import { type HazardFilter, HazardStore, type Principal, scopeOf } from '@sw/persistence';
import { stringify } from 'csv-stringify/sync';
import { Workbook } from 'exceljs';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { ClientInfo } from '../auth/auth.decorator';
import { safeCell } from '../files/spreadsheet-cell';

export type HazardFileFormat = 'csv' | 'xlsx';
export const HAZARD_FILE_TYPES: Record<HazardFileFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Largest export; past it the file says so in its last row rather than growing without bound. */
const MAX_ROWS = 50_000;
const PAGE = 500;

const SOURCE_ZH = HAZARD_SOURCE_ZH;
const STATUS_ZH = HAZARD_STATUS_ZH;

interface EnterpriseCells {
  name: string;
  uscc: string;
}

const time = (at: string | null | undefined) => (at ? shanghaiDateTime(at) : '');

/** The columns of the hazard list file: Chinese header, cell of a hazard (times Asia/Shanghai). */
const COLUMNS: [header: string, cell: (h: HazardSnapshot, e: EnterpriseCells | undefined, now: number) => string | number | null][] = [
  ['隐患编号', (h) => h.id],
  ['企业名称', (_h, e) => e?.name ?? ''],
  ['统一社会信用代码', (_h, e) => e?.uscc ?? ''],
  ['行政区划代码', (h) => h.regionCode],
  ['来源', (h) => SOURCE_ZH[h.source]],
  ['状态', (h) => STATUS_ZH[h.status]],
  ['是否逾期', (h, _e, now) => (isOverdue(h, now) ? '是' : '否')],
  ['判定依据', (h) => findCatalogueItem(h.article, h.item)?.label ?? `${h.article}/${h.item ?? '-'}`],
  ['依据条款内容', (h) => findCatalogueItem(h.article, h.item)?.title ?? ''],
  ['风险类别', (h) => h.categories.join(';')],
  ['隐患描述', (h) => h.description],
  ['位置', (h) => h.location ?? ''],
  ['上报时间', (h) => time(h.reportedAt)],
  ['上报人', (h) => h.reportedBy.username],
  ['确认时间', (h) => time(h.confirmedAt)],
  ['整改措施', (h) => h.plan?.measures ?? ''],
  ['整改资金（元）', (h) => h.plan?.funds ?? null],
  ['整改责任人', (h) => h.plan?.responsible ?? ''],
  ['整改期限', (h) => time(h.plan?.deadline)],
  ['整改提交时间', (h) => time(h.evidence?.submittedAt)],
  ['退回次数', (h) => h.returns],
  ['销号时间', (h) => time(h.signedOffAt)],
  ['销号人', (h) => h.signedOffBy?.username ?? ''],
];

/**
 * The hazard list as CSV (UTF-8 with BOM) or XLSX, with the same filters and scope as
 * `GET /hazards`; every text cell goes through `safeCell` (no cell starts with = + - @), and every
 * export is audited like the ledger's: filters, rows, size, SHA-256.
 */
@Injectable()
export class HazardsExportService {
  constructor(
    private readonly store: HazardStore,
    private readonly ds: DataSource,
    private readonly audit: AuditService,
  ) {}

  async export(p: Principal, format: HazardFileFormat, filter: HazardFilter, client: ClientInfo): Promise<Buffer> {
    const now = new Date();
    const hazards: HazardSnapshot[] = [];
    for (let page = 1; hazards.length < MAX_ROWS; page++) {
      const paged = await this.store.list(scopeOf(p), filter, { page, pageSize: PAGE }, now);
      hazards.push(...paged.items);
      if (paged.items.length < PAGE) break;
    }
    const rows = hazards.slice(0, MAX_ROWS);
    const enterprises = await this.enterprises([...new Set(rows.map((h) => h.enterpriseId))]);
    const cells = rows.map((h) => COLUMNS.map(([, cell]) => safeCell(cell(h, enterprises.get(h.enterpriseId), now.getTime()))));
    const file = format === 'csv' ? writeCsv(cells) : await writeXlsx(cells);
    const sha256 = createHash('sha256').update(file).digest('hex');
    await this.audit.record({ principal: p, client, action: 'hazard.export', targetType: 'hazard', targetId: null, outcome: 'ok', data: { format, filter, rows: rows.length, bytes: file.length, sha256 } });
    return file;
  }

  private async enterprises(ids: string[]): Promise<Map<string, EnterpriseCells>> {
    if (ids.length === 0) return new Map();
    const rows: { id: string; name: string; uscc: string }[] = await this.ds.query(`SELECT id, name, uscc FROM enterprises WHERE id = ANY($1::uuid[])`, [ids]);
    return new Map(rows.map((r) => [r.id, { name: r.name, uscc: r.uscc }]));
  }
}

type Cell = string | number | null;

function writeCsv(rows: Cell[][]): Buffer {
  return Buffer.from(stringify([COLUMNS.map(([header]) => header), ...rows], { bom: true, record_delimiter: 'windows' }), 'utf8');
}

async function writeXlsx(rows: Cell[][]): Promise<Buffer> {
  const wb = new Workbook();
  const sheet = wb.addWorksheet('重大事故隐患');
  sheet.columns = COLUMNS.map(([header]) => ({ header, width: header === '隐患描述' || header === '企业名称' ? 32 : 18 }));
  for (const r of rows) sheet.addRow(r);
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await wb.xlsx.writeBuffer());
}
