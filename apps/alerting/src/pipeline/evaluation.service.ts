import { Injectable } from '@nestjs/common';
import type { EvaluationPoint } from '@sw/persistence';
import { TICK, initialState, nextTimerAt, restoreState, step, type ConditionChange, type RuleDefinition, type RuleInput, type RuleState } from '@sw/rules';
import { hopKey, hopTrace, type NormalizedReading, type PriorityReading } from '@sw/sensors';
import { AlarmCommitService } from '../alarms/alarm-commit.service';
import type { RuleRef } from '../alarms/alarm-context.factory';
import { ANY_POINT, ruleIdOf } from '../points/point-rules.factory';
import { MetricsService } from '../observability/metrics.service';
import { OWN_POSITION, type HeapIndexed } from '../timers/timer-heap';
import { TimerService, type TimerLane } from '../timers/timer.service';
import { batchedCopyOf, evaluatedEarly, evaluatedInBatch, takesEarly, type FastLaneSlot } from './fast-lane';
import { RuleStateWriterService } from './rule-state-writer.service';
import { mattersForRestart, startState } from './rule-state.factory';

/**
 * One point under evaluation: plain data, its rules (usually an array shared by every point with
 * the same settings: never modified) and their states side by side — the first three in the slot
 * itself (a point has about three rules; an array of its own would cost ~70 bytes a point at
 * 100,000 points), any further ones in `more`. Read and write them with stateAt / setStateAt.
 */
export interface PointSlot extends HeapIndexed, FastLaneSlot {
  point: EvaluationPoint;
  rules: readonly RuleDefinition[];
  s0: RuleState | undefined;
  s1: RuleState | undefined;
  s2: RuleState | undefined;
  more: RuleState[] | null;
}

/** The state of the slot's i-th rule. */
export function stateAt(slot: PointSlot, i: number): RuleState {
  return (i === 0 ? slot.s0 : i === 1 ? slot.s1 : i === 2 ? slot.s2 : slot.more?.[i - 3]) as RuleState;
}

export function setStateAt(slot: PointSlot, i: number, state: RuleState): void {
  if (i === 0) slot.s0 = state;
  else if (i === 1) slot.s1 = state;
  else if (i === 2) slot.s2 = state;
  else (slot.more ??= [])[i - 3] = state;
}

/** Replaces every state (one per rule, in rule order). */
function setStates(slot: PointSlot, states: readonly RuleState[]): void {
  slot.s0 = states[0];
  slot.s1 = states[1];
  slot.s2 = states[2];
  slot.more = states.length > 3 ? states.slice(3) : null;
}

// The points a rule reads besides its subject: combined operands and the gate.
function otherPointsReadBy(rule: RuleDefinition): string[] {
  const ids: string[] = [];
  if ('gate' in rule && rule.gate) ids.push(rule.gate.pointId);
  if (rule.kind === 'fault' && rule.stuckGate) ids.push(rule.stuckGate.pointId);
  if (rule.kind === 'combined') {
    for (const c of rule.conditions) ids.push(...('point' in c.value ? [c.value.point] : c.value.diff));
  }
  return ids.filter((id) => id !== rule.pointId);
}

/**
 * The rules engine's hot path: per point, the pure `step` of @sw/rules over each rule, states kept
 * in a Map of plain records. Time-driven behaviour (offline, on/off delays, sustained lifts) lives
 * on ONE heap lane keyed by point, holding each point's earliest `nextTimerAt`: a reading that moves
 * a deadline later leaves the heap alone (the early wake-up finds nothing due and re-arms), so a
 * reading costs no timer work. Every condition change goes to the commit service.
 */
@Injectable()
export class EvaluationService {
  private readonly slots = new Map<string, PointSlot>();
  private readers = new Map<string, PointSlot[]>();
  private adopter: ((pointIds: string[]) => Promise<void>) | null = null;
  private readonly lane: TimerLane<PointSlot>;
  /** Wall-clock ms from ingest's receipt of the newest reading of the last batch to its evaluation. */
  lastLagMs = 0;

