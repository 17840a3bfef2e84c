import type { Quality } from '../telemetry/telemetry.types';

/**
 * A normalized reading as ingest publishes it for alerting on `internal/readings/{partition}`:
 * the point's registry id (alerting's registry knows its gateway and enterprise), value numeric,
 * time in epoch ms, and when ingest received it (for latency).
 */
export interface NormalizedReading {
  pointId: string;
  ts: number;
  /** In the point's unit; null for a `bad` reading that has no value (a failed Modbus read). */
  value: number;
  quality: Quality;
  receivedAt: number;
}

const QUALITY: readonly Quality[] = ['good', 'uncertain', 'bad'];
const qualityCode = (q: Quality): number => (q === 'good' ? 0 : q === 'uncertain' ? 1 : 2);

/*
 * Wire format v2, binary, little-endian (v1 was JSON with three ids a reading; ~3× the bytes and a
 * JSON.stringify/parse on both sides of the busiest topic):
 *
 *   u8 version = 2 · u32 count · count × ( u8 idLength · id (UTF-8) · u8 quality · f64 ts · f64 value · f64 receivedAt )
 *
 * quality: 0 good, 1 uncertain, 2 bad; value NaN = none. A v1 batch starts with `{` (0x7b), so the
 * first byte tells the two apart and a decoder reads both while ingest instances are upgraded.
 */
const VERSION = 2;
const HEADER_BYTES = 5;
const FIXED_BYTES = 1 + 1 + 8 + 8 + 8; // id length, quality, ts, value, receivedAt
const MAX_ID_BYTES = 255;
const OPEN_BRACE = 0x7b;

const encoder = new TextEncoder();
const utf8 = new TextDecoder();

/** A point id as the batch carries it; encode once per point and keep it (ids are at most 255 bytes of UTF-8). */
export function encodePointId(pointId: string): Uint8Array {
  const bytes = encoder.encode(pointId);
  if (bytes.length === 0 || bytes.length > MAX_ID_BYTES) throw new RangeError(`point id must be 1 to ${MAX_ID_BYTES} bytes of UTF-8`);
  return bytes;
}

/**
 * Collects readings and encodes them into one batch. Readings are kept as numbers in one flat
 * array, never as objects: on ingest's hot path a reading costs four pushes.
 */
export class ReadingBatchEncoder {
  private ids: Uint8Array[] = [];
  private nums: number[] = []; // ts, value, quality, receivedAt per reading
  private idBytes = 0;

  get length(): number {
    return this.ids.length;
  }

  /** `id` from {@link encodePointId}; `value` NaN when the reading has none. */
  add(id: Uint8Array, ts: number, value: number, quality: Quality, receivedAt: number): void {
    this.ids.push(id);
    this.idBytes += id.length;
    this.nums.push(ts, value, qualityCode(quality), receivedAt);
  }

  /** The batch of everything added since the last call, which starts the next one empty. */
  finish(): Uint8Array {
    const { ids, nums } = this;
    const count = ids.length;
    const out = new Uint8Array(HEADER_BYTES + this.idBytes + count * FIXED_BYTES);
    const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
    out[0] = VERSION;
    view.setUint32(1, count, true);
    let o = HEADER_BYTES;
    for (let i = 0, n = 0; i < count; i++, n += 4) {
      const id = ids[i] as Uint8Array;
      out[o++] = id.length;
      out.set(id, o);
      o += id.length;
      out[o++] = nums[n + 2] as number;
      view.setFloat64(o, nums[n] as number, true);
      view.setFloat64(o + 8, nums[n + 1] as number, true);
      view.setFloat64(o + 16, nums[n + 3] as number, true);
      o += 24;
    }
    this.ids = [];
    this.nums = [];
    this.idBytes = 0;
    return out;
  }
}

/** One message for many readings (tests and tools; ingest's hot path uses {@link ReadingBatchEncoder}). */
export function encodeReadingBatch(readings: readonly NormalizedReading[]): Uint8Array {
  const encoder = new ReadingBatchEncoder();
  for (const r of readings) encoder.add(encodePointId(r.pointId), r.ts, valueOrNaN(r.value), r.quality, r.receivedAt);
  return encoder.finish();
}

/** Throws on anything that is not a batch this codec (v2) or its predecessor (v1 JSON) wrote: internal topics are trusted peers. */
export function decodeReadingBatch(payload: Uint8Array | string): NormalizedReading[] {
  if (typeof payload === 'string' || payload[0] === OPEN_BRACE) return decodeV1(payload);
  if (payload[0] !== VERSION || payload.length < HEADER_BYTES) throw new Error('not a reading batch');
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const count = view.getUint32(1, true);
  if (count * (FIXED_BYTES + 1) > payload.length - HEADER_BYTES) throw new Error('truncated reading batch');
  const out: NormalizedReading[] = new Array(count);
  let o = HEADER_BYTES;
  for (let i = 0; i < count; i++) {
    const idLength = payload[o] ?? 0;
    if (idLength === 0 || o + 1 + idLength + FIXED_BYTES - 1 > payload.length) throw new Error('truncated reading batch');
    const pointId = utf8.decode(payload.subarray(o + 1, o + 1 + idLength));
    o += 1 + idLength;
    const quality = QUALITY[payload[o] as number] ?? 'bad';
    const ts = view.getFloat64(o + 1, true);
    const value = view.getFloat64(o + 9, true);
    const receivedAt = view.getFloat64(o + 17, true);
    o += 25;
    out[i] = { pointId, ts, value: noneAsNull(value), quality, receivedAt };
  }
  if (o !== payload.length) throw new Error('trailing bytes after the reading batch');
  return out;
}

type RowV1 = [pointId: string, gatewayId: string, enterpriseId: string, ts: number, value: number, quality: 0 | 1 | 2, receivedAt: number];

function decodeV1(payload: Uint8Array | string): NormalizedReading[] {
  const parsed = JSON.parse(typeof payload === 'string' ? payload : utf8.decode(payload)) as { v?: number; r?: RowV1[] };
  if (parsed.v !== 1 || !Array.isArray(parsed.r)) throw new Error('not a v1 reading batch');
  return parsed.r.map(([pointId, , , ts, value, q, receivedAt]) => ({ pointId, ts, value, quality: QUALITY[q] ?? 'bad', receivedAt }));
}

// A reading without a value has always reached alerting as null (v1 carried NaN as JSON null).
function noneAsNull(value: number): number {
  return Number.isNaN(value) ? (null as unknown as number) : value;
}

function valueOrNaN(value: number | null): number {
  return value === null ? Number.NaN : value;
}
