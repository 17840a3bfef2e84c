/**
 * InfluxDB line protocol for the `reading` measurement, built by hand on the hot path: the tag part
 * of a point's lines is escaped and encoded once per point (and cached by the caller), and each
 * reading is written straight into the batch's request body. A string a line followed by
 * `join('\n')` and the body's UTF-8 encoding cost three copies of every byte (~12 % of ingest's
 * CPU in the profile of issue 8); before that node-influx's per-point parse, schema check and
 * escaping cost ~13 % at 50,000 readings/s.
 */
export const READING_MEASUREMENT = 'reading';

export type ReadingTags = Record<'enterprise' | 'gateway' | 'point' | 'type' | 'region', string>;

const TAG_SPECIAL = /[,= \\\n]/g;

/** Tag keys and values: comma, equals sign, space (and backslash, newline) are escaped. */
export function escapeTag(value: string): string {
  return value.replace(TAG_SPECIAL, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

/** `reading,enterprise=…,gateway=…,point=…,region=…,type=…` — tags sorted by key, as InfluxDB prefers. */
export function linePrefix(tags: ReadingTags): string {
  let out = READING_MEASUREMENT;
  for (const key of Object.keys(tags).sort() as (keyof ReadingTags)[]) out += `,${key}=${escapeTag(tags[key])}`;
  return out;
}

/** The line prefix as a batch takes it (UTF-8). */
export function linePrefixBytes(tags: ReadingTags): Buffer {
  return Buffer.from(linePrefix(tags), 'utf8');
}

const CHUNK_BYTES = 64 * 1024;
const MIN_REST = 4 * 1024;
// Past the prefix a line holds at most: ` value=` 7 + a number 24 + `,quality="uncertain"` 20 + ` ` + ts 21 + `\n`.
const MAX_TAIL = 96;
const SPACE = 0x20;
const NEWLINE = 0x0a;
const ZERO = 0x30;
const DOT = 0x2e;
const MINUS = 0x2d;
const VALUE_FIELD = Buffer.from(' value=');
const QUALITY_FIELD: Record<string, Buffer> = {
  uncertain: Buffer.from(',quality="uncertain"'),
  bad: Buffer.from(',quality="bad"'),
};
const QUALITY_ONLY: Record<string, Buffer> = {
  good: Buffer.from(' quality="good"'),
  uncertain: Buffer.from(' quality="uncertain"'),
  bad: Buffer.from(' quality="bad"'),
};

/**
 * The body of one `/write` request, one reading a line. `value` is always a float field; `quality`
 * only when not good (docs/architecture.md §Stores). A bad reading without a value (NaN: a Modbus
 * exception, a register holding NaN) is stored as its quality alone, so history never shows a
 * number nobody measured. The body is a list of chunks, written as they are: nothing is copied to
 * grow it, and a small batch holds one chunk.
 */
export class LineBatch {
  private chunks: Buffer[] = [];
  private buf = Buffer.allocUnsafe(CHUNK_BYTES);
  private length = 0;
  private full = 0; // bytes in `chunks`
  private lines = 0;

  get count(): number {
    return this.lines;
  }

  get bytes(): number {
    return this.full + this.length;
  }

  add(prefix: Uint8Array, value: number, quality: string, tsMs: number): void {
    if (this.length + prefix.length + MAX_TAIL > this.buf.length) this.nextChunk(prefix.length + MAX_TAIL);
    const buf = this.buf;
    buf.set(prefix, this.length);
    let o = this.length + prefix.length;
    if (Number.isNaN(value)) {
      const field = QUALITY_ONLY[quality] ?? (QUALITY_ONLY['bad'] as Buffer);
      buf.set(field, o);
      o += field.length;
    } else {
      buf.set(VALUE_FIELD, o);
      // a number without an `i` suffix is a float field in line protocol, whatever its digits
      o = writeFloat(buf, o + VALUE_FIELD.length, value);
      if (quality !== 'good') {
        const field = QUALITY_FIELD[quality] ?? (QUALITY_FIELD['bad'] as Buffer);
        buf.set(field, o);
        o += field.length;
      }
    }
    buf[o++] = SPACE;
    o = writeTimestamp(buf, o, tsMs);
    buf[o++] = NEWLINE;
    this.length = o;
    this.lines++;
  }

  /** The lines so far, as chunks handed over (not copied); the batch starts again empty. */
  take(): { body: Buffer[]; bytes: number; count: number } {
    const out = { body: this.chunks, bytes: this.bytes, count: this.lines };
    if (this.length > 0) out.body.push(this.buf.subarray(0, this.length));
    // the rest of the current chunk is kept for the next batch: a quiet system allocates little
    this.buf = this.buf.length - this.length >= MIN_REST ? this.buf.subarray(this.length) : Buffer.allocUnsafe(CHUNK_BYTES);
    this.chunks = [];
    this.length = 0;
    this.full = 0;
    this.lines = 0;
    return out;
  }

  toString(): string {
    return Buffer.concat([...this.chunks, this.buf.subarray(0, this.length)]).toString('utf8');
  }

  private nextChunk(need: number): void {
    if (this.length > 0) {
      this.chunks.push(this.buf.subarray(0, this.length));
      this.full += this.length;
    }
    this.buf = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, need));
    this.length = 0;
  }
}

// The characters of a number as String() writes it: ASCII only.
function writeAscii(buf: Buffer, o: number, s: string): number {
  for (let i = 0; i < s.length; i++) buf[o++] = s.charCodeAt(i);
  return o;
}

// Epoch ms are whole numbers; written digit by digit, no string in between.
function writeTimestamp(buf: Buffer, o: number, ts: number): number {
  return Number.isSafeInteger(ts) && ts >= 0 ? writeFixed(buf, o, ts, 0) : writeAscii(buf, o, String(ts));
}

/**
 * What String(v) writes, without the string: a value with at most 6 decimals (what sensors send)
 * is written from the integer v × 10^k of the smallest k that gives v back exactly — the shortest
 * decimal that reads back as v, which is String's answer too. Anything else goes through String.
 */
function writeFloat(buf: Buffer, o: number, v: number): number {
  const a = v < 0 ? -v : v;
  if (a < 1e9) {
    let scale = 1;
    for (let k = 0; k <= 6; k++) {
      const n = Math.round(a * scale); // < 1e15: an exact integer
      if (n / scale === a) {
        if (v < 0) buf[o++] = MINUS;
        return writeFixed(buf, o, n, k);
      }
      scale *= 10;
    }
  }
  return writeAscii(buf, o, String(v));
}

// The whole number n ≥ 0 as n / 10^decimals: `123`, `1.23`, `0.05`.
function writeFixed(buf: Buffer, o: number, n: number, decimals: number): number {
  let digits = 1;
  for (let t = n; t >= 10; t = Math.floor(t / 10)) digits++;
  if (digits <= decimals) digits = decimals + 1; // a leading 0 before the point
  const end = o + digits + (decimals > 0 ? 1 : 0);
  let t = n;
  let i = end - 1;
  for (let d = 0; d < decimals; d++, i--) {
    const q = Math.floor(t / 10);
    buf[i] = ZERO + (t - q * 10);
    t = q;
  }
  if (decimals > 0) buf[i--] = DOT;
  for (; i >= o; i--) {
    const q = Math.floor(t / 10);
    buf[i] = ZERO + (t - q * 10);
    t = q;
  }
  return end;
}
