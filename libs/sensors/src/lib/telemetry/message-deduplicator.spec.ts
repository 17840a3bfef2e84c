import { MessageDeduplicator } from './message-deduplicator';

const T0 = Date.UTC(2026, 10, 28, 10); // ms
const MINUTE = 60_000;

const factory = {
  sut: (opts?: ConstructorParameters<typeof MessageDeduplicator>[0]) => new MessageDeduplicator(opts),
};

describe(MessageDeduplicator.name, () => {
  it('flags a message repeating seq and ts of one from the same gateway', () => {
    // docs/contracts.md §1: repeats both seq and message ts within 10 minutes → duplicate (QoS 1 redelivery)
    const sut = factory.sut();
    expect(sut.isDuplicate('GW-1', 17, T0, T0)).toBe(false);
    expect(sut.isDuplicate('GW-1', 17, T0, T0 + 5_000)).toBe(true);
  });

  it('does not flag the same seq and ts from another gateway', () => {
    // docs/contracts.md §1: "from the same gateway"
    const sut = factory.sut();
    sut.isDuplicate('GW-1', 17, T0, T0);
    expect(sut.isDuplicate('GW-2', 17, T0, T0)).toBe(false);
  });

  it('does not flag a restarted seq with a new ts, nor a new seq with the same ts', () => {
    // docs/contracts.md §1: "a gateway that restarts its seq after a reboot loses nothing"
    const sut = factory.sut();
    sut.isDuplicate('GW-1', 1, T0, T0);
    expect(sut.isDuplicate('GW-1', 1, T0 + 30_000, T0 + 31_000)).toBe(false);
    expect(sut.isDuplicate('GW-1', 2, T0, T0 + 32_000)).toBe(false);
  });

  it('never flags a message without seq or without ts', () => {
    // docs/contracts.md §1: only a message repeating *both* seq and ts is a duplicate
    const sut = factory.sut();
    for (let i = 0; i < 2; i++) {
      expect(sut.isDuplicate('GW-1', null, T0, T0)).toBe(false);
      expect(sut.isDuplicate('GW-1', 17, null, T0)).toBe(false);
      expect(sut.isDuplicate('GW-1', null, null, T0)).toBe(false);
    }
    expect(sut.size).toBe(0);
  });

  it('forgets a message after 10 minutes', () => {
    // docs/contracts.md §1: "in the last 10 minutes"
    const sut = factory.sut();
    sut.isDuplicate('GW-1', 17, T0, T0);
    expect(sut.isDuplicate('GW-1', 17, T0, T0 + 10 * MINUTE - 1)).toBe(true);
    const late = factory.sut();
    late.isDuplicate('GW-1', 17, T0, T0);
    expect(late.isDuplicate('GW-1', 17, T0, T0 + 10 * MINUTE)).toBe(false);
  });

  it('counts the window from the last time the message arrived', () => {
    // docs/contracts.md §1: a redelivered copy is itself "received", so repeated redeliveries stay duplicates
    const sut = factory.sut();
    sut.isDuplicate('GW-1', 17, T0, T0);
    sut.isDuplicate('GW-1', 17, T0, T0 + 9 * MINUTE);
    expect(sut.isDuplicate('GW-1', 17, T0, T0 + 15 * MINUTE)).toBe(true);
  });

  it('still forgets older messages after refreshing a redelivered one', () => {
    // docs/contracts.md §1: each message is a duplicate only within 10 minutes of its own last receipt
    const sut = factory.sut();
    sut.isDuplicate('GW-1', 1, T0, T0);
    sut.isDuplicate('GW-1', 2, T0 + 1, T0 + MINUTE);
    sut.isDuplicate('GW-1', 1, T0, T0 + 9 * MINUTE);
    expect(sut.isDuplicate('GW-1', 2, T0 + 1, T0 + 11 * MINUTE)).toBe(false);
    expect(sut.isDuplicate('GW-1', 1, T0, T0 + 11 * MINUTE)).toBe(true);
  });

  it('takes a custom window', () => {
    // brief: windowMs option
    const sut = factory.sut({ windowMs: 1_000 });
    sut.isDuplicate('GW-1', 17, T0, T0);
    expect(sut.isDuplicate('GW-1', 17, T0, T0 + 1_000)).toBe(false);
  });

  it('keeps at most maxPerGateway messages per gateway, dropping the oldest', () => {
    // brief: bounded memory — a flooding gateway cannot grow the filter beyond its bound
    const sut = factory.sut({ maxPerGateway: 3 });
    for (let seq = 0; seq < 100; seq++) sut.isDuplicate('GW-1', seq, T0 + seq, T0 + seq);
    expect(sut.size).toBe(3);
    expect(sut.isDuplicate('GW-1', 99, T0 + 99, T0 + 200)).toBe(true);
    expect(sut.isDuplicate('GW-1', 0, T0, T0 + 201)).toBe(false);
  });

  it('keeps a redelivered message as the newest when the bound drops the oldest', () => {
    // docs/contracts.md §1 + bounded memory: a refreshed message outlives messages received after its first copy
    const sut = factory.sut({ maxPerGateway: 3 });
    for (const seq of [0, 1, 2]) sut.isDuplicate('GW-1', seq, T0 + seq, T0 + seq);
    expect(sut.isDuplicate('GW-1', 0, T0, T0 + 10)).toBe(true);
    sut.isDuplicate('GW-1', 3, T0 + 3, T0 + 11);
    expect(sut.size).toBe(3);
    expect(sut.isDuplicate('GW-1', 0, T0, T0 + 12)).toBe(true);
    expect(sut.isDuplicate('GW-1', 1, T0 + 1, T0 + 13)).toBe(false);
  });

  it('stays exact over many more messages than its bound', () => {
    // bounded memory: a gateway that has sent far more than maxPerGateway messages still has its recent ones
    const sut = factory.sut({ maxPerGateway: 100 });
    for (let seq = 0; seq < 10_000; seq++) expect(sut.isDuplicate('GW-1', seq, T0 + seq, T0 + seq)).toBe(false);
    expect(sut.size).toBe(100);
    expect(sut.isDuplicate('GW-1', 9_950, T0 + 9_950, T0 + 10_000)).toBe(true);
    expect(sut.isDuplicate('GW-1', 9_000, T0 + 9_000, T0 + 10_001)).toBe(false);
  });

  it('keeps both messages of a seq reused within the window, and refreshes either', () => {
    // docs/contracts.md §1: a gateway that restarts its seq loses nothing, and redeliveries of either message stay duplicates
    const sut = factory.sut({ maxPerGateway: 4 });
    sut.isDuplicate('GW-1', 5, T0, T0);
    expect(sut.isDuplicate('GW-1', 5, T0 + 50, T0 + 1)).toBe(false); // rebooted: seq 5 again, new ts
    expect(sut.size).toBe(2);
    expect(sut.isDuplicate('GW-1', 5, T0, T0 + 2)).toBe(true);
    expect(sut.isDuplicate('GW-1', 5, T0 + 50, T0 + 3)).toBe(true);
    expect(sut.isDuplicate('GW-1', 5, T0, T0 + 4)).toBe(true);
    sut.isDuplicate('GW-1', 6, T0 + 60, T0 + 5); // the bound drops the first two receipts, both refreshed since
    expect(sut.size).toBe(3);
    expect(sut.isDuplicate('GW-1', 5, T0 + 50, T0 + 6)).toBe(true);
    expect(sut.isDuplicate('GW-1', 5, T0, T0 + 7)).toBe(true);
    expect(sut.isDuplicate('GW-1', 5, T0 + 99, T0 + 8)).toBe(false);
  });

  it('answers as a plain ordered map of (seq, ts) would, over random traffic', () => {
    // docs/contracts.md §1 semantics, checked against the simplest model: refresh on receipt, drop the oldest past the bound or the window
    const model = new Map<string, number>();
    const sut = factory.sut({ maxPerGateway: 8, windowMs: 50 });
    let seed = 7;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    for (let now = T0; now < T0 + 5_000; now += random(3)) {
      const seq = random(6);
      const ts = T0 + random(3);
      const key = `${seq}/${ts}`;
      for (const [k, at] of model) if (now - at >= 50) model.delete(k);
      const expected = model.delete(key);
      model.set(key, now);
      if (model.size > 8) model.delete(model.keys().next().value as string);
      expect(sut.isDuplicate('GW-1', seq, ts, now)).toBe(expected);
    }
  });

  it('drops a silent gateway entirely once the window has passed', () => {
    // brief: bounded memory — gateways that stop sending do not stay in memory
    const sut = factory.sut();
    for (let g = 0; g < 50; g++) sut.isDuplicate(`GW-${g}`, 1, T0, T0);
    expect(sut.size).toBe(50);
    expect(sut.gatewayCount).toBe(50);
    sut.isDuplicate('GW-live', 1, T0 + 11 * MINUTE, T0 + 11 * MINUTE);
    expect(sut.size).toBe(1);
    expect(sut.gatewayCount).toBe(1);
  });

  it('forgets a gateway on request', () => {
    // brief: forget(gatewayCode), e.g. when a gateway is deleted
    const sut = factory.sut();
    sut.isDuplicate('GW-1', 17, T0, T0);
    sut.forget('GW-1');
    expect(sut.size).toBe(0);
    expect(sut.isDuplicate('GW-1', 17, T0, T0 + 1)).toBe(false);
  });

  it.each([[{ windowMs: 0 }], [{ windowMs: Number.NaN }], [{ maxPerGateway: 0 }], [{ maxPerGateway: 1.5 }]])(
    'refuses the options %p',
    (opts) => {
      // brief: bounded memory needs a positive window and bound
      expect(() => factory.sut(opts)).toThrow(RangeError);
    },
  );
});
