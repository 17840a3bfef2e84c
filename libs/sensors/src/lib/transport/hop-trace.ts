/**
 * The per-hop trace of the alarm path (docs/architecture.md, "Alarm fast lane"): the benchmarks
 * name a few points, and each app marks when a reading of one of them passes a hop. Off unless a
 * benchmark enables it: callers test `hopTrace.on` first, so a production process pays one
 * property read per hop. Pure: the clock is passed in, the marks are taken by the app that writes them.
 */
export interface HopMark {
  /** e.g. `ingest.accept`, `alerting.commit`, `api.socket` */
  hop: string;
  /** `{pointId}@{receivedAt}` for a reading (ingest's time of receipt, carried to alerting), '' for an event known by seq only */
  key: string;
  /** wall clock, ms with a fraction */
  t: number;
  /** the first event's seq, once there is one */
  seq?: number;
}

const MAX_MARKS = 200_000;

export class HopTrace {
  on = false;
  private points: ReadonlySet<string> = new Set();
  private clock: () => number = () => 0;
  private marks: HopMark[] = [];

  enable(points: Iterable<string>, clock: () => number): void {
    this.points = new Set(points);
    this.clock = clock;
    this.on = this.points.size > 0;
  }

  traces(pointId: string | null | undefined): boolean {
    return this.on && pointId != null && this.points.has(pointId);
  }

  mark(hop: string, key: string, seq?: number, t = this.clock()): void {
    if (this.marks.length < MAX_MARKS) this.marks.push(seq === undefined ? { hop, key, t } : { hop, key, t, seq });
  }

  /** The marks since the last take. */
  take(): HopMark[] {
    const marks = this.marks;
    this.marks = [];
    return marks;
  }
}

/** The one trace of a process. */
export const hopTrace = new HopTrace();

export const hopKey = (pointId: string, receivedAt: number): string => `${pointId}@${receivedAt}`;

/** HOP_TRACE_FILE / HOP_TRACE_POINTS (comma-separated point ids), as a benchmark sets them. */
export function hopTraceSettings(env: Record<string, string | undefined>): { file: string; points: string[] } | null {
  const file = env['HOP_TRACE_FILE'];
  const points = (env['HOP_TRACE_POINTS'] ?? '').split(',').filter(Boolean);
  return file && points.length > 0 ? { file, points } : null;
}
