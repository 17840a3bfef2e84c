/** Reading quality (docs/contracts.md §1); `good` when the gateway sends none. */
export type Quality = 'good' | 'uncertain' | 'bad';

/** One accepted reading of a telemetry message. */
export interface DecodedReading {
  point: string;
  /** In the point's registered unit; `true`/`false` arrive as 1/0. */
  value: number;
  /** Epoch milliseconds: the reading's `ts`, else the message's, else the time of receipt. */
  ts: number;
  quality: Quality;
  /** The value came as `true`/`false`. */
  boolean: boolean;
}

/** Why a reading (with `point` when known) or a whole message (no `point`) was rejected. */
export interface ReadingRejection {
  point?: string;
  reason: string;
}

/** The outcome of decoding one telemetry message (docs/contracts.md §1). */
export interface DecodedTelemetry {
  /** The message's `seq`; null when absent or invalid. */
  seq: number | null;
  /** The message-level `ts` in epoch ms; null when absent (or when the message was rejected for it). */
  ts: number | null;
  readings: DecodedReading[];
  /** One entry per rejected reading, or a single entry without `point` for a rejected message. */
  errors: ReadingRejection[];
}
