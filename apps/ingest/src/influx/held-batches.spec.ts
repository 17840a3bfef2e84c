import { HeldBatches, type QueuedBatch } from './held-batches';

const factory = {
  batch: (no: number, count = 10): QueuedBatch => ({ no, body: [Buffer.from(`b${no}\n`)], bytes: 3, count, cutAt: 0 }),
};

describe(HeldBatches.name, () => {
  it('keeps batches in cut order and counts their readings', () => {
    // docs/architecture.md nothing lost: held batches wait for InfluxDB in the order they were cut
    const sut = new HeldBatches(100);
    for (const no of [1, 2, 3]) expect(sut.push(factory.batch(no))).toEqual([]);
    expect(sut.readings).toBe(30);
    expect([sut.shift()?.no, sut.shift()?.no, sut.shift()?.no, sut.shift()]).toEqual([1, 2, 3, undefined]);
    expect(sut.readings).toBe(0);
  });

  it('puts a batch whose write failed back in front', () => {
    // docs/architecture.md nothing lost: a failed write of a held batch keeps it, first in line
    const sut = new HeldBatches(100);
    sut.push(factory.batch(1));
    const head = sut.shift()!;
    sut.push(factory.batch(2));
    sut.unshift(head);
    expect(sut.readings).toBe(20);
    expect(sut.takeAll().map((b) => b.no)).toEqual([1, 2]);
    expect(sut.readings).toBe(0);
  });

  it('gives up the oldest beyond the bound, never the batch just held', () => {
    // docs/architecture.md nothing lost: the last resort (disk and memory exhausted) drops the oldest, and says which
    const sut = new HeldBatches(25);
    sut.push(factory.batch(1));
    sut.push(factory.batch(2));
    expect(sut.push(factory.batch(3)).map((b) => b.no)).toEqual([1]);
    expect(sut.push(factory.batch(4, 50)).map((b) => b.no)).toEqual([2, 3]);
    expect(sut.length).toBe(1);
    expect(sut.readings).toBe(50);
  });
});
