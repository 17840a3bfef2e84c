import { scrape, sumMetric } from '../support/metrics';

/** The platform's own error and drop counters, per app (each app's /metrics). */
export const COUNTERS: Record<'ingest' | 'alerting' | 'api', string[]> = {
  ingest: [
    'ingest_readings_dropped_total',
    'ingest_readings_spooled_total',
    'ingest_readings_held_total',
    'ingest_influx_write_failures_total',
    'ingest_readings_refused_by_influx_total',
    'ingest_readings_rejected_total',
    'ingest_messages_duplicate_total',
    'ingest_auth_failures_total',
    // readings sent to alerting's partitions, against what alerting took in (evaluated or ignored)
    'ingest_readings_published_total',
  ],
  alerting: [
    'alerting_readings_ignored_total',
    'alerting_reading_batches_rejected_total',
    'alerting_event_publish_failures_total',
    'alerting_transition_retries_total',
    'alerting_transitions_fenced_total',
    'alerting_transitions_grouped_total',
    'alerting_readings_evaluated_total',
  ],
  api: ['api_live_sockets_dropped_total', 'api_live_gap_fills_total'],
};

interface Target {
  app: keyof typeof COUNTERS;
  url: string;
}

/**
 * Increases of the counters over a fault window, across restarts: every app is scraped once a
 * second and a counter that went down (the app restarted) counts from zero again, as Prometheus'
 * `increase()` does. What a killed app counted after its last scrape is not seen (≤ 1 s).
 */
export class CounterSampler {
  private readonly last = new Map<string, number>();
  private totals: Record<string, number> = {};
  private timer: NodeJS.Timeout | null = null;
  private busy = false;

  constructor(private readonly targets: Target[]) {}

  start(): void {
    this.timer = setInterval(() => void this.sample(), 1000);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Counting starts anew (a new fault window). */
  async reset(): Promise<void> {
    await this.sample();
    this.totals = {};
  }

  /** The increases since the last reset (after one more scrape). */
  async read(): Promise<Record<string, number>> {
    await this.sample();
    return Object.fromEntries(Object.values(COUNTERS).flat().map((n) => [n, this.totals[n] ?? 0]));
  }

  async sample(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      await Promise.all(
        this.targets.map(async (t, i) => {
          const text = await scrape(`${t.url}/metrics`).catch(() => null);
          if (text === null) return; // down: the next scrape after its restart counts from zero
          for (const name of COUNTERS[t.app]) {
            const v = sumMetric(text, name);
            const key = `${i}|${name}`;
            const before = this.last.get(key);
            this.last.set(key, v);
            const inc = before === undefined ? 0 : v >= before ? v - before : v;
            this.totals[name] = (this.totals[name] ?? 0) + inc;
          }
        }),
      );
    } finally {
      this.busy = false;
    }
  }
}
