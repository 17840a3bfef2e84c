/**
 * When each point of one gateway is next due (epoch ms). Points start together at `startMs`, so
 * points whose intervals divide each other fall due in the same tick and share one message. A
 * point that fell behind by whole intervals (a blocked loop, a silent gateway) skips the missed
 * slots and keeps its phase instead of bursting to catch up.
 */
export class DueSchedule {
  private readonly next: Float64Array;
  private earliest: number;

  constructor(
    private readonly intervalsMs: readonly number[],
    startMs: number,
  ) {
    if (intervalsMs.some((i) => !(i > 0))) throw new RangeError('intervals must be positive');
    this.next = new Float64Array(intervalsMs.length).fill(startMs);
    this.earliest = intervalsMs.length > 0 ? startMs : Number.POSITIVE_INFINITY;
  }

  get size(): number {
    return this.next.length;
  }

  /** The earliest time a point is due. */
  nextDueAt(): number {
    return this.earliest;
  }

  /**
   * Writes the indices of the points due at `now` into `out` (from 0) and returns how many; each
   * advances to its next slot after `now`.
   */
  collect(now: number, out: Int32Array): number {
    let count = 0;
    let earliest = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.next.length; i++) {
      let at = this.next[i] as number;
      if (at <= now) {
        const interval = this.intervalsMs[i] as number;
        out[count++] = i;
        at += interval * (Math.floor((now - at) / interval) + 1);
        this.next[i] = at;
      }
      if (at < earliest) earliest = at;
    }
    this.earliest = earliest;
    return count;
  }
}
