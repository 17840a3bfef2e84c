// The alarms the board knows, one snapshot per alarm, fed by the REST list and the live feed.
// A snapshot replaces the one held only when its seq is higher, so the REST page and a replay
// of the feed may arrive in any order and the newest state wins.
import type { Alarm, AlarmFrame } from '../api/api.types';

const ALERT_EVENTS = new Set(['raised', 'reactivated', 'tier_changed', 'escalated']);

/** A red alarm that needs a duty officer now: sound and flash (issue 7). */
export function needsAlert(frame: AlarmFrame): boolean {
  const a = frame.alarm;
  return ALERT_EVENTS.has(frame.event) && isUnhandledRed(a);
}

export function isUnhandledRed(a: Alarm): boolean {
  return a.tier === 'red' && a.condition === 'active' && !a.acknowledged && a.stage !== 'closed' && !a.suppressed && !a.shelvedUntil;
}

/** Newest first: by raisedAt, then by seq. */
export function newestFirst(a: Alarm, b: Alarm): number {
  return b.raisedAt.localeCompare(a.raisedAt) || b.seq - a.seq;
}

export class AlarmBoardStore {
  private readonly byId = new Map<string, Alarm>();
  private readonly listeners = new Set<() => void>();
  private sorted: Alarm[] | null = [];
  private revision = 0;

  get version(): number {
    return this.revision;
  }

  get(id: string): Alarm | undefined {
    return this.byId.get(id);
  }

  /** All alarms held, newest first (the same array until something changes). */
  list(): readonly Alarm[] {
    this.sorted ??= [...this.byId.values()].sort(newestFirst);
    return this.sorted;
  }

  /** Merges snapshots (a REST page, an action's answer); true when any changed. */
  merge(alarms: readonly Alarm[]): boolean {
    let changed = false;
    for (const alarm of alarms) changed = this.put(alarm) || changed;
    if (changed) this.changed();
    return changed;
  }

  /** Applies a live-feed event; true when its snapshot is newer than the one held. */
  apply(frame: AlarmFrame): boolean {
    const changed = this.put(frame.alarm);
    if (changed) this.changed();
    return changed;
  }

  clear(): void {
    this.byId.clear();
    this.changed();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private put(alarm: Alarm): boolean {
    const held = this.byId.get(alarm.id);
    if (held && held.seq >= alarm.seq) return false;
    this.byId.set(alarm.id, alarm);
    return true;
  }

  private changed(): void {
    this.sorted = null;
    this.revision += 1;
    this.listeners.forEach((l) => l());
  }
}
