import { type PointTypeSpec } from '../catalog/point-catalog.types';
import { POINT_CODE_PATTERN, TELEMETRY_LIMITS } from './telemetry.constants';
import { parseTs } from './telemetry-timestamp';
import { type DecodedReading, type DecodedTelemetry, type Quality, type ReadingRejection } from './telemetry.types';

// Reasons are constants: a rejected reading costs one small object, nothing else.
const DECODE_REASONS = Object.freeze({
  tooLarge: `payload is larger than 256 KiB (${TELEMETRY_LIMITS.maxBytes} bytes)`,
  notUtf8: 'payload is not valid UTF-8',
  invalidJson: 'invalid JSON',
  notObject: 'payload must be a JSON object',
  seq: 'seq must be a non-negative integer',
  readings: 'readings must be a non-empty array',
  readingNotObject: 'must be a JSON object',
  point: "point must be a string of 1 to 64 letters, digits, '_' or '-', starting with a letter or digit",
  value: 'value must be a finite number or true/false',
  quality: 'quality must be good, uncertain or bad',
  booleanForAnalog: 'value true/false is only for digital points',
  digitalNotBinary: 'value of a digital point must be 0, 1, true or false',
});

// fatal: malformed UTF-8 is rejected instead of silently becoming U+FFFD.
const utf8 = new TextDecoder('utf-8', { fatal: true });

type JsonObject = Record<string, unknown>;

/**
 * Decodes and validates one telemetry message (docs/contracts.md §1). Never throws: a rejected message
 * yields one error without `point`; rejected readings yield one error each while the valid ones
 * are accepted. `receivedAt` (epoch ms) stands in for an absent `ts` and bounds future ones.
 */
export function decodeTelemetry(payload: Uint8Array | string, receivedAt: number): DecodedTelemetry {
  const out: DecodedTelemetry = { seq: null, ts: null, readings: [], errors: [] };
  const message = parseMessage(payload);
  if (typeof message === 'string') return reject(out, message);
  const seq = message['seq'];
  if (seq !== undefined && seq !== null) {
    if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) return reject(out, DECODE_REASONS.seq);
    out.seq = seq;
  }
  const rawTs = message['ts'];
  if (rawTs !== undefined && rawTs !== null) {
    const ts = parseTs(rawTs, receivedAt);
    if (typeof ts === 'string') return reject(out, ts); // a bad message ts rejects the whole message
    out.ts = ts;
  }
  const readings = message['readings'];
  if (!Array.isArray(readings) || readings.length === 0) return reject(out, DECODE_REASONS.readings);
  if (readings.length > TELEMETRY_LIMITS.maxReadings) {
    return reject(out, `too many readings: ${readings.length} (at most ${TELEMETRY_LIMITS.maxReadings})`);
  }
  decodeReadings(readings, out.ts ?? receivedAt, receivedAt, out);
  return out;
}

/**
 * Why a decoded reading does not fit its point's type — `true`/`false` for an analog point, or a
 * digital point's number other than 0/1 — or null when it fits.
 */
export function checkReadingForPoint(reading: DecodedReading, spec: PointTypeSpec): string | null {
  if (spec.signal === 'analog') return reading.boolean ? DECODE_REASONS.booleanForAnalog : null;
  return reading.value === 0 || reading.value === 1 ? null : DECODE_REASONS.digitalNotBinary;
}

function reject(out: DecodedTelemetry, reason: string): DecodedTelemetry {
  out.errors.push({ reason });
  return out;
}

function parseMessage(payload: Uint8Array | string): JsonObject | string {
  let text: string;
  if (typeof payload === 'string') {
    if (utf8Length(payload) > TELEMETRY_LIMITS.maxBytes) return DECODE_REASONS.tooLarge;
    text = payload;
  } else {
    if (payload.byteLength > TELEMETRY_LIMITS.maxBytes) return DECODE_REASONS.tooLarge;
    try {
      text = utf8.decode(payload);
    } catch {
      return DECODE_REASONS.notUtf8;
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return DECODE_REASONS.invalidJson;
  }
  return isJsonObject(parsed) ? parsed : DECODE_REASONS.notObject;
}

// UTF-8 size of a string, counted only when its length leaves the limit in doubt.
function utf8Length(s: string): number {
  const n = s.length;
  if (n > TELEMETRY_LIMITS.maxBytes || n * 3 <= TELEMETRY_LIMITS.maxBytes) return n; // 1–3 bytes per UTF-16 unit
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      bytes += 4; // a surrogate pair is one 4-byte character
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// Up to this many readings a message, a repeated (ts, point) is found by scanning the accepted ones:
// cheaper than a Map and a key string per reading (most messages carry one to a few dozen readings).
const SCAN_LIMIT = 32;

// Readings of one point with the same millisecond are one reading; the later wins (docs/contracts.md §1).
function decodeReadings(items: unknown[], defaultTs: number, receivedAt: number, out: DecodedTelemetry): void {
  const seen = items.length > SCAN_LIMIT ? new Map<string, number>() : null; // `${ts} ${point}` → index in out.readings
  const readings = out.readings;
  for (let i = 0; i < items.length; i++) {
    const r = decodeReading(items[i], i, defaultTs, receivedAt);
    if ('reason' in r) {
      out.errors.push(r);
      continue;
    }
    let at: number | undefined;
    let key = '';
    if (seen === null) {
      for (let k = 0; k < readings.length; k++) {
        const other = readings[k] as DecodedReading;
        if (other.ts === r.ts && other.point === r.point) {
          at = k;
          break;
        }
      }
    } else {
      key = `${r.ts} ${r.point}`;
      at = seen.get(key);
    }
    if (at !== undefined) {
      readings[at] = r;
    } else {
      seen?.set(key, readings.length);
      readings.push(r);
    }
  }
}

function decodeReading(item: unknown, index: number, defaultTs: number, receivedAt: number): DecodedReading | ReadingRejection {
  if (!isJsonObject(item)) return { reason: `readings[${index}] ${DECODE_REASONS.readingNotObject}` };
  const point = item['point'];
  if (typeof point !== 'string' || !POINT_CODE_PATTERN.test(point)) {
    return { reason: `readings[${index}]: ${DECODE_REASONS.point}` };
  }
  const raw = item['value'];
  const boolean = typeof raw === 'boolean';
  // JSON has no NaN, but 1e999 parses to Infinity.
  if (!boolean && !(typeof raw === 'number' && Number.isFinite(raw))) return { point, reason: DECODE_REASONS.value };
  const quality = toQuality(item['quality']);
  if (quality === null) return { point, reason: DECODE_REASONS.quality };
  let ts = defaultTs;
  const rawTs = item['ts'];
  if (rawTs !== undefined && rawTs !== null) {
    const parsed = parseTs(rawTs, receivedAt);
    if (typeof parsed === 'string') return { point, reason: parsed };
    ts = parsed;
  }
  const value = boolean ? (raw ? 1 : 0) : (raw as number);
  return { point, value, ts, quality, boolean };
}

function toQuality(raw: unknown): Quality | null {
  if (raw === undefined || raw === null || raw === 'good') return 'good';
  return raw === 'uncertain' || raw === 'bad' ? raw : null;
}
