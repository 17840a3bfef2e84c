export interface RateWindow {
  seconds: number;
  messagesPerS: number;
  readingsPerS: number;
}

/**
 * Counters of one run and the rates between two looks. Messages count when the broker took them
 * (PUBACK for QoS 1, written to the socket for QoS 0), not when they were handed to the client.
 */
export class RunStats {
  published = 0;
  readings = 0;
  /** Messages not sent because the gateway was disconnected or its in-flight window was full. */
  skipped = 0;
  /** Messages a gateway_silent incident withheld. */
  withheld = 0;
  /** Publishes that failed after being handed to the client (connection lost before the ack). */
  failed = 0;
  /** Rejections the platform sent back on `v1/gateways/{code}/errors`. */
  rejections = 0;
  private last: { at: number; published: number; readings: number };

  constructor(now: number) {
    this.last = { at: now, published: 0, readings: 0 };
  }

  /** Rates since the previous call (or the start), for the periodic summary. */
  window(now: number): RateWindow {
    const seconds = Math.max(0.001, (now - this.last.at) / 1000);
    const out = {
      seconds,
      messagesPerS: round((this.published - this.last.published) / seconds),
      readingsPerS: round((this.readings - this.last.readings) / seconds),
    };
    this.last = { at: now, published: this.published, readings: this.readings };
    return out;
  }
}

export function round(n: number, decimals = 1): number {
  const f = 10 ** decimals;
  return Math.round(n * f) / f;
}
