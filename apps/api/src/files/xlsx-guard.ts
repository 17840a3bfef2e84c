// An uploaded XLSX is a zip of XML parts. Before exceljs (JSZip) inflates and parses it, this reads
// the zip's central directory and checks what it would cost: number of entries, declared sizes,
// compression ratio — then inflates every entry itself with a cap at its declared size (a zip may
// lie about sizes; the cap makes the lie an error, not gigabytes) and reads how far each sheet
// reaches (`<row r>`/`<c r>`/`<dimension ref>`), so a cell at XFD1048576 is refused, not looped.
// Limits in the spirit of Apache POI's ZipSecureFile (minimum inflate ratio 0.01).
import { promisify } from 'node:util';
import { inflateRaw } from 'node:zlib';
import { FileRefusedError } from './file-refused.error';

const inflateRawAsync = promisify(inflateRaw);

export interface XlsxLimits {
  /** sum of the entries' uncompressed sizes */
  maxUncompressedBytes: number;
  /** data rows of a sheet (the header row comes on top) */
  maxRows: number;
  maxEntries: number;
  maxColumns: number;
  /** uncompressed ÷ compressed of one entry larger than `ratioFloorBytes` */
  maxRatio: number;
  ratioFloorBytes: number;
}

export const XLSX_DEFAULTS: Omit<XlsxLimits, 'maxUncompressedBytes' | 'maxRows'> = {
  maxEntries: 1_000, // Excel writes ~10 parts; images and many sheets add a few each
  maxColumns: 256, // column IV
  maxRatio: 100, // POI: 0.01
  ratioFloorBytes: 1024 * 1024, // small parts may compress better than that harmlessly
};

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

const EOCD_SIG = 0x06054b50;
const CDH_SIG = 0x02014b50;
const LFH_SIG = 0x04034b50;
const EOCD_MIN = 22;
const ZIP64 = 0xffffffff;

