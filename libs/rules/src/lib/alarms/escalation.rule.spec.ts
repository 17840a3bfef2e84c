import { T0, factory } from '../testing/rules-test.factory';
import { DEFAULT_ESCALATION_POLICY } from './escalation.constants';
import { escalationDue, isEscalating, nextEscalationAt, nextRepeatAt } from './escalation.rule';

const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

describe(nextEscalationAt.name, () => {
  const sut = nextEscalationAt;

  it('escalates red and orange after 15 min, yellow and blue never', () => {
    // docs/domain.md: red — after 15 min the city duty officer; orange — after 15 min principal + district; yellow/blue —
    expect(sut(factory.alarm({ tier: 'red' }))).toBe(T0 + 15 * MIN);
    expect(sut(factory.alarm({ tier: 'orange' }))).toBe(T0 + 15 * MIN);
    expect(sut(factory.alarm({ tier: 'yellow' }))).toBeNull();
    expect(sut(factory.alarm({ tier: 'blue' }))).toBeNull();
  });

  it('has nothing after the last step', () => {
    // docs/domain.md: red escalates once, to the city
    expect(sut(factory.alarm({ tier: 'red', escalationLevel: 1 }))).toBeNull();
  });

  it('counts from the restart of escalation (reactivation, tier rise)', () => {
    // docs/contracts.md §3: a rise restarts escalation
    expect(sut(factory.alarm({ tier: 'red', escalationStartedAt: iso(T0 + 5 * MIN) }))).toBe(T0 + 20 * MIN);
  });

  it('stops when acknowledged, shelved, suppressed, closed or cleared', () => {
    // docs/contracts.md §3: no escalation while shelved or suppressed; ack silences repeats until clear
    for (const over of [{ acknowledged: true }, { shelvedUntil: iso(T0) }, { suppressed: true }, { stage: 'closed' as const }, { condition: 'cleared' as const }]) {
      expect(sut(factory.alarm({ tier: 'red', ...over }))).toBeNull();
    }
    expect(sut(factory.alarm({ tier: 'red', condition: 'cleared' }), { ...DEFAULT_ESCALATION_POLICY, stopWhenCleared: false })).toBe(T0 + 15 * MIN);
  });
});

describe(escalationDue.name, () => {
  it('is due from the limit on', () => {
    // docs/domain.md: if not acknowledged after 15 min
    const alarm = factory.alarm({ tier: 'orange' });
    expect(escalationDue(alarm, T0 + 15 * MIN - 1)).toBe(false);
    expect(escalationDue(alarm, T0 + 15 * MIN)).toBe(true);
    expect(isEscalating(alarm)).toBe(true);
  });
});

describe(nextRepeatAt.name, () => {
  it('repeats red every 10 min while unacknowledged', () => {
    // docs/domain.md: red — every 10 min again
    const alarm = factory.alarm({ tier: 'red' });
    expect(nextRepeatAt(alarm, T0)).toBe(T0 + 10 * MIN);
    expect(nextRepeatAt(alarm, T0 + 10 * MIN)).toBe(T0 + 20 * MIN);
    expect(nextRepeatAt(alarm, T0 + 25 * MIN)).toBe(T0 + 30 * MIN);
    expect(nextRepeatAt(factory.alarm({ tier: 'orange' }), T0)).toBeNull();
    expect(nextRepeatAt(factory.alarm({ tier: 'red', acknowledged: true }), T0)).toBeNull();
  });
});
