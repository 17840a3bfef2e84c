// Ledger files (台账): CSV (UTF-8 with BOM, so Excel opens Chinese correctly) and XLSX, one header
// row (the Chinese label or the code name of each column, LEDGER_COLUMNS) and one enterprise a row.
import { LEDGER_COLUMNS, type LedgerColumn, type LedgerRecord } from '@sw/persistence';
import { stringify } from 'csv-stringify/sync';
import { Workbook } from 'exceljs';
import { CSV_DEFAULT_LIMITS, type CsvLimits, readCsvRecords } from '../files/csv-reader';
import { safeCell, unquoteCell } from '../files/spreadsheet-cell';

export type LedgerFormat = 'csv' | 'xlsx';
export const LEDGER_CONTENT_TYPES: Record<LedgerFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** One data row: its line (CSV) or row number (XLSX), counting the header as 1, and its cells by column. */
export interface LedgerFileRow {
  line: number;
  cells: Partial<Record<LedgerColumn, string>>;
}

export class LedgerFileError extends Error {}

const REQUIRED: LedgerColumn[] = ['name', 'uscc', 'regionCode', 'riskCategories'];
const BY_HEADER = new Map<string, LedgerColumn>(LEDGER_COLUMNS.flatMap(([code, label]) => [[code.toLowerCase(), code] as const, [label, code] as const]));

function columnsOf(header: string[]): (LedgerColumn | null)[] {
  const cols = header.map((h) => BY_HEADER.get(h.trim().toLowerCase()) ?? BY_HEADER.get(h.trim()) ?? null);
  const missing = REQUIRED.filter((c) => !cols.includes(c));
  if (missing.length > 0) throw new LedgerFileError(`the header row lacks the column(s) ${missing.join(', ')}`);
  return cols;
}

function toRow(cols: (LedgerColumn | null)[], values: string[], line: number): LedgerFileRow | null {
  const cells: LedgerFileRow['cells'] = {};
  cols.forEach((c, i) => {
    const v = unquoteCell(values[i]?.trim() ?? '');
    if (c && v !== '') cells[c] = v;
  });
  return Object.keys(cells).length === 0 ? null : { line, cells };
}

/** Reads a ledger file; an XLSX must have passed `checkXlsx` (files/xlsx-guard) first. */
export async function readLedgerFile(body: Buffer, format: LedgerFormat, csvLimits: CsvLimits = CSV_DEFAULT_LIMITS): Promise<LedgerFileRow[]> {
  return format === 'csv' ? readCsv(body, csvLimits) : readXlsx(body);
}

async function readCsv(body: Buffer, limits: CsvLimits): Promise<LedgerFileRow[]> {
  const [header, ...data] = await readCsvRecords(body, limits);
  if (!header) throw new LedgerFileError('the file is empty');
  const cols = columnsOf(header.record);
  return data.map((r) => toRow(cols, r.record, r.line)).filter((r): r is LedgerFileRow => r !== null);
}

async function readXlsx(body: Buffer): Promise<LedgerFileRow[]> {
  const wb = new Workbook();
  try {
    await wb.xlsx.load(body as unknown as ArrayBuffer);
  } catch (err) {
    throw new LedgerFileError(`not a readable XLSX file: ${(err as Error).message}`);
  }
  const sheet = wb.worksheets[0];
  if (!sheet || sheet.rowCount === 0) throw new LedgerFileError('the file is empty');
  const texts = (n: number) => {
    const row = sheet.getRow(n);
    return Array.from({ length: row.cellCount }, (_, i) => row.getCell(i + 1).text);
  };
  const cols = columnsOf(texts(1));
  const rows: LedgerFileRow[] = [];
  for (let n = 2; n <= sheet.rowCount; n++) {
    const row = toRow(cols, texts(n), n);
    if (row) rows.push(row);
  }
  return rows;
}

/** The cells of a record as text, in column order, formula-neutralised (files/spreadsheet-cell). */
function cellsOf(r: LedgerRecord): string[] {
  return LEDGER_COLUMNS.map(([code]) => {
    const v = r[code];
    if (v === null || v === undefined) return '';
    return safeCell(Array.isArray(v) ? v.join(';') : String(v));
  });
}

export function writeLedgerCsv(records: LedgerRecord[]): Buffer {
  return Buffer.from(stringify([LEDGER_COLUMNS.map(([, label]) => label), ...records.map(cellsOf)], { bom: true, record_delimiter: 'windows' }), 'utf8');
}

export async function writeLedgerXlsx(records: LedgerRecord[]): Promise<Buffer> {
  const wb = new Workbook();
  const sheet = wb.addWorksheet('企业台账');
  sheet.columns = LEDGER_COLUMNS.map(([code, label]) => ({ header: label, key: code, width: code === 'name' ? 32 : 18, style: { numFmt: '@' } }));
  // every cell as text: region codes, phones and dates must not turn into numbers or Excel dates
  for (const r of records) sheet.addRow(cellsOf(r));
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A ledger row's cells → the input the ledger schema validates. */
export function recordInput(cells: LedgerFileRow['cells']): Record<string, unknown> {
  const int = (v: string | undefined) => (v === undefined ? null : /^-?\d+$/.test(v) ? Number(v) : v);
  return {
    ...cells,
    riskCategories: cells.riskCategories?.split(/[;；,，|\s]+/).filter(Boolean) ?? [],
    dustWorkers: int(cells.dustWorkers),
    employees: int(cells.employees),
    status: cells.status ?? 'operating',
  };
}
