// Which readings to fetch around an alarm: from 30 min before it was raised to 15 min after it
// cleared (or now), raw when short, in about 300 buckets when long.
import type { Alarm, BucketReading, RawReading } from '../api/api.types';

const BEFORE_MS = 30 * 60_000;
const AFTER_MS = 15 * 60_000;
const RAW_UP_TO_MS = 3 * 3_600_000; // 3 h raw; the API caps rows anyway
const BUCKETS = 300;

export interface ReadingsWindow {
  from: string;
  to: string;
  every?: string;
}

export function readingsWindow(alarm: Pick<Alarm, 'raisedAt' | 'clearedAt'>, now = Date.now()): ReadingsWindow {
  const fromMs = Date.parse(alarm.raisedAt) - BEFORE_MS;
  const end = alarm.clearedAt ? Date.parse(alarm.clearedAt) + AFTER_MS : now;
  const toMs = Math.max(Math.min(end, now), fromMs + 60_000);
  const span = toMs - fromMs;
  const window: ReadingsWindow = { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() };
  if (span > RAW_UP_TO_MS) window.every = `${Math.ceil(span / BUCKETS / 1000)}s`;
  return window;
}

/** [epoch ms, value] pairs from raw readings or bucket means (empty buckets left out). */
export function toSeries(readings: readonly (RawReading | BucketReading)[]): [number, number][] {
  const out: [number, number][] = [];
  for (const r of readings) {
    const v = 'value' in r ? r.value : r.mean;
    if (v !== null && v !== undefined) out.push([Date.parse(r.ts), v]);
  }
  return out;
}
