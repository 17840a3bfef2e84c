import { Injectable } from '@nestjs/common';
import type { AlarmSnapshot } from '@sw/rules';

/** Where a snapshot came from: our own commit, or an event another process committed (api). */
export type SnapshotSource = 'own' | 'followed' | 'loaded';

export type AlarmListener = (alarm: AlarmSnapshot, source: SnapshotSource) => void;

/**
 * The alarms that are not closed, as last committed: what escalation, shelf expiry, maintenance and
 * restart reconciliation look at. Fed by our own commits and by `internal/events` (ack, shelve,
 * close … committed by api); a snapshot never replaces a newer one (by `seq`), so the order in
 * which the two arrive does not matter.
 */
@Injectable()
export class AlarmTrackerService {
  private readonly byId = new Map<string, AlarmSnapshot>();
  private readonly byRule = new Map<string, string>();
  private readonly byPoint = new Map<string, Set<string>>();
  private readonly listeners: AlarmListener[] = [];

  get size(): number {
    return this.byId.size;
  }

  onChange(listener: AlarmListener): void {
    this.listeners.push(listener);
  }

  get(id: string): AlarmSnapshot | undefined {
    return this.byId.get(id);
  }

  /** The not-closed alarm of a rule on a point. */
  forRule(ruleId: string, pointId: string): AlarmSnapshot | null {
    const id = this.byRule.get(`${ruleId}|${pointId}`);
    return (id && this.byId.get(id)) || null;
  }

  forPoint(pointId: string): AlarmSnapshot[] {
    return [...(this.byPoint.get(pointId) ?? [])].map((id) => this.byId.get(id) as AlarmSnapshot);
  }

  all(): IterableIterator<AlarmSnapshot> {
    return this.byId.values();
  }

  /** Takes a snapshot unless we hold a newer one; a closed alarm is forgotten. */
  apply(alarm: AlarmSnapshot, source: SnapshotSource): void {
    const known = this.byId.get(alarm.id);
    if (known && known.seq > alarm.seq) return;
    if (alarm.stage === 'closed') this.forget(alarm);
    else this.remember(alarm);
    for (const listener of this.listeners) listener(alarm, source);
  }

  /** Forgets an alarm that no longer exists (deleted with its enterprise). */
  drop(id: string): void {
    const alarm = this.byId.get(id);
    if (alarm) this.forget(alarm);
  }

  private remember(alarm: AlarmSnapshot): void {
    this.byId.set(alarm.id, alarm);
    if (alarm.pointId === null) return; // gateway-level alarms are not ours to evaluate
    this.byRule.set(`${alarm.ruleId}|${alarm.pointId}`, alarm.id);
    let ids = this.byPoint.get(alarm.pointId);
    if (!ids) this.byPoint.set(alarm.pointId, (ids = new Set()));
    ids.add(alarm.id);
  }

  private forget(alarm: AlarmSnapshot): void {
    this.byId.delete(alarm.id);
    if (alarm.pointId === null) return;
    const key = `${alarm.ruleId}|${alarm.pointId}`;
    if (this.byRule.get(key) === alarm.id) this.byRule.delete(key);
    const ids = this.byPoint.get(alarm.pointId);
    ids?.delete(alarm.id);
    if (ids?.size === 0) this.byPoint.delete(alarm.pointId);
  }
}
