import { Logger } from '@nestjs/common';
import type { RuleStateRepository, RuleStateRow } from '@sw/persistence';
import { initialState, type RuleState } from '@sw/rules';
import type { AlertingConfig } from '../config/alerting.config';
import { MetricsService } from '../observability/metrics.service';
import { PointRulesFactory } from '../points/point-rules.factory';
import { T0, factory } from '../testing/alerting-test.factory';
import { RuleStateWriterService } from './rule-state-writer.service';

class FakeRepo {
  readonly batches: RuleStateRow[][] = [];
  failures = 0;
  gate: Promise<void> = Promise.resolve();
  async write(rows: readonly RuleStateRow[]): Promise<void> {
    await this.gate;
    if (this.failures > 0 && this.failures--) throw new Error('connection refused');
    this.batches.push([...rows]);
  }
}

const rule = new PointRulesFactory(1).rulesFor(factory.point(), []).rules[0]!;
const state = (t: number): RuleState => initialState(rule, T0 + t);

describe(RuleStateWriterService.name, () => {
  let repo: FakeRepo;
  let sut: RuleStateWriterService;

  beforeEach(() => {
    jest.useFakeTimers();
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    repo = new FakeRepo();
    const config = { ALERTING_STATE_FLUSH_MS: 1000 } as AlertingConfig;
    sut = new RuleStateWriterService(config, repo as unknown as RuleStateRepository, new MetricsService());
  });

  afterEach(() => jest.useRealTimers());

  it('writes the latest state per rule in one batch after the flush interval, never one write per mark', async () => {
    for (let i = 0; i < 100; i++) sut.mark('p1', 'r1', state(i));
    sut.mark('p2', 'r1', state(0));
    sut.remove('p3', 'r9');
    expect(repo.batches).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1000);
    expect(repo.batches).toHaveLength(1);
    expect(repo.batches[0]).toEqual([
      { pointId: 'p1', ruleId: 'r1', state: state(99) },
      { pointId: 'p2', ruleId: 'r1', state: state(0) },
      { pointId: 'p3', ruleId: 'r9', state: null },
    ]);
  });

  it('barrier writes at once and resolves once the marked states are stored', async () => {
    let release = (): void => undefined;
    repo.gate = new Promise((r) => (release = r));
    sut.mark('p1', 'r1', state(1));
    let done = false;
    const barrier = sut.barrier().then(() => (done = true));
    await jest.advanceTimersByTimeAsync(0);
    expect(done).toBe(false);
    release();
    await barrier;
    expect(repo.batches).toHaveLength(1);
  });

  it('keeps working after the flush timer finds nothing left to write (the running batch took it)', async () => {
    let release = (): void => undefined;
    repo.gate = new Promise((r) => (release = r));
    sut.mark('p1', 'r1', state(1));
    const first = sut.barrier(); // a write in flight …
    sut.mark('p1', 'r1', state(2)); // … while a mark arms the flush timer
    release();
    await first;
    await jest.advanceTimersByTimeAsync(5000); // the loop wrote state 2; the timer fires on an empty set
    sut.mark('p1', 'r1', state(3));
    const last = sut.barrier();
    await jest.advanceTimersByTimeAsync(0);
    await last;
    expect(repo.batches.map((b) => b[0]?.state)).toEqual([state(1), state(2), state(3)]);
  });

  it('retries a failed write until the database is back, then releases the barrier', async () => {
    repo.failures = 2;
    sut.mark('p1', 'r1', state(1));
    const barrier = sut.barrier();
    await jest.advanceTimersByTimeAsync(10_000);
    await barrier;
    expect(repo.batches).toHaveLength(1);
  });

  describe('handOver', () => {
    it('hands a marked state to the transition, which stores it; the writer then leaves it alone', async () => {
      sut.mark('p1', 'r1', state(1));
      sut.mark('p2', 'r1', state(1));
      const row = await sut.handOver('p1', 'r1');
      expect(row).toEqual({ pointId: 'p1', ruleId: 'r1', state: state(1) });
      sut.handedBack(row!, true);
      await jest.advanceTimersByTimeAsync(0);
      expect(repo.batches).toEqual([[{ pointId: 'p2', ruleId: 'r1', state: state(1) }]]);
    });

    it('hands the state of a write in progress to the transition at once: it stores the same state, without waiting for that write', async () => {
      let release = (): void => undefined;
      repo.gate = new Promise((r) => (release = r));
      sut.mark('p1', 'r1', state(1));
      void sut.barrier();
      await jest.advanceTimersByTimeAsync(0);
      const row = await sut.handOver('p1', 'r1');
      expect(row).toEqual({ pointId: 'p1', ruleId: 'r1', state: state(1) });
      sut.mark('p1', 'r1', state(2)); // held back while the transition is in flight
      release();
      await jest.advanceTimersByTimeAsync(5000);
      expect(repo.batches).toEqual([[{ pointId: 'p1', ruleId: 'r1', state: state(1) }]]);
      sut.handedBack(row!, true);
      await jest.advanceTimersByTimeAsync(0);
      expect(repo.batches).toEqual([[{ pointId: 'p1', ruleId: 'r1', state: state(1) }], [{ pointId: 'p1', ruleId: 'r1', state: state(2) }]]);
    });

    it('waits for the write in progress when a newer state is marked, so that write never lands after the newer one', async () => {
      let release = (): void => undefined;
      repo.gate = new Promise((r) => (release = r));
      sut.mark('p1', 'r1', state(1));
      void sut.barrier();
      await jest.advanceTimersByTimeAsync(0);
      sut.mark('p1', 'r1', state(2));
      let row: RuleStateRow | null | undefined;
      void sut.handOver('p1', 'r1').then((r) => (row = r));
      await jest.advanceTimersByTimeAsync(0);
      expect(row).toBeUndefined();
      release();
      await jest.advanceTimersByTimeAsync(0);
      expect(row).toBeNull(); // stored meanwhile by the next write, after the first
      expect(repo.batches).toEqual([[{ pointId: 'p1', ruleId: 'r1', state: state(1) }], [{ pointId: 'p1', ruleId: 'r1', state: state(2) }]]);
    });

    it('holds a newer state of the key back until the transition is over, so it never overtakes it', async () => {
      sut.mark('p1', 'r1', state(1));
      const row = await sut.handOver('p1', 'r1');
      sut.mark('p1', 'r1', state(2));
      await jest.advanceTimersByTimeAsync(5000);
      expect(repo.batches).toHaveLength(0);
      sut.handedBack(row!, true);
      await jest.advanceTimersByTimeAsync(0);
      expect(repo.batches).toEqual([[{ pointId: 'p1', ruleId: 'r1', state: state(2) }]]);
    });

    it('writes a handed-over state its transition did not commit, unless the partition is gone', async () => {
      sut.mark('p1', 'r1', state(1));
      sut.mark('p2', 'r1', state(1));
      const kept = await sut.handOver('p1', 'r1');
      const lost = await sut.handOver('p2', 'r1');
      sut.handedBack(kept!, false);
      sut.handedBack(lost!, false, false);
      await jest.advanceTimersByTimeAsync(0);
      expect(repo.batches).toEqual([[{ pointId: 'p1', ruleId: 'r1', state: state(1) }]]);
    });

    it('leaves a deletion to the writer and waits for it', async () => {
      sut.remove('p1', 'r1');
      const row = await sut.handOver('p1', 'r1');
      expect(row).toBeNull();
      expect(repo.batches).toEqual([[{ pointId: 'p1', ruleId: 'r1', state: null }]]);
    });
  });

  it('hands over the state a queued transition caused, and writes no newer one of the rule before the transitions queued for it', async () => {
    // batches judged ahead of their acknowledgements: the state after batch 2 is marked while batch 1's transition waits
    const [s1, s2, s3] = [state(1), state(2), state(3)];
    sut.mark('p1', 'r1', s1);
    sut.hold('p1', 'r1'); // batch 1's transition queued
    sut.mark('p1', 'r1', s2);
    sut.hold('p1', 'r1'); // batch 2's
    await jest.advanceTimersByTimeAsync(1000);
    expect(repo.batches).toEqual([]); // a restart must not judge from state 2 while transition 1 is not committed

    const first = (await sut.handOver('p1', 'r1', s1)) as RuleStateRow;
    expect(first.state).toBe(s1); // transition 1 stores its own state, not the newer one
    sut.handedBack(first, true);
    sut.release('p1', 'r1');
    await jest.advanceTimersByTimeAsync(1000);
    expect(repo.batches).toEqual([]); // state 2 still waits for transition 2

    const second = (await sut.handOver('p1', 'r1', s2)) as RuleStateRow;
    expect(second.state).toBe(s2);
    sut.handedBack(second, true);
    sut.release('p1', 'r1');
    sut.mark('p1', 'r1', s3); // no transition queued: written the usual way
    await jest.advanceTimersByTimeAsync(1000);
    expect(repo.batches).toEqual([[{ pointId: 'p1', ruleId: 'r1', state: s3 }]]);
  });
});
