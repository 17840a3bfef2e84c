import { factory } from '../testing/alerting-test.factory';
import { OutboxNotifier } from './outbox-notifier';

// issue 19 item 5: the port was handed targets it ignored; whom an event notifies is decided with the
// region's policy when its outbox rows are written, so the notifier only decides whether to wake the worker
describe(OutboxNotifier.name, () => {
  const setup = () => {
    const worker = { poke: jest.fn<void, []>() };
    return { worker, sut: new OutboxNotifier(worker) };
  };

  it.each(['raised', 'reactivated', 'tier_changed', 'escalated'] as const)('wakes the delivery worker for %s', (name) => {
    const { worker, sut } = setup();
    sut.notify({ event: factory.committedEvent({ event: name }) });
    expect(worker.poke).toHaveBeenCalledTimes(1);
  });

  it.each(['acknowledged', 'cleared', 'closed', 'notified'] as const)('leaves it asleep for %s (no outbox rows are written for it)', (name) => {
    const { worker, sut } = setup();
    sut.notify({ event: factory.committedEvent({ event: name }) });
    expect(worker.poke).not.toHaveBeenCalled();
  });

  it('leaves it asleep while the alarm is shelved or suppressed (docs/contracts.md §3)', () => {
    const { worker, sut } = setup();
    sut.notify({ event: factory.committedEvent({ alarm: factory.alarm({ suppressed: true }) }) });
    sut.notify({ event: factory.committedEvent({ alarm: factory.alarm({ shelvedUntil: '2026-11-28T03:00:00.000Z' }) }) });
    expect(worker.poke).not.toHaveBeenCalled();
  });
});
