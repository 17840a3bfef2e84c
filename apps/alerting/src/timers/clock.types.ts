import type { TimerDriver } from '@sw/sensors';

export type { Clock, TimerDriver } from '@sw/sensors';

export const TIMER_DRIVER = Symbol('TIMER_DRIVER');

export const systemTimerDriver: TimerDriver = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
