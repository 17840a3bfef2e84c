import { SettledInOrder } from './settled-in-order';

describe(SettledInOrder.name, () => {
  it('waits for every task up to the number, whatever order they finish in', async () => {
    // docs/architecture.md nothing lost: a PUBACK waits for its batch and every earlier one
    const sut = new SettledInOrder();
    const order: string[] = [];
    void sut.upTo(2).then(() => order.push('up to 2'));
    void sut.upTo(3).then(() => order.push('up to 3'));
    sut.settle(3);
    sut.settle(2);
    await Promise.resolve();
    expect(order).toEqual([]); // 1 is still out
    expect(sut.settledUpTo).toBe(0);
    sut.settle(1);
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual(['up to 2', 'up to 3']);
    expect(sut.settledUpTo).toBe(3);
  });

  it('answers at once for what has finished, including nothing (0)', async () => {
    // docs/architecture.md nothing lost: a message whose readings are durable already is acknowledged without waiting
    const sut = new SettledInOrder();
    await expect(sut.upTo(0)).resolves.toBeUndefined();
    sut.settle(1);
    await expect(sut.upTo(1)).resolves.toBeUndefined();
  });
});
