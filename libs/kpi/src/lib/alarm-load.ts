import { byGroups, type ByGroups, type Grouped } from './groups';
import type { Interval } from './intervals';
import { rate } from './rate';

const WINDOW_MS = 10 * 60_000; // ISA-18.2 counts alarms per 10 minutes
export const FLOOD_ABOVE = 10; // more than 10 alarms in 10 min
export const STALE_MS = 24 * 3_600_000; // active longer than 24 h
export const CHATTER = { count: 3, withinMs: 60_000 }; // ≥ 3 activations within one minute

/** An alarm's condition history: `raised`/`reactivated` start it, `cleared` ends it. */
export interface LoadAlarm extends Grouped {
  id: string;
  events: readonly { event: string; at: number }[];
}

export interface AlarmLoad {
  /** annunciations (raised + reactivated) in the period */
  annunciations: number;
  /** annunciations per 10 minutes per duty officer, 4 decimals */
  alarmsPer10Min: number | null;
  windows: number;
  floodWindows: number;
  /** share of 10-minute windows with more than 10 annunciations */
  floodWindowRate: number | null;
  /** alarms active at the period's end for more than 24 h */
  stale: number;
  /** alarms with ≥ 3 activations within one minute in the period */
  chattering: number;
}

const isActivation = (e: { event: string }) => e.event === 'raised' || e.event === 'reactivated';

function activeSince(a: LoadAlarm, at: number): number | null {
  let since: number | null = null;
  for (const e of [...a.events].sort((x, y) => x.at - y.at)) {
    if (e.at > at) break;
    if (isActivation(e)) since = since ?? e.at;
    else if (e.event === 'cleared') since = null;
  }
  return since;
}

function chatters(a: LoadAlarm, window: Interval): boolean {
  const starts = a.events.filter((e) => isActivation(e) && e.at >= window.start && e.at < window.end).map((e) => e.at).sort((x, y) => x - y);
  return starts.some((t, i) => {
    const later = starts[i + CHATTER.count - 1];
    return later !== undefined && later - t <= CHATTER.withinMs;
  });
}

/**
 * ISA-18.2 alarm load over `window` (10-minute windows from its start; the last may be shorter).
 * A reactivation is annunciated again, so it counts as an alarm here; `dutyOfficers` ≥ 1.
 */
export function summarizeLoad(alarms: readonly LoadAlarm[], window: Interval, dutyOfficers = 1): AlarmLoad {
  const windows = Math.ceil((window.end - window.start) / WINDOW_MS);
  const perWindow = new Array<number>(windows).fill(0);
  for (const a of alarms) {
    for (const e of a.events) {
      if (!isActivation(e) || e.at < window.start || e.at >= window.end) continue;
      const w = Math.floor((e.at - window.start) / WINDOW_MS);
      perWindow[w] = (perWindow[w] ?? 0) + 1;
    }
  }
  const annunciations = perWindow.reduce((s, n) => s + n, 0);
  const floodWindows = perWindow.filter((n) => n > FLOOD_ABOVE).length;
  return {
    annunciations,
    alarmsPer10Min: rate(annunciations, windows * dutyOfficers),
    windows,
    floodWindows,
    floodWindowRate: rate(floodWindows, windows),
    stale: alarms.filter((a) => {
      const since = activeSince(a, window.end);
      return since !== null && window.end - since > STALE_MS;
    }).length,
    chattering: alarms.filter((a) => chatters(a, window)).length,
  };
}

export function computeAlarmLoad(alarms: readonly LoadAlarm[], window: Interval, dutyOfficers = 1): ByGroups<AlarmLoad> {
  return byGroups(alarms, (list) => summarizeLoad(list, window, dutyOfficers));
}