  constructor(
    timers: TimerService,
    private readonly commits: AlarmCommitService,
    private readonly writer: RuleStateWriterService,
    private readonly metrics: MetricsService,
  ) {
    this.lane = timers.lane<PointSlot>('rules', (slot, _at, now) => this.onDue(slot, now), OWN_POSITION);
  }

  get size(): number {
    return this.slots.size;
  }

  slot(pointId: string): PointSlot | undefined {
    return this.slots.get(pointId);
  }

  all(): IterableIterator<PointSlot> {
    return this.slots.values();
  }

  /** Starts evaluating a point at `now`, from its persisted states when it has some (timers re-armed; overdue ones fire at once). */
  adopt(point: EvaluationPoint, rules: readonly RuleDefinition[], persisted: ReadonlyMap<string, RuleState> | undefined, now: number): PointSlot {
    const slot: PointSlot = { point, rules, s0: undefined, s1: undefined, s2: undefined, more: null, heapIndex: -1, lastTs: NaN, lastReceivedAt: NaN, early: null };
    setStates(slot, rules.map((r) => startState(r, persisted?.get(ruleIdOf(r, point.id)), now)));
    this.slots.set(point.id, slot);
    this.rearm(slot);
    return slot;
  }

  /** The point or its rules changed: unchanged rules keep their state, edited ones are adapted, removed ones end. */
  update(point: EvaluationPoint, rules: readonly RuleDefinition[], now: number): void {
    const slot = this.slots.get(point.id);
    if (!slot) return void this.adopt(point, rules, undefined, now);
    slot.point = point;
    const id = (r: RuleDefinition): string => ruleIdOf(r, point.id);
    const old = new Map(slot.rules.map((rule, i) => [id(rule), { rule, state: stateAt(slot, i) }]));
    const states = rules.map((rule) => this.carry(point, rule, old.get(id(rule)), now));
    for (const [ruleId, o] of old) if (!rules.some((r) => id(r) === ruleId)) this.endRule(point, o.rule, o.state, now);
    slot.rules = rules;
    setStates(slot, states);
    this.rearm(slot);
  }

  /** Stops evaluating a point. `forget` (the point is gone): its conditions end and its states are deleted. */
  drop(pointId: string, now: number, forget: boolean): void {
    const slot = this.slots.get(pointId);
    if (!slot) return;
    if (forget) slot.rules.forEach((rule, i) => this.endRule(slot.point, rule, stateAt(slot, i), now));
    this.slots.delete(pointId);
    this.lane.delete(slot);
  }

  /**
   * Who adopts a point that a reading names but no slot holds (registered a moment ago, its NOTIFY
   * not applied yet): such readings wait for it and are judged then, before their batch is acknowledged.
   */
  onUnknown(adopter: (pointIds: string[]) => Promise<void>): void {
    this.adopter = adopter;
  }

  /** Rebuilds the index of rules that read other points' readings (after points or rules changed). */
  reindex(): void {
    const readers = new Map<string, PointSlot[]>();
    for (const slot of this.slots.values()) {
      for (const id of new Set(slot.rules.flatMap(otherPointsReadBy))) readers.set(id, [...(readers.get(id) ?? []), slot]);
    }
    this.readers = readers;
  }

  /**
   * Evaluates a batch of readings at `now` (the evaluation clock: time of receipt here). Answers a
   * promise that settles once every transition they caused is committed, or null when they caused
   * none (the usual case), so the caller can acknowledge the batch only then.
   */
  onReadings(batch: readonly NormalizedReading[], now: number): Promise<void> | null {
    const readings = this.contextFirst(batch);
    const waits: Promise<void>[] = [];
    let unknown = 0;
    let newest = 0;
    let late: NormalizedReading[] | null = null;
    for (const r of readings) {
      const slot = this.slots.get(r.pointId);
      // shared default rules take the subject's own readings without a pointId (= their subject)
      if (slot) {
        // the alarm fast lane evaluated it already: wait for what it caused, do not evaluate it twice
        const copy = slot.early === null ? undefined : batchedCopyOf(slot, r.ts, r.receivedAt);
        if (copy) {
          if (copy.done) waits.push(copy.done);
        } else {
          this.evaluate(slot, r, { ts: r.ts, value: r.value, quality: r.quality }, now, r.receivedAt, waits);
          evaluatedInBatch(slot, r.ts, r.receivedAt);
        }
      } else if (this.adopter) (late ??= []).push(r);
      else unknown++;
      const readers = this.readers.get(r.pointId);
      if (readers) for (const reader of readers) this.evaluate(reader, r, r, now, r.receivedAt, waits);
      if (r.receivedAt > newest) newest = r.receivedAt;
    }
    if (late) waits.push(this.judgeLate(late, now));
    this.metrics.readingsEvaluated.inc(readings.length - unknown - (late?.length ?? 0));
    if (unknown > 0) this.metrics.readingsIgnored.inc({ reason: 'unknown_point' }, unknown);
    if (newest > 0) this.lastLagMs = Math.max(0, Date.now() - newest); // ingest's receipt is wall clock
    return waits.length > 0 ? Promise.all(waits).then(() => undefined) : null;
  }

