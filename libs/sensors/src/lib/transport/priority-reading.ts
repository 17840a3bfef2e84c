import { effectiveDeadband } from '../catalog/thresholds';
import type { Thresholds } from '../catalog/point-catalog.types';
import type { Quality } from '../telemetry/telemetry.types';
import type { NormalizedReading } from './reading-batch.codec';

/**
 * The alarm fast lane (docs/architecture.md): ingest sends a reading that may change an alarm at
 * once on `internal/priority/{partition}` (QoS 0) as well as in its partition's batch. The copy
 * names the reading before it of the same point, as ingest published it (`prevTs`, `prevReceivedAt`),
 * so alerting evaluates it early only when that one is the last it evaluated — order per point kept
 * — and recognises the batched copy later by the same identity (ts, receivedAt), so it is evaluated once.
 */
export interface PriorityReading extends NormalizedReading {
  prevTs: number;
  prevReceivedAt: number;
}

/** Where a point's readings may change an alarm: at or above `highFrom`, at or below `lowTo`. */
export interface SetpointBand {
  highFrom: number;
  lowTo: number;
}

/** Nothing near a setpoint (no setpoints known to ingest). */
export const NO_BAND: SetpointBand = { highFrom: Infinity, lowTo: -Infinity };

/**
 * The band around a point's setpoints where a reading may raise, escalate or clear an alarm: from
 * the lowest high setpoint less twice its deadband up, and from the highest low setpoint plus twice
 * its deadband down. A reading outside the band and after one outside it cannot change a setpoint
 * alarm; anything else goes to the fast lane.
 */
export function setpointBand(thresholds: Thresholds | null): SetpointBand {
  if (!thresholds) return NO_BAND;
  const high = Object.values(thresholds.high ?? {}).filter((v): v is number => typeof v === 'number');
  const low = Object.values(thresholds.low ?? {}).filter((v): v is number => typeof v === 'number');
  return {
    highFrom: high.length > 0 ? Math.min(...high) - 2 * effectiveDeadband(thresholds, 'high') : Infinity,
    lowTo: low.length > 0 ? Math.max(...low) + 2 * effectiveDeadband(thresholds, 'low') : -Infinity,
  };
}

/** The reading is in the band (NaN, a reading without a value, never is). */
export function inBand(band: SetpointBand, value: number): boolean {
  return value >= band.highFrom || value <= band.lowTo;
}

export function encodePriorityReading(r: PriorityReading): string {
  return JSON.stringify([r.pointId, r.ts, Number.isNaN(r.value) ? null : r.value, r.quality, r.receivedAt, r.prevTs, r.prevReceivedAt]);
}

const QUALITIES: readonly Quality[] = ['good', 'uncertain', 'bad'];

/** null for anything that is not a priority reading. */
export function decodePriorityReading(payload: Uint8Array | string): PriorityReading | null {
  let v: unknown;
  try {
    v = JSON.parse(typeof payload === 'string' ? payload : new TextDecoder().decode(payload));
  } catch {
    return null;
  }
  if (!Array.isArray(v) || v.length !== 7) return null;
  const [pointId, ts, value, quality, receivedAt, prevTs, prevReceivedAt] = v as unknown[];
  const num = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
  if (typeof pointId !== 'string' || !num(ts) || !(value === null || num(value)) || !QUALITIES.includes(quality as Quality) || !num(receivedAt) || !num(prevTs) || !num(prevReceivedAt)) return null;
  return { pointId, ts, value: value ?? NaN, quality: quality as Quality, receivedAt, prevTs, prevReceivedAt };
}
