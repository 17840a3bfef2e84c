// Ledger files (台账): CSV (UTF-8 with BOM, so Excel opens Chinese correctly) and XLSX, one header
// row (the Chinese label or the code name of each column, LEDGER_LAYOUT) and one enterprise a row.
import type { LedgerRecord } from '@sw/persistence';
import { stringify } from 'csv-stringify/sync';
import { Workbook } from 'exceljs';
import { CSV_DEFAULT_LIMITS, type CsvLimits, readCsvRecords } from '../files/csv-reader';
import { safeCell, unquoteCell } from '../files/spreadsheet-cell';
import { COLUMN_BY_HEADER, LEDGER_LAYOUT, type LedgerColumnSpec, readCell, REQUIRED_COLUMNS, writeCell } from './ledger-layout.constants';

export type LedgerFormat = 'csv' | 'xlsx';
export const LEDGER_CONTENT_TYPES: Record<LedgerFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/**
 * One data row: its line (CSV) or row number (XLSX), counting the header as 1, its cells by column
 * key, and the spreadsheet column (A, B, …) of each key in this file (shared by the file's rows).
 */
export interface LedgerFileRow {
  line: number;
  cells: Partial<Record<string, string>>;
  columns: Readonly<Record<string, string>>;
}

export class LedgerFileError extends Error {}

interface FileColumns {
  keys: (string | null)[];
  letters: Record<string, string>;
}

function columnsOf(header: string[]): FileColumns {
  const keys = header.map((h) => (COLUMN_BY_HEADER.get(h.trim()) ?? COLUMN_BY_HEADER.get(h.trim().toLowerCase()))?.key ?? null);
  const missing = REQUIRED_COLUMNS.filter((c) => !keys.includes(c));
  if (missing.length > 0) throw new LedgerFileError(`the header row lacks the column(s) ${missing.join(', ')}`);
  const letters: Record<string, string> = {};
  keys.forEach((k, i) => {
    if (k && !(k in letters)) letters[k] = columnLetter(i);
  });
  return { keys, letters };
}

/** 0 → A, 25 → Z, 26 → AA */
export function columnLetter(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

function toRow(cols: FileColumns, values: string[], line: number): LedgerFileRow | null {
  const cells: LedgerFileRow['cells'] = {};
  cols.keys.forEach((c, i) => {
    const v = unquoteCell(values[i]?.trim() ?? '');
    if (c && v !== '') cells[c] = v;
  });
  return Object.keys(cells).length === 0 ? null : { line, cells, columns: cols.letters };
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
  return LEDGER_LAYOUT.map((c) => safeCell(writeCell(c, r)));
}

export function writeLedgerCsv(records: LedgerRecord[]): Buffer {
  return Buffer.from(stringify([LEDGER_LAYOUT.map((c) => c.header), ...records.map(cellsOf)], { bom: true, record_delimiter: 'windows' }), 'utf8');
}

export async function writeLedgerXlsx(records: LedgerRecord[]): Promise<Buffer> {
  const wb = new Workbook();
  const sheet = wb.addWorksheet('企业台账');
  sheet.columns = LEDGER_LAYOUT.map((c) => ({ header: c.header, key: c.key, width: c.width ?? 16, style: { numFmt: '@' } }));
  // every cell as text: region codes, phones and dates must not turn into numbers or Excel dates
  for (const r of records) sheet.addRow(cellsOf(r));
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A ledger row's cells → the input the ledger schema validates (flags gathered into `processFlags`). */
export function recordInput(cells: LedgerFileRow['cells']): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const flags: Record<string, unknown> = {};
  for (const c of LEDGER_LAYOUT) {
    const present = cells[c.key] !== undefined;
    if (!present && (c.key.startsWith('processFlags.') || c.kind === 'list' || c.kind === 'projects')) continue; // absent → the schema's default
    const value = readCell(c, cells[c.key]);
    if (c.key.startsWith('processFlags.')) flags[c.key.slice('processFlags.'.length)] = value;
    else out[c.key] = value;
  }
  if (Object.keys(flags).length > 0) out['processFlags'] = flags;
  out['status'] ??= 'operating';
  return out;
}

/** The column spec a validation issue's path points at (`processFlags.x` for a flag). */
export function columnOfPath(path: readonly PropertyKey[]): LedgerColumnSpec | undefined {
  const [first, second] = path.map(String);
  return LEDGER_LAYOUT.find((c) => c.key === (first === 'processFlags' && second !== undefined ? `processFlags.${second}` : first));
}