  /**
   * A reading from the alarm fast lane (docs/architecture.md), ahead of its batch: evaluated now when
   * it is next in the point's order and no other point's rules read it (their order is the batches');
   * its batched copy then only waits for what it caused. Answers whether it was taken.
   */
  onPriority(r: PriorityReading, now: number): boolean {
    const slot = this.slots.get(r.pointId);
    if (!slot || !takesEarly(slot, r) || this.readers.has(r.pointId) || slot.rules.some((rule) => otherPointsReadBy(rule).length > 0)) return false;
    const waits: Promise<void>[] = [];
    this.evaluate(slot, r, { ts: r.ts, value: r.value, quality: r.quality }, now, r.receivedAt, waits);
    evaluatedEarly(slot, r, waits.length === 0 ? null : waits.length === 1 ? (waits[0] as Promise<void>) : Promise.all(waits).then(() => undefined));
    return true;
  }

  /**
   * A gateway samples a context point and the points it gates together (a cast ends: casting_active
   * 0 and the cooling water 0 in one message): of readings with the same ts, the context's go first,
   * so the gate is off before the drop is judged. Batches without a context reading stay as they are.
   */
  private contextFirst(readings: readonly NormalizedReading[]): readonly NormalizedReading[] {
    let any = false;
    for (const r of readings) if (this.isContext(r.pointId)) any = true;
    if (!any) return readings;
    const context = readings.map((r) => this.isContext(r.pointId));
    return readings
      .map((_r, i) => i)
      .sort((a, b) => (readings[a] as NormalizedReading).ts - (readings[b] as NormalizedReading).ts || Number(context[b]) - Number(context[a]) || a - b)
      .map((i) => readings[i] as NormalizedReading);
  }

  private isContext(pointId: string): boolean {
    const type = this.slots.get(pointId)?.point.type;
    return type === 'casting_active' || type === 'equipment_running';
  }

  // Readings of points no slot held: adopted from PostgreSQL first, then judged as if just received.
  private async judgeLate(readings: NormalizedReading[], now: number): Promise<void> {
    await (this.adopter as (ids: string[]) => Promise<void>)([...new Set(readings.map((r) => r.pointId))]);
    const waits: Promise<void>[] = [];
    let unknown = 0;
    for (const r of readings) {
      const slot = this.slots.get(r.pointId);
      if (slot) {
        this.evaluate(slot, r, { ts: r.ts, value: r.value, quality: r.quality }, now, r.receivedAt, waits);
        evaluatedInBatch(slot, r.ts, r.receivedAt);
      } else unknown++; // not in the registry: deleted meanwhile, or never registered
    }
    this.metrics.readingsEvaluated.inc(readings.length - unknown);
    if (unknown > 0) this.metrics.readingsIgnored.inc({ reason: 'unknown_point' }, unknown);
    await Promise.all(waits);
  }

