import { factory } from '../testing/alarm.factory';
import { AlarmBoardStore, needsAlert } from './alarm-board.store';

describe(AlarmBoardStore.name, () => {
  it('keeps the snapshot with the highest seq, whatever the order of REST page and feed', () => {
    const sut = new AlarmBoardStore();
    const raised = factory.alarm({ seq: 10 });
    const acked = { ...raised, seq: 12, acknowledged: true };
    expect(sut.apply(factory.frame('acknowledged', acked))).toBe(true);
    expect(sut.merge([raised])).toBe(false); // an older REST snapshot does not undo the ack
    expect(sut.get(raised.id)?.acknowledged).toBe(true);
  });

  it('lists newest first and tells its listeners once per change', () => {
    const sut = new AlarmBoardStore();
    const listener = jest.fn();
    sut.subscribe(listener);
    const older = factory.alarm({ raisedAt: '2026-11-28T10:00:00.000Z' });
    const newer = factory.alarm({ raisedAt: '2026-11-28T10:05:00.000Z' });
    sut.merge([older, newer]);
    expect(sut.list().map((a) => a.id)).toEqual([newer.id, older.id]);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(sut.list()).toBe(sut.list()); // cached until the next change
  });
});

describe(needsAlert.name, () => {
  // issue 7: a sound and flash for red
  it('alerts on a red alarm that is raised or rises to red, unacknowledged', () => {
    expect(needsAlert(factory.frame('raised', factory.alarm({ tier: 'red' })))).toBe(true);
    expect(needsAlert(factory.frame('tier_changed', factory.alarm({ tier: 'red' })))).toBe(true);
  });

  it('stays quiet for other tiers, acknowledged, shelved or suppressed alarms and non-raising events', () => {
    expect(needsAlert(factory.frame('raised', factory.alarm({ tier: 'orange' })))).toBe(false);
    expect(needsAlert(factory.frame('raised', factory.alarm({ tier: 'red', acknowledged: true })))).toBe(false);
    expect(needsAlert(factory.frame('raised', factory.alarm({ tier: 'red', shelvedUntil: '2026-11-28T12:00:00.000Z' })))).toBe(false);
    expect(needsAlert(factory.frame('raised', factory.alarm({ tier: 'red', suppressed: true })))).toBe(false);
    expect(needsAlert(factory.frame('commented', factory.alarm({ tier: 'red' })))).toBe(false);
  });
});
