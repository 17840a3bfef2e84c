import type { DataSource } from 'typeorm';

/** `ok`, `degraded` (working, but a dependency is down or we are behind) or `error` (503). */
export type HealthStatus = 'ok' | 'degraded' | 'error';

/** One dependency in the details of `/health`. */
export interface DependencyCheck {
  status: 'up' | 'down';
  detail?: string;
}

/** An app's health: the status everyone sees, and the details only internal callers get (built only for them). */
export interface HealthReport {
  status: HealthStatus;
  details(): Record<string, unknown> | Promise<Record<string, unknown>>;
}

/** What each app tells the shell's `/health` and `/metrics` (docs/contracts.md §4). */
export interface ObservabilityProbe {
  health(): Promise<HealthReport>;
  /** Prometheus text exposition of the app's registry (gauges read at scrape time refreshed first). */
  metrics(): Promise<string>;
}

export const OBSERVABILITY_PROBE = Symbol('OBSERVABILITY_PROBE');
/** `METRICS_TOKEN` of the app's config (unset: this host only). */
export const INTERNAL_ACCESS_TOKEN = Symbol('INTERNAL_ACCESS_TOKEN');

/** PostgreSQL answers `SELECT 1`; its error text as the detail when not. */
export async function checkPostgres(ds: Pick<DataSource, 'query'>): Promise<DependencyCheck> {
  try {
    await ds.query('SELECT 1');
    return { status: 'up' };
  } catch (err) {
    return { status: 'down', detail: (err as Error).message };
  }
}

/** The app's MQTT session with the broker. */
export function brokerCheck(connected: boolean): DependencyCheck {
  return connected ? { status: 'up' } : { status: 'down', detail: 'no session with the broker' };
}
