import type { Quality } from '../telemetry/telemetry.types';

/**
 * A normalized reading as ingest publishes it for alerting on `internal/readings/{partition}`:
 * registry ids resolved, value numeric, time in epoch ms, and when ingest received it (for latency).
 */
export interface NormalizedReading {
  pointId: string;
  gatewayId: string;
  enterpriseId: string;
  ts: number;
  value: number;
  quality: Quality;
  receivedAt: number;
}

type Row = [pointId: string, gatewayId: string, enterpriseId: string, ts: number, value: number, quality: 0 | 1 | 2, receivedAt: number];
const utf8 = new TextDecoder();
const QUALITY: readonly Quality[] = ['good', 'uncertain', 'bad'];

/** One message for many readings: arrays, not objects, keep the JSON small and fast to parse. */
export function encodeReadingBatch(readings: readonly NormalizedReading[]): string {
  const rows: Row[] = new Array(readings.length);
  for (let i = 0; i < readings.length; i++) {
    const r = readings[i] as NormalizedReading;
    rows[i] = [r.pointId, r.gatewayId, r.enterpriseId, r.ts, r.value, QUALITY.indexOf(r.quality) as 0 | 1 | 2, r.receivedAt];
  }
  return JSON.stringify({ v: 1, r: rows });
}

/** Throws on anything that is not a batch this codec wrote: internal topics are trusted peers. */
export function decodeReadingBatch(payload: Uint8Array | string): NormalizedReading[] {
  const parsed = JSON.parse(typeof payload === 'string' ? payload : utf8.decode(payload)) as { v?: number; r?: Row[] };
  if (parsed.v !== 1 || !Array.isArray(parsed.r)) throw new Error('not a v1 reading batch');
  return parsed.r.map(([pointId, gatewayId, enterpriseId, ts, value, q, receivedAt]) => ({
    pointId,
    gatewayId,
    enterpriseId,
    ts,
    value,
    quality: QUALITY[q] ?? 'bad',
    receivedAt,
  }));
}
