// The ledger snapshot as the city bureau receives it (XLSX, Chinese headers): sheet 企业台账 — 序号
// and the ledger layout's columns, one enterprise a row, as of the snapshot's day; sheet 变更情况 —
// the diff against the previous submission, one change a row; sheet 报送说明 — region, day, counts.
// Every cell passes `safeCell` (files/spreadsheet-cell): none starts with = + - @.
import type { LedgerSnapshot } from '@sw/persistence';
import { Workbook } from 'exceljs';
import { safeCell } from '../files/spreadsheet-cell';
import { LEDGER_LAYOUT, writeCell } from '../ledger/ledger-layout.constants';
import type { LedgerDiff, SnapshotRecord } from './ledger-diff.rule';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const SHEETS = { ledger: '企业台账', changes: '变更情况', about: '报送说明' } as const;
export const CHANGE_HEADERS = ['变更类型', '企业名称', '统一社会信用代码', '行政区划代码', '变更项', '原值', '新值'] as const;

/** One row per change, as the 变更情况 sheet and the console list them. */
export function changeRows(d: LedgerDiff): string[][] {
  return [
    ...d.added.map((e) => ['新增', e.name, e.uscc, e.regionCode, '', '', '']),
    ...d.closed.map((e) => ['关停', e.name, e.uscc, e.regionCode, '经营状态', '', `关停（${e.statusSince ?? '日期不详'}）`]),
    ...d.removed.map((e) => ['移出', e.name, e.uscc, e.regionCode, '', '', '']),
    ...d.changed.flatMap((e) => e.fields.map((f) => ['变更', e.name, e.uscc, e.regionCode, f.label, f.old, f.new])),
  ];
}

export async function writeSnapshotXlsx(s: LedgerSnapshot<SnapshotRecord, LedgerDiff>): Promise<Buffer> {
  const wb = new Workbook();
  wb.creator = 'Safety Watch';
  wb.created = new Date(s.createdAt); // the file depends on the snapshot only
  wb.modified = new Date(s.createdAt);
  const ledger = wb.addWorksheet(SHEETS.ledger);
  ledger.columns = [{ header: '序号', key: 'n', width: 6 }, ...LEDGER_LAYOUT.map((c) => ({ header: c.header, key: c.key, width: c.width ?? 16, style: { numFmt: '@' } }))];
  s.records.forEach((r, i) => ledger.addRow([i + 1, ...LEDGER_LAYOUT.map((c) => safeCell(writeCell(c, r)))]));
  ledger.getRow(1).font = { bold: true };
  ledger.views = [{ state: 'frozen', ySplit: 1 }];

  const changes = wb.addWorksheet(SHEETS.changes);
  changes.columns = CHANGE_HEADERS.map((h, i) => ({ header: h, key: `c${i}`, width: [10, 32, 22, 14, 18, 30, 30][i] ?? 16, style: { numFmt: '@' } }));
  for (const row of changeRows(s.diff)) changes.addRow(row.map((c) => safeCell(c)));
  changes.getRow(1).font = { bold: true };

  const about = wb.addWorksheet(SHEETS.about);
  about.columns = [{ header: '项目', key: 'k', width: 18 }, { header: '内容', key: 'v', width: 48, style: { numFmt: '@' } }];
  const p = s.diff.previous;
  const lines: [string, string | number][] = [
    ['报送区域', s.regionCode],
    ['台账截至日期', s.asOf],
    ['企业数', s.enterprises],
    ['上次报送', p ? `${p.asOf}（报送于 ${p.submittedAt.slice(0, 10)}）` : '首次报送'],
    ['新增企业', s.diff.added.length],
    ['关停企业', s.diff.closed.length],
    ['移出企业', s.diff.removed.length],
    ['信息变更企业', s.diff.changed.length],
    ['快照编号', s.id],
    ['冻结人', s.createdBy],
    ['冻结时间', s.createdAt],
  ];
  for (const [k, v] of lines) about.addRow([k, safeCell(v)]);
  about.getRow(1).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
