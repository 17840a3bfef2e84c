import { TestScheduler } from 'rxjs/testing';
import { DEFAULT_ESCALATION_POLICY } from '../alarms/escalation.constants';
import { factory, timeline } from '../testing/rules-test.factory';
import { watchEscalation } from './watch-escalation.operator';

const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const red = DEFAULT_ESCALATION_POLICY.tiers.red;
const orange = DEFAULT_ESCALATION_POLICY.tiers.orange;

describe(watchEscalation.name, () => {
  let scheduler: TestScheduler;

  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('repeats red every 10 min and escalates to the city after 15 min', () => {
    // docs/domain.md: red — every 10 min again; after 15 min escalate to the city duty officer
    const alarm = factory.alarm({ tier: 'red', escalationStartedAt: iso(0) });
    const everyone = [...red.notify, ...(red.steps[0]?.notify ?? [])];
    scheduler.run(({ cold, expectObservable }) => {
      const snapshots = cold(timeline([[0, 'a'], [25 * MIN, 'k']]), { a: alarm, k: { ...alarm, acknowledged: true } });
      expectObservable(snapshots.pipe(watchEscalation(DEFAULT_ESCALATION_POLICY, scheduler))).toBe(
        timeline([[10 * MIN, 'r'], [15 * MIN, 'e'], [20 * MIN, 's']]),
        {
          r: { action: 'repeat', alarmId: alarm.id, at: 10 * MIN, round: 1, notify: red.notify },
          e: { action: 'escalate', alarmId: alarm.id, at: 15 * MIN, level: 1, notify: red.steps[0]?.notify },
          s: { action: 'repeat', alarmId: alarm.id, at: 20 * MIN, round: 2, notify: everyone },
        },
      );
    });
  });

  it('escalates orange once after 15 min unless acknowledged', () => {
    // docs/domain.md: orange — after 15 min principal and district duty officer; escalation stops on ack
    const alarm = factory.alarm({ tier: 'orange', escalationStartedAt: iso(0) });
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(cold('a', { a: alarm }).pipe(watchEscalation(DEFAULT_ESCALATION_POLICY, scheduler))).toBe(timeline([[15 * MIN, 'e']]), {
        e: { action: 'escalate', alarmId: alarm.id, at: 15 * MIN, level: 1, notify: orange.steps[0]?.notify },
      });
      const acked = cold(timeline([[0, 'a'], [14 * MIN, 'k']]), { a: alarm, k: { ...alarm, acknowledged: true } });
      expectObservable(acked.pipe(watchEscalation(DEFAULT_ESCALATION_POLICY, scheduler))).toBe('');
    });
  });

  it('holds escalation while shelved and catches up at once when unshelved late', () => {
    // docs/contracts.md §3: no notifications or escalation while shelved
    const alarm = factory.alarm({ tier: 'orange', escalationStartedAt: iso(0) });
    scheduler.run(({ cold, expectObservable }) => {
      const snapshots = cold(timeline([[0, 's'], [30 * MIN, 'u']]), { s: { ...alarm, shelvedUntil: iso(30 * MIN) }, u: alarm });
      expectObservable(snapshots.pipe(watchEscalation(DEFAULT_ESCALATION_POLICY, scheduler))).toBe(timeline([[30 * MIN, 'e']]), {
        e: { action: 'escalate', alarmId: alarm.id, at: 15 * MIN, level: 1, notify: orange.steps[0]?.notify },
      });
    });
  });
});
