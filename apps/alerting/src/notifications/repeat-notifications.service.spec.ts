import { DEFAULT_ESCALATION_POLICY, type AlarmSnapshot } from '@sw/rules';
import type { DataSource, EntityManager } from 'typeorm';
import { AlarmTrackerService } from '../alarms/alarm-tracker.service';
import { T0, factory } from '../testing/alerting-test.factory';
import { TimerService } from '../timers/timer.service';
import type { DeliveryWorkerService } from './delivery-worker.service';
import type { OutboxWriterService } from './outbox-writer.service';
import { RepeatNotificationsService } from './repeat-notifications.service';
import { FakeTimerDriver } from '@sw/testing';

const MIN = 60_000;

describe(RepeatNotificationsService.name, () => {
  let driver: FakeTimerDriver;
  let timers: TimerService;
  let tracker: AlarmTrackerService;
  let repeats: { alarmId: string; at: number }[];

  beforeEach(() => {
    driver = new FakeTimerDriver(T0);
    timers = new TimerService(driver);
    tracker = new AlarmTrackerService();
    repeats = [];
    // PostgreSQL answers the alarm as the tracker last saw it (what was committed)
    const em = { query: (_sql: string, [id]: [string]) => Promise.resolve(tracker.get(id) ? [{ region_code: '320506', snapshot: tracker.get(id) }] : []) };
    const ds = { transaction: (fn: (em: EntityManager) => Promise<void>) => fn(em as unknown as EntityManager) } as unknown as DataSource;
    const writer = {
      enqueueRepeat: (_em: EntityManager, e: { alarm: AlarmSnapshot }, at: number) => {
        repeats.push({ alarmId: e.alarm.id, at });
        return Promise.resolve();
      },
    } as unknown as OutboxWriterService;
    const worker = { poke: () => undefined } as unknown as DeliveryWorkerService;
    new RepeatNotificationsService(timers, tracker, ds, writer, worker, DEFAULT_ESCALATION_POLICY);
  });

  const red = (id: string, over: Partial<AlarmSnapshot> = {}) => factory.alarm({ id, ruleId: `${id}:threshold`, tier: 'red', peakTier: 'red', ...over });

  it('notifies a red alarm again every 10 min while unacknowledged, and stops on ack', async () => {
    // docs/domain.md: red — every 10 min again, until acknowledged
    const alarm = red('a1');
    tracker.apply(alarm, 'own');
    await driver.advanceToAsync(T0 + 25 * MIN);
    expect(repeats).toEqual([
      { alarmId: 'a1', at: T0 + 10 * MIN },
      { alarmId: 'a1', at: T0 + 20 * MIN },
    ]);
    tracker.apply({ ...alarm, seq: alarm.seq + 1, acknowledged: true }, 'followed');
    await driver.advanceToAsync(T0 + 60 * MIN);
    expect(repeats).toHaveLength(2);
  });

  it('keeps nothing for alarms that stopped escalating: acknowledged, closed, cleared or deleted', async () => {
    // issue 19: per-alarm state is bounded by the alarms that escalate now
    const ids = ['a1', 'a2', 'a3', 'a4', 'a5'];
    for (const id of ids) tracker.apply(red(id), 'own');
    expect(timers.sizeOf('repeats')).toBe(5);
    const [a1, a2, a3, a4] = ids.map((id) => tracker.get(id) as AlarmSnapshot);
    tracker.apply({ ...(a1 as AlarmSnapshot), seq: 8, acknowledged: true }, 'followed');
    tracker.apply({ ...(a2 as AlarmSnapshot), seq: 8, stage: 'closed', condition: 'cleared' }, 'followed');
    tracker.apply({ ...(a3 as AlarmSnapshot), seq: 8, condition: 'cleared', clearedAt: new Date(T0 + MIN).toISOString() }, 'own');
    tracker.drop((a4 as AlarmSnapshot).id); // deleted with its enterprise: no snapshot says so
    expect(timers.sizeOf('repeats')).toBe(2);
    await driver.advanceToAsync(T0 + 10 * MIN);
    expect(repeats).toEqual([{ alarmId: 'a5', at: T0 + 10 * MIN }]);
    expect(timers.sizeOf('repeats')).toBe(1); // a5's next round; a4's entry went when it came due
  });
});
