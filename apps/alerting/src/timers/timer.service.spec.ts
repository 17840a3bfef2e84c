import { Logger } from '@nestjs/common';
import { TimerService } from './timer.service';
import { FakeTimerDriver } from '@sw/testing';

const T0 = Date.UTC(2026, 10, 28, 2, 0, 0);

describe(TimerService.name, () => {
  let driver: FakeTimerDriver;
  let sut: TimerService;
  let fired: string[];

  beforeEach(() => {
    driver = new FakeTimerDriver(T0);
    sut = new TimerService(driver);
    fired = [];
  });

  it('fires deadlines of every lane in time order from one platform timer', () => {
    const rules = sut.lane<string>('rules', (key, at, now) => fired.push(`rules:${key}@${at - T0}/${now - T0}`));
    const alarms = sut.lane<string>('alarms', (key, at) => fired.push(`alarms:${key}@${at - T0}`));
    rules.set('p1', T0 + 3000);
    alarms.set('a1', T0 + 1000);
    rules.set('p2', T0 + 2000);
    expect(driver.scheduled).toBe(1);
    driver.advanceTo(T0 + 2500);
    expect(fired).toEqual(['alarms:a1@1000', 'rules:p2@2000/2000']);
    driver.advanceTo(T0 + 10_000);
    expect(fired.at(-1)).toBe('rules:p1@3000/3000');
    expect(sut.size).toBe(0);
  });

  it('does not touch the platform timer when a deadline moves later (the hot path)', () => {
    const lane = sut.lane<string>('rules', (key) => fired.push(key));
    lane.set('p1', T0 + 1000);
    const armed = driver.armed;
    for (let i = 2; i < 100; i++) lane.set('p1', T0 + i * 1000);
    expect(driver.armed).toBe(armed);
    driver.advanceTo(T0 + 1000); // the early wake-up finds nothing due and re-arms for the real deadline
    expect(fired).toEqual([]);
    driver.advanceTo(T0 + 99_000);
    expect(fired).toEqual(['p1']);
  });

  it('re-arms earlier when an earlier deadline appears, and a handler may set new deadlines', () => {
    const lane = sut.lane<string>('rules', (key, _at, now) => {
      fired.push(key);
      if (key === 'first') lane.set('second', now + 500);
    });
    lane.set('late', T0 + 60_000);
    lane.set('first', T0 + 1000);
    driver.advanceTo(T0 + 1600);
    expect(fired).toEqual(['first', 'second']);
    expect(sut.lastLateMs).toBe(0);
  });

  it('fires an overdue deadline at once (a restored timer) and reports how late it was', () => {
    driver.advanceTo(T0 + 5000);
    const lane = sut.lane<string>('rules', (key, at) => fired.push(`${key}@${at - T0}`));
    lane.set('restored', T0 + 1000);
    driver.advanceTo(T0 + 5000);
    expect(fired).toEqual(['restored@1000']);
    expect(sut.lastLateMs).toBe(4000);
  });

  it('keeps firing the others when one handler throws (and logs it), and stops for good on stop()', () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const lane = sut.lane<string>('rules', (key) => {
      if (key === 'bad') throw new Error('boom');
      fired.push(key);
    });
    lane.set('bad', T0 + 1);
    lane.set('good', T0 + 2);
    driver.advanceTo(T0 + 10);
    expect(fired).toEqual(['good']);
    expect(logged).toHaveBeenCalledWith(expect.stringContaining('rules timer failed: Error: boom'));
    lane.set('after-stop', T0 + 20);
    sut.stop();
    driver.advanceTo(T0 + 100);
    expect(fired).toEqual(['good']);
  });
});