const unreadable = (why: string) => new FileRefusedError(400, `not a readable XLSX file: ${why}`);
const tooLarge = (why: string) => new FileRefusedError(413, `the XLSX file is refused: ${why}`);
const mib = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MiB`;

/** The central directory's entries (names and declared sizes), after checking its shape and the entry count. */
export function readCentralDirectory(buf: Buffer, maxEntries: number): ZipEntry[] {
  const eocd = findEocd(buf);
  const count = buf.readUInt16LE(eocd + 10);
  const size = buf.readUInt32LE(eocd + 12);
  const offset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || offset === ZIP64 || size === ZIP64) throw unreadable('ZIP64 archives are not accepted');
  if (count > maxEntries) throw tooLarge(`it has ${count} entries (at most ${maxEntries})`);
  if (offset + size > eocd) throw unreadable('the central directory lies outside the file');
  const entries: ZipEntry[] = [];
  let p = offset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > offset + size || buf.readUInt32LE(p) !== CDH_SIG) throw unreadable('a damaged central directory');
    const nameLength = buf.readUInt16LE(p + 28);
    const entry: ZipEntry = {
      flags: buf.readUInt16LE(p + 8),
      method: buf.readUInt16LE(p + 10),
      compressedSize: buf.readUInt32LE(p + 20),
      uncompressedSize: buf.readUInt32LE(p + 24),
      localHeaderOffset: buf.readUInt32LE(p + 42),
      name: buf.toString('utf8', p + 46, Math.min(p + 46 + nameLength, buf.length)),
    };
    if (entry.compressedSize === ZIP64 || entry.uncompressedSize === ZIP64 || entry.localHeaderOffset === ZIP64) throw unreadable('ZIP64 entries are not accepted');
    entries.push(entry);
    p += 46 + nameLength + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return entries;
}

function findEocd(buf: Buffer): number {
  const last = buf.length - EOCD_MIN;
  for (let p = last; p >= Math.max(0, last - 0xffff); p--) if (buf.readUInt32LE(p) === EOCD_SIG) return p;
  throw unreadable('no zip central directory (is it an XLSX file?)');
}

/** Checks the declared sizes against the limits, without inflating anything. */
export function checkDeclaredSizes(entries: ZipEntry[], limits: XlsxLimits): void {
  let total = 0;
  for (const e of entries) {
    if ((e.flags & 1) !== 0) throw unreadable(`${e.name} is encrypted`);
    if (e.method !== 0 && e.method !== 8) throw unreadable(`${e.name} uses compression method ${e.method} (only stored and deflate are read)`);
    total += e.uncompressedSize;
    if (total > limits.maxUncompressedBytes) throw tooLarge(`it unpacks to more than ${mib(limits.maxUncompressedBytes)} (${e.name} alone declares ${mib(e.uncompressedSize)})`);
    if (e.uncompressedSize > limits.ratioFloorBytes && e.uncompressedSize > limits.maxRatio * Math.max(e.compressedSize, 1)) {
      throw tooLarge(`${e.name} is compressed more than ${limits.maxRatio}:1 (${mib(e.uncompressedSize)} from ${e.compressedSize} bytes), as a zip bomb is`);
    }
  }
}

/** The entry's bytes, inflated with a cap at its declared size: a zip that understates a size is refused. */
export async function inflateEntry(buf: Buffer, e: ZipEntry): Promise<Buffer> {
  const p = e.localHeaderOffset;
  if (p + 30 > buf.length || buf.readUInt32LE(p) !== LFH_SIG) throw unreadable(`a damaged entry ${e.name}`);
  const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
  if (start + e.compressedSize > buf.length) throw unreadable(`${e.name} runs past the end of the file`);
  const data = buf.subarray(start, start + e.compressedSize);
  if (e.method === 0) {
    if (e.compressedSize !== e.uncompressedSize) throw unreadable(`${e.name}: a stored entry whose sizes differ`);
    return data;
  }
  try {
    return await inflateRawAsync(data, { maxOutputLength: Math.max(e.uncompressedSize, 1) });
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(`${e.name} unpacks to more than the ${e.uncompressedSize} bytes it declares`);
    throw unreadable(`${e.name} does not inflate (${(err as Error).message})`);
  }
}

const ROW_TAG = /<(?:\w+:)?row\b[^>]*?\sr="(\d+)"/g;
const ROW_OPEN = /<(?:\w+:)?row\b/g;
const CELL_REF = /<(?:\w+:)?c\b[^>]*?\sr="([A-Z]+)(\d+)"/g;
const CELL_OPEN = /<(?:\w+:)?c[\s>/]/g;
const DIMENSION = /<(?:\w+:)?dimension\b[^>]*?\sref="[A-Z]*\d*:?([A-Z]+)(\d+)"/;

export function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

/** How far a worksheet's XML reaches: the last row and column any `<row>`, `<c>` or `<dimension>` names. */
export function sheetExtent(xml: string): { rows: number; columns: number; cells: number } {
  let rows = 0;
  let columns = 0;
  for (const m of xml.matchAll(ROW_TAG)) rows = Math.max(rows, Number(m[1]));
  for (const m of xml.matchAll(CELL_REF)) {
    rows = Math.max(rows, Number(m[2]));
    columns = Math.max(columns, columnNumber(m[1] as string));
  }
  const rowTags = xml.match(ROW_OPEN)?.length ?? 0; // rows without r= follow one another
  const cells = xml.match(CELL_OPEN)?.length ?? 0;
  const dim = DIMENSION.exec(xml);
  if (dim) {
    rows = Math.max(rows, Number(dim[2]));
    columns = Math.max(columns, columnNumber(dim[1] as string));
  }
  return { rows: Math.max(rows, rowTags), columns, cells };
}

/**
 * Refuses an XLSX whose zip or sheets exceed the limits (FileRefusedError 413) or that is not a
 * readable zip (400); resolves when exceljs may load it.
 */
export async function checkXlsx(buf: Buffer, limits: XlsxLimits): Promise<void> {
  const entries = readCentralDirectory(buf, limits.maxEntries);
  checkDeclaredSizes(entries, limits);
  for (const e of entries) {
    const data = await inflateEntry(buf, e);
    if (!/^xl\/worksheets\/[^/]+\.xml$/i.test(e.name)) continue;
    const { rows, columns, cells } = sheetExtent(data.toString('latin1')); // tags and refs are ASCII
    const name = e.name.slice('xl/worksheets/'.length);
    if (rows > limits.maxRows + 1) throw tooLarge(`sheet ${name} reaches row ${rows} (at most ${limits.maxRows} data rows and a header are read)`);
    if (columns > limits.maxColumns) throw tooLarge(`sheet ${name} reaches column ${columns} (at most ${limits.maxColumns} columns are read)`);
    if (cells > (limits.maxRows + 1) * limits.maxColumns) throw tooLarge(`sheet ${name} has ${cells} cells`);
  }
}
