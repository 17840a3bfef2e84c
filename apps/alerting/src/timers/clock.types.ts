/** The evaluation clock (epoch ms). Injected so tests can drive time; the app uses the system clock. */
export interface Clock {
  now(): number;
}

/** A clock that can also wake us up: what the timer service needs from the platform. */
export interface TimerDriver extends Clock {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const TIMER_DRIVER = Symbol('TIMER_DRIVER');

export const systemTimerDriver: TimerDriver = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
