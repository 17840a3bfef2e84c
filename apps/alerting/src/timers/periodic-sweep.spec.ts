import { PeriodicSweep } from './periodic-sweep';
import { TimerService } from './timer.service';
import { FakeTimerDriver } from '@sw/testing';

const T0 = Date.UTC(2026, 11, 4, 2, 0, 0);
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe(PeriodicSweep.name, () => {
  const factory = {
    sut: (job: () => Promise<void>) => {
      const driver = new FakeTimerDriver(T0);
      const sut = new PeriodicSweep(new TimerService(driver), 'test-sweep', 60_000, job);
      return { driver, sut };
    },
  };

  it('runs at start, then the interval after each run ended', async () => {
    const at: number[] = [];
    const { driver, sut } = factory.sut(async () => void at.push(driver.now() - T0));
    sut.start();
    driver.advanceTo(T0);
    await settle();
    driver.advanceTo(T0 + 59_999);
    await settle();
    expect(at).toEqual([0]);
    driver.advanceTo(T0 + 60_000);
    await settle();
    driver.advanceTo(T0 + 120_000);
    await settle();
    expect(at).toEqual([0, 60_000, 120_000]);
    expect(sut.runs).toBe(3);
    await sut.stop();
  });

  it('never starts a run while one is going, and counts a failed run and keeps its schedule', async () => {
    let release: () => void = () => undefined;
    let calls = 0;
    const { driver, sut } = factory.sut(() => {
      calls++;
      if (calls === 1) return new Promise<void>((resolve) => (release = resolve));
      return Promise.reject(new Error('database gone'));
    });
    sut.start();
    driver.advanceTo(T0);
    driver.advanceTo(T0 + 300_000); // the first run still going: nothing else starts
    await settle();
    expect(calls).toBe(1);
    release();
    await settle();
    driver.advanceTo(T0 + 360_000);
    await settle();
    expect(calls).toBe(2);
    expect(sut.runs).toBe(2);
    driver.advanceTo(T0 + 420_000);
    await settle();
    expect(calls).toBe(3);
    await sut.stop();
  });

  it('stops: no run after stop, and stop waits for the run in progress', async () => {
    let done = false;
    const { driver, sut } = factory.sut(async () => {
      await settle();
      done = true;
    });
    sut.start();
    driver.advanceTo(T0);
    await sut.stop();
    expect(done).toBe(true);
    driver.advanceTo(T0 + 600_000);
    await settle();
    expect(sut.runs).toBe(1);
  });
});
