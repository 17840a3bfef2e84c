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

const MIN_CAPACITY = 64 * 1024;
// Past the prefix a line holds at most: ` value=` 7 + a number 24 + `,quality="uncertain"` 20 + ` ` + ts 21 + `\n`.
const MAX_TAIL = 96;
const SPACE = 0x20;
const NEWLINE = 0x0a;
const ZERO = 0x30;
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
 * only when not good (ARCHITECTURE.md §Stores). A bad reading without a value (NaN: a Modbus
 * exception, a register holding NaN) is stored as its quality alone, so history never shows a
 * number nobody measured.
 */
export class LineBatch {
  private buf: Buffer;
  private length = 0;
  private lines = 0;

  constructor(private capacity = MIN_CAPACITY) {
    this.buf = Buffer.allocUnsafe(capacity);
  }

  get count(): number {
    return this.lines;
  }

  add(prefix: Uint8Array, value: number, quality: string, tsMs: number): void {
    if (this.length + prefix.length + MAX_TAIL > this.buf.length) this.grow(prefix.length + MAX_TAIL);
    const buf = this.buf;
    buf.set(prefix, this.length);
    let o = this.length + prefix.length;
    if (Number.isNaN(value)) {
      const field = QUALITY_ONLY[quality] ?? QUALITY_ONLY['bad'] as Buffer;
      buf.set(field, o);
      o += field.length;
    } else {
      buf.set(VALUE_FIELD, o);
      // a number without an `i` suffix is a float field in line protocol, whatever its digits
      o = writeAscii(buf, o + VALUE_FIELD.length, String(value));
      if (quality !== 'good') {
        const field = QUALITY_FIELD[quality] ?? QUALITY_FIELD['bad'] as Buffer;
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

  /** The lines so far (the buffer is handed over, not copied); the batch starts again empty. */
  take(): { body: Buffer; count: number } {
    const out = { body: this.buf.subarray(0, this.length), count: this.lines };
    // the next batch most likely needs what this one did: one allocation, no growing
    this.capacity = Math.max(MIN_CAPACITY, this.length + (this.length >> 3));
    this.buf = Buffer.allocUnsafe(this.capacity);
    this.length = 0;
    this.lines = 0;
    return out;
  }

  toString(): string {
    return this.buf.toString('utf8', 0, this.length);
  }

  private grow(need: number): void {
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + need));
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }
}

// The characters of a number as String() writes it: ASCII only.
function writeAscii(buf: Buffer, o: number, s: string): number {
  for (let i = 0; i < s.length; i++) buf[o++] = s.charCodeAt(i);
  return o;
}

// Epoch ms are whole numbers; written digit by digit, no string in between.
function writeTimestamp(buf: Buffer, o: number, ts: number): number {
  if (!(Number.isSafeInteger(ts) && ts >= 0)) return writeAscii(buf, o, String(ts));
  let digits = 1;
  for (let t = ts; t >= 10; t = Math.floor(t / 10)) digits++;
  let t = ts;
  for (let i = o + digits - 1; i >= o; i--) {
    const q = Math.floor(t / 10);
    buf[i] = ZERO + (t - q * 10);
    t = q;
  }
  return o + digits;
}
