import type { AlarmStore, CommittedEvent } from '@sw/persistence';
import type { AlarmSnapshot } from '@sw/rules';
import type { BrokerService, MessageHandler } from '../broker/broker.service';
import { LocalBusService } from '../broker/local-bus.service';
import type { ApiConfig } from '../config/api.config';
import { MetricsService } from '../observability/metrics.service';
import { EventSequencerService } from './event-sequencer.service';

const factory = {
  alarm: (seq: number): AlarmSnapshot => ({
    id: 'a', seq, enterpriseId: 'e', gatewayId: 'g', pointId: 'p', pointCode: 'CO-01', ruleId: 'p:threshold', kind: 'threshold',
    tier: 'orange', peakTier: 'orange', value: 180, peakValue: 180, unit: 'ppm', condition: 'active', acknowledged: false, stage: 'open',
    shelvedUntil: null, suppressed: false, escalationLevel: 0, raisedAt: new Date(1000).toISOString(), clearedAt: null, ackedAt: null,
    disposedAt: null, closedAt: null, message: '报警', escalationStartedAt: new Date(1000).toISOString(),
  }),
  event: (seq: number): CommittedEvent => ({ seq, event: 'commented', at: new Date(seq * 1000).toISOString(), actor: null, data: {}, alarm: factory.alarm(seq), regionCode: '320505' }),
};

/** PostgreSQL as the sequencer sees it: the committed events and the head. */
class FakeStore {
  committed: CommittedEvent[] = [];
  queries = 0;
  commit(...seqs: number[]): CommittedEvent[] {
    const events = seqs.map(factory.event);
    this.committed.push(...events);
    return events;
  }
  async head(): Promise<number> {
    return this.committed.at(-1)?.seq ?? 0;
  }
  async eventsBetween(after: number, upTo: number, _scope: unknown, limit: number): Promise<CommittedEvent[]> {
    this.queries++;
    return this.committed.filter((e) => e.seq > after && e.seq <= upTo).slice(0, limit);
  }
}

const settle = async () => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
};

describe(EventSequencerService.name, () => {
  let store: FakeStore;
  let onMessage: MessageHandler;
  let sut: EventSequencerService;
  let delivered: number[];

  beforeEach(async () => {
    store = new FakeStore();
    store.commit(1, 2);
    const broker = { subscribe: (_f: string, _q: number, h: MessageHandler) => (onMessage = h), onReconnect: () => undefined } as unknown as BrokerService;
    sut = new EventSequencerService(store as unknown as AlarmStore, broker, new LocalBusService(), new MetricsService(), { LIVE_HEAD_POLL_MS: 3_600_000 } as ApiConfig);
    await sut.onModuleInit();
    delivered = [];
    sut.addListener((e) => delivered.push(e.seq));
  });

  afterEach(() => sut.onApplicationShutdown());

  it('delivers the next event at once while a head check is waiting for PostgreSQL', async () => {
    let answer: (n: number) => void = () => undefined;
    store.head = () => new Promise<number>((r) => (answer = r));
    sut.requestCatchUp();
    const [e3] = store.commit(3);
    sut.offer(e3 as CommittedEvent);
    expect(delivered).toEqual([3]); // synchronously, not after the head query
    answer(3);
    await settle();
    expect(delivered).toEqual([3]);
    expect(store.queries).toBe(0);
  });

  it('starts after the head and delivers contiguous events as they come', async () => {
    expect(sut.position).toBe(2);
    const [e3, e4] = store.commit(3, 4);
    sut.offer(e3 as CommittedEvent);
    sut.offer(e4 as CommittedEvent);
    await settle();
    expect(delivered).toEqual([3, 4]);
    expect(store.queries).toBe(0);
  });

  it('docs/architecture.md: a hole is filled from PostgreSQL before anything after it is delivered', async () => {
    const events = store.commit(3, 4, 5, 6);
    onMessage('internal/events', Buffer.from(JSON.stringify(events[3])));
    await settle();
    expect(delivered).toEqual([3, 4, 5, 6]);
    expect(store.queries).toBe(1);
  });

  it('an event offered while a hole is being filled is delivered right after it', async () => {
    const events = store.commit(3, 4, 5);
    sut.offer(events[1] as CommittedEvent); // hole at 3: a fill starts
    sut.offer(events[2] as CommittedEvent); // arrives during the fill
    await settle();
    expect(delivered).toEqual([3, 4, 5]);
  });

  it('drops duplicates and events at or below the position', async () => {
    const [e3] = store.commit(3);
    sut.offer(e3 as CommittedEvent);
    sut.offer(e3 as CommittedEvent);
    sut.offer(factory.event(1));
    await settle();
    sut.offer(e3 as CommittedEvent);
    await settle();
    expect(delivered).toEqual([3]);
  });

  it('a lost last message is caught up from the head', async () => {
    store.commit(3, 4);
    sut.requestCatchUp();
    await settle();
    expect(delivered).toEqual([3, 4]);
    sut.requestCatchUp();
    await settle();
    expect(delivered).toEqual([3, 4]);
  });

  it('ignores payloads that are not committed events', async () => {
    onMessage('internal/events', Buffer.from('not json'));
    onMessage('internal/events', Buffer.from('{"seq":"x"}'));
    // docs/contracts.md §3: the snapshot carries every field of the alarm object
    onMessage('internal/events', Buffer.from(JSON.stringify({ ...factory.event(3), alarm: { ...factory.alarm(3), gatewayId: undefined } })));
    await settle();
    expect(delivered).toEqual([]);
  });
});
