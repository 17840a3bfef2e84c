/** A half-open time interval [start, end) in epoch ms. */
export interface Interval {
  start: number;
  end: number;
}

/** Sorted, merged, non-empty intervals. */
export function normalize(list: readonly Interval[]): Interval[] {
  const sorted = list.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else out.push({ ...i });
  }
  return out;
}

export function intersect(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const x of normalize(a)) for (const y of normalize(b)) out.push({ start: Math.max(x.start, y.start), end: Math.min(x.end, y.end) });
  return normalize(out);
}

export function measure(list: readonly Interval[]): number {
  return normalize(list).reduce((sum, i) => sum + i.end - i.start, 0);
}

/** One recorded online/offline change of a gateway (gateway_state_changes). */
export interface StateChange {
  at: number;
  online: boolean;
}

/**
 * The online intervals inside `window` from a gateway's state changes (in any order). The state at
 * the window's start is the last change before it; with none, offline.
 */
export function onlineIntervals(changes: readonly StateChange[], window: Interval): Interval[] {
  const sorted = [...changes].sort((a, b) => a.at - b.at);
  const out: Interval[] = [];
  let online = false;
  let since = window.start;
  for (const c of sorted) {
    if (c.at <= window.start) {
      online = c.online;
      continue;
    }
    if (c.at >= window.end) break;
    if (c.online !== online) {
      if (online) out.push({ start: since, end: c.at });
      online = c.online;
      since = c.at;
    }
  }
  if (online) out.push({ start: since, end: window.end });
  return normalize(out);
}