  // `own` feeds the shared default rules, `reading` (with its pointId) the point's own stored rules.
  private evaluate(slot: PointSlot, reading: RuleInput, own: RuleInput, now: number, receivedAt: number | null, waits: Promise<void>[]): void {
    let next = Infinity;
    for (let i = 0; i < slot.rules.length; i++) {
      const input = (slot.rules[i] as RuleDefinition).pointId === ANY_POINT ? own : reading;
      const due = this.apply(slot, i, input, now, receivedAt, waits);
      if (due !== null && due < next) next = due;
    }
    // Only an earlier deadline touches the heap; a later one is found when the early one fires.
    const armed = this.lane.get(slot);
    if (next !== Infinity && (armed === undefined || next < armed)) this.lane.set(slot, next);
  }

  // One rule, one input: the new state kept (and marked for writing when a restart needs it), changes committed.
  private apply(slot: PointSlot, i: number, input: RuleInput, now: number, receivedAt: number | null, waits: Promise<void>[]): number | null {
    const rule = slot.rules[i] as RuleDefinition;
    const prev = stateAt(slot, i);
    const result = step(rule, prev, input, now);
    if (result.state !== prev) {
      setStateAt(slot, i, result.state);
      if (mattersForRestart(rule, prev, result)) this.writer.mark(slot.point.id, ruleIdOf(rule, slot.point.id), result.state);
    }
    if (hopTrace.on && result.changes.length > 0 && receivedAt !== null && hopTrace.traces(slot.point.id)) hopTrace.mark('alerting.evaluate', hopKey(slot.point.id, receivedAt));
    // caused by a reading (receivedAt set): a fenced transition rejects, so its batch stays unacknowledged
    for (const change of result.changes) waits.push(this.commits.conditionChange(slot.point, refOf(rule, slot.point.id), change, receivedAt, receivedAt !== null, result.state));
    return result.nextTimerAt ?? null;
  }

  // A point's deadline came: tick the rules that are due (each overdue transition dated at its own time).
  private onDue(slot: PointSlot, now: number): void {
    if (this.slots.get(slot.point.id) !== slot) return;
    const waits: Promise<void>[] = [];
    let next = Infinity;
    for (let i = 0; i < slot.rules.length; i++) {
      let due = nextTimerAt(slot.rules[i] as RuleDefinition, stateAt(slot, i));
      if (due !== null && due <= now) due = this.apply(slot, i, TICK, now, null, waits);
      if (due !== null && due < next) next = due;
    }
    if (next !== Infinity) this.lane.set(slot, next);
  }

  private rearm(slot: PointSlot): void {
    let next = Infinity;
    slot.rules.forEach((rule, i) => (next = Math.min(next, nextTimerAt(rule, stateAt(slot, i)) ?? Infinity)));
    if (next === Infinity) this.lane.delete(slot);
    else this.lane.set(slot, next);
  }

  // An unchanged rule keeps its state; an edited one is adapted (delay clocks, lifts, gate; a new kind starts afresh).
  private carry(point: EvaluationPoint, rule: RuleDefinition, old: { rule: RuleDefinition; state: RuleState } | undefined, now: number): RuleState {
    if (!old) return initialState(rule, now);
    if (old.rule === rule || JSON.stringify(old.rule) === JSON.stringify(rule)) return old.state;
    const st = restoreState(rule, old.state, now);
    this.writer.mark(point.id, ruleIdOf(rule, point.id), st);
    if (st.tier !== old.state.tier) void this.commits.conditionChange(point, refOf(rule, point.id), changeBetween(old.state.tier, st, now), null, false, st);
    return st;
  }

  // A rule that no longer applies: its condition ends (no alarm stays active for ever) and its row goes.
  private endRule(point: EvaluationPoint, rule: RuleDefinition, state: RuleState, now: number): void {
    this.writer.remove(point.id, ruleIdOf(rule, point.id));
    if (state.tier !== null) void this.commits.conditionChange(point, refOf(rule, point.id), { kind: 'end', tier: state.tier, value: state.value, at: now }, null);
  }
}

function refOf(rule: RuleDefinition, pointId: string): RuleRef {
  return { id: ruleIdOf(rule, pointId), kind: rule.kind };
}

function changeBetween(from: RuleState['tier'], st: RuleState, at: number): ConditionChange {
  if (st.tier === null) return { kind: 'end', tier: from as NonNullable<RuleState['tier']>, value: st.value, at };
  return { kind: from === null ? 'start' : 'tier', tier: st.tier, value: st.value, at };
}
