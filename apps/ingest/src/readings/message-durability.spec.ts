import { messageDurable } from './message-durability';

describe('messageDurable', () => {
  it('asks the stores only after the handling and the publisher turn, then waits for all of them', async () => {
    // docs/architecture.md nothing lost: a PUBACK waits for the stores to hold this message's readings
    const order: string[] = [];
    let handled!: () => void;
    const waiting = new Promise<void>((resolve) => (handled = resolve));
    setImmediate(() => order.push('publisher flush')); // queued before messageDurable's own turn
    let stored!: () => void;
    const done = messageDurable(waiting, () => {
      order.push('stores asked');
      return [Promise.resolve(), new Promise<void>((resolve) => (stored = resolve))];
    }).then(() => order.push('durable'));
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual(['publisher flush']); // the handling is not done yet
    handled();
    await new Promise((r) => setTimeout(r, 10));
    expect(order).toEqual(['publisher flush', 'stores asked']);
    stored();
    await done;
    expect(order).toEqual(['publisher flush', 'stores asked', 'durable']);
  });

  it('settles, never rejects, when a store fails', async () => {
    // the broker acknowledges the message once it settles either way (a failed store is counted where it failed)
    await expect(messageDurable(undefined, () => [Promise.reject(new Error('disk'))])).resolves.toBeUndefined();
  });
});
