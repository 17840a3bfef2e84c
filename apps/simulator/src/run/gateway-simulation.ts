import type { PointType } from '@sw/sensors';
import { applyTarget, envelopeAt } from '../incidents/incident-shape';
import type { Incident } from '../incidents/incident.types';
import { castingStateAt, PointSignal, type CastingState } from '../signals/point-signal';
import { seedOf } from '../signals/random';
import { CASTING_CYCLE } from '../signals/signal-profiles.constants';
import { DueSchedule } from './due-schedule';

export interface SimPointSpec {
  code: string;
  type: PointType;
  unit: string;
  baseline: number;
  intervalMs: number;
}

export interface GatewaySimulationOptions {
  code: string;
  points: readonly SimPointSpec[];
  /** When the first readings are due (epoch ms); spread gateways over an interval to smooth load. */
  startMs: number;
  /** Readings per message (docs/contracts.md §1 allows up to 1,000). */
  perMessage: number;
}

const IDLE: CastingState = Object.freeze({ active: false, sinceMs: 0 });

/**
 * What one gateway publishes, without any IO: at each due time, the readings of the points due
 * (healthy signal, then the gateway's incidents) as docs/contracts.md §1 telemetry JSON, split into
 * messages of at most `perMessage` readings. Payloads are concatenated from per-point fragments
 * built once, so a tick allocates the payload strings and nothing per reading.
 */
export class GatewaySimulation {
  readonly code: string;
  readonly pointCount: number;
  private seq = 0;
  private readonly signals: PointSignal[];
  private readonly fragments: string[];
  private readonly schedule: DueSchedule;
  private readonly due: Int32Array;
  private readonly values: Float64Array;
  readonly perMessage: number;
  private readonly casting: boolean;
  private readonly castingPhaseMs: number;

  constructor(options: GatewaySimulationOptions) {
    const points = options.points;
    this.code = options.code;
    this.pointCount = points.length;
    this.perMessage = Math.max(1, Math.floor(options.perMessage));
    this.signals = points.map(
      (p) => new PointSignal({ type: p.type, unit: p.unit, baseline: p.baseline, seed: seedOf(`${options.code}/${p.code}`) }),
    );
    // JSON.stringify escapes the code once; the fragment opens a reading up to its value.
    this.fragments = points.map((p) => `{"point":${JSON.stringify(p.code)},"value":`);
    this.schedule = new DueSchedule(points.map((p) => p.intervalMs), options.startMs);
    this.due = new Int32Array(points.length);
    this.values = new Float64Array(points.length);
    this.casting = this.signals.some((s) => s.kind === 'casting' || s.kind === 'melt');
    this.castingPhaseMs = seedOf(options.code) % (CASTING_CYCLE.onMs + CASTING_CYCLE.offMs);
  }

  nextDueAt(): number {
    return this.schedule.nextDueAt();
  }

  /** The seq the next message will carry. */
  get nextSeq(): number {
    return this.seq + 1;
  }

  /**
   * Appends the messages due at `now` to `out` and returns how many readings they carry
   * (0 when nothing is due). `incidents` are the gateway's incidents in force.
   */
  collect(now: number, incidents: readonly Incident[], out: string[]): number {
    const count = this.schedule.collect(now, this.due);
    if (count === 0) return 0;
    const casting = this.casting ? castingStateAt(now, this.castingPhaseMs) : IDLE;
    for (let k = 0; k < count; k++) {
      const i = this.due[k] as number;
      this.values[i] = (this.signals[i] as PointSignal).sample(now, casting);
    }
    for (const incident of incidents) {
      const envelope = envelopeAt(incident, now);
      if (envelope <= 0) continue;
      for (const target of incident.targets) {
        this.values[target.index] = applyTarget(this.values[target.index] as number, target, envelope);
      }
    }
    for (let from = 0; from < count; from += this.perMessage) {
      out.push(this.message(now, from, Math.min(count, from + this.perMessage)));
    }
    return count;
  }

  private message(now: number, from: number, to: number): string {
    let s = `{"ts":${now},"seq":${++this.seq},"readings":[`;
    for (let k = from; k < to; k++) {
      const i = this.due[k] as number;
      const value = (this.signals[i] as PointSignal).finish(this.values[i] as number);
      s += (k === from ? '' : ',') + (this.fragments[i] as string) + value + '}';
    }
    return s + ']}';
  }
}
