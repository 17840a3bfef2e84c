import type { AlarmFrame } from '../api/api.types';
import { factory } from '../testing/alarm.factory';
import { type FeedStatus, LiveFeedClient, type SocketLike } from './live-feed.client';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: Record<string, unknown>[] = [];
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;

  send(data: string): void {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }
  close(): void {
    this.readyState = 3;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(frame: object): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  drop(code = 1006): void {
    this.readyState = 3;
    this.onclose?.({ code });
  }
}

describe(LiveFeedClient.name, () => {
  let sockets: FakeSocket[];
  let alarms: AlarmFrame[];
  let statuses: FeedStatus[];
  let unauthorized: jest.Mock;
  let sut: LiveFeedClient;
  const last = () => sockets[sockets.length - 1]!;

  beforeEach(() => {
    jest.useFakeTimers();
    sockets = [];
    alarms = [];
    statuses = [];
    unauthorized = jest.fn();
    sut = new LiveFeedClient({
      url: 'ws://console/ws',
      token: () => 'jwt',
      backoffMs: [100, 1_000],
      socketFactory: () => {
        const s = new FakeSocket();
        sockets.push(s);
        return s;
      },
      handlers: { alarm: (f) => alarms.push(f), status: (s) => statuses.push(s), unauthorized },
    });
    sut.start();
  });

  afterEach(() => {
    sut.stop();
    jest.useRealTimers();
  });

  const handshake = (head: number) => {
    last().open();
    last().receive({ type: 'ready', user: { id: 'u', username: 'duty', role: 'regulator' }, head });
  };

  // docs/contracts.md §5: auth frame, then subscribe alarms with since
  it('authenticates with a first frame and subscribes from the head on first contact', () => {
    handshake(41);
    expect(last().sent).toEqual([
      { type: 'auth', token: 'jwt' },
      { type: 'subscribe', channels: ['alarms'], since: 41 },
    ]);
    last().receive({ type: 'live', head: 41 });
    expect(statuses).toEqual(['replaying', 'live']);
  });

  // issue 7: reconnects and resumes by itself with since, showing when it is offline
  it('after a drop goes offline, reconnects with backoff and resumes from the last seq seen', () => {
    handshake(41);
    last().receive(factory.frame('raised', factory.alarm(), 42));
    last().drop();
    expect(sut.status).toBe('offline');
    jest.advanceTimersByTime(99);
    expect(sockets).toHaveLength(1);
    jest.advanceTimersByTime(1);
    expect(sockets).toHaveLength(2);
    handshake(50);
    expect(last().sent[1]).toEqual({ type: 'subscribe', channels: ['alarms'], since: 42 });
  });

  it('drops replayed events it has already seen (no duplicate at the seam)', () => {
    handshake(10);
    const a = factory.alarm();
    last().receive(factory.frame('raised', a, 11));
    last().receive(factory.frame('raised', a, 11));
    last().receive(factory.frame('acknowledged', a, 12));
    expect(alarms.map((f) => f.seq)).toEqual([11, 12]);
    expect(sut.lastSeq).toBe(12);
  });

  it('re-follows the points it was asked to after a reconnect', () => {
    handshake(1);
    sut.follow(['p1', 'p2']);
    expect(last().sent[2]).toEqual({ type: 'subscribe', channels: ['readings'], points: ['p1', 'p2'] });
    last().drop();
    jest.advanceTimersByTime(100);
    handshake(1);
    expect(last().sent[2]).toEqual({ type: 'subscribe', channels: ['readings'], points: ['p1', 'p2'] });
  });

  it('stops and reports on close code 4401 (token refused or expired)', () => {
    handshake(1);
    last().drop(4401);
    expect(unauthorized).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(10_000);
    expect(sockets).toHaveLength(1);
  });

  it('pings, and takes a silent socket for dead', () => {
    handshake(1);
    jest.advanceTimersByTime(15_000);
    expect(last().sent).toContainEqual({ type: 'ping' });
    jest.advanceTimersByTime(30_000); // 45 s without a frame
    expect(sut.status).toBe('offline');
  });
});
