/** A clock (epoch ms). Injected so that specs drive time; the apps use the system clock. */
export interface Clock {
  now(): number;
}

/**
 * A clock that can also wake us up: the one time port of the apps (alerting's timer heap, ingest's
 * Modbus pollers). Each app implements it on `Date.now`/`setTimeout`; specs use a fake one.
 */
export interface TimerDriver extends Clock {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}
