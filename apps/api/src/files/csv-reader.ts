import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { FileRefusedError } from './file-refused.error';

export interface CsvRecord {
  record: string[];
  /** the file line the record ends on (header = 1) */
  line: number;
}

export interface CsvLimits {
  /** data rows (the header comes on top) */
  maxRows: number;
  maxColumns: number;
}

/** The api's defaults (IMPORT_MAX_ROWS); the import passes the configured ones. */
export const CSV_DEFAULT_LIMITS: CsvLimits = { maxRows: 50_000, maxColumns: 256 };

const CHUNK = 64 * 1024;
const MAX_RECORD_CHARS = 64 * 1024; // one row: far beyond any ledger row, bounds a runaway quoted field

function* chunks(body: Buffer): Generator<Buffer> {
  for (let i = 0; i < body.length; i += CHUNK) yield body.subarray(i, i + CHUNK);
}

/**
 * Parses CSV with csv-parse's stream API, 64 KiB at a time, so a large file never holds the
 * event loop; refuses (FileRefusedError 413) past `maxRows` data rows or `maxColumns` columns,
 * and (400) a file that is not CSV.
 */
export async function readCsvRecords(body: Buffer, limits: CsvLimits): Promise<CsvRecord[]> {
  const parser = Readable.from(chunks(body)).pipe(parse({ bom: true, info: true, relax_column_count: true, skip_empty_lines: true, max_record_size: MAX_RECORD_CHARS }));
  const records: CsvRecord[] = [];
  try {
    for await (const r of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (records.length > limits.maxRows) throw new FileRefusedError(413, `the CSV file has more than ${limits.maxRows} data rows`);
      if (r.record.length > limits.maxColumns) throw new FileRefusedError(413, `line ${r.info.lines} has ${r.record.length} columns (at most ${limits.maxColumns})`);
      records.push({ record: r.record, line: r.info.lines });
    }
  } catch (err) {
    parser.destroy();
    if (err instanceof FileRefusedError) throw err;
    throw new FileRefusedError(400, `not a readable CSV file: ${(err as Error).message}`);
  }
  return records;
}
