// The `/ws` live feed (docs/contracts.md §5) that keeps itself alive: authenticates with a first frame,
// subscribes to alarms with `since` = the last seq it saw, re-follows the points it was asked to,
// pings (browsers cannot send protocol pings), and after any drop reconnects with backoff and
// resumes from its cursor, so the board misses no event across an API restart.
import type { AlarmFrame, ReadingFrame, ServerFrame } from '../api/api.types';

export type FeedStatus = 'connecting' | 'replaying' | 'live' | 'offline';

/** The part of the browser WebSocket the client uses (a fake one in unit specs). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export interface LiveFeedHandlers {
  alarm(frame: AlarmFrame): void;
  reading?(frame: ReadingFrame): void;
  status?(status: FeedStatus): void;
  /** Close code 4401: the token is no longer valid. */
  unauthorized?(): void;
  error?(code: string, message: string): void;
}

export interface LiveFeedOptions {
  url: string;
  token: () => string | null;
  handlers: LiveFeedHandlers;
  socketFactory?: (url: string) => SocketLike;
  /** Waits before reconnect attempts 1, 2, 3…; the last one repeats. */
  backoffMs?: readonly number[];
  pingEveryMs?: number;
  /** A socket silent this long (no frame, no pong) is taken for dead. */
  silenceLimitMs?: number;
  now?: () => number;
}

const OPEN = 1;
export const CLOSE_UNAUTHORIZED = 4401;
const DEFAULT_BACKOFF_MS = [250, 500, 1_000, 2_000, 4_000]; // then every 4 s

export class LiveFeedClient {
  private socket: SocketLike | null = null;
  private cursor: number | null;
  private readonly points = new Set<string>();
  private attempt = 0;
  private ready = false;
  private stopped = true;
  private lastFrameAt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private current: FeedStatus = 'connecting';

  constructor(
    private readonly options: LiveFeedOptions,
    since: number | null = null,
  ) {
    this.cursor = since;
  }

  get status(): FeedStatus {
    return this.current;
  }

  /** The seq of the last alarm event received (null before the first `ready`). */
  get lastSeq(): number | null {
    return this.cursor;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
    const every = this.options.pingEveryMs ?? 15_000;
    this.pingTimer = setInterval(() => this.heartbeat(), every);
  }

  stop(): void {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.reconnectTimer = this.pingTimer = null;
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onclose = socket.onmessage = socket.onerror = socket.onopen = null;
      socket.close(1000, 'logout');
    }
  }

  /** Adds live values of these points (kept across reconnects). */
  follow(pointIds: readonly string[]): void {
    const fresh = pointIds.filter((id) => !this.points.has(id));
    fresh.forEach((id) => this.points.add(id));
    if (fresh.length && this.ready) this.send({ type: 'subscribe', channels: ['readings'], points: fresh });
  }

  unfollow(pointIds: readonly string[]): void {
    const known = pointIds.filter((id) => this.points.delete(id));
    if (known.length && this.ready) this.send({ type: 'unsubscribe', channels: ['readings'], points: known });
  }

  private connect(): void {
    const factory = this.options.socketFactory ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
    this.ready = false;
    this.setStatus(this.attempt === 0 && this.cursor === null ? 'connecting' : 'offline');
    const socket = factory(this.options.url);
    this.socket = socket;
    this.lastFrameAt = this.now();
    socket.onopen = () => this.send({ type: 'auth', token: this.options.token() ?? '' });
    socket.onmessage = (ev) => this.receive(ev.data);
    socket.onerror = () => undefined; // onclose follows and decides
    socket.onclose = (ev) => this.closed(socket, ev.code);
  }

  private receive(data: unknown): void {
    this.lastFrameAt = this.now();
    let frame: ServerFrame;
    try {
      frame = JSON.parse(String(data)) as ServerFrame;
    } catch {
      return;
    }
    switch (frame.type) {
      case 'ready':
        this.ready = true;
        if (this.cursor === null) this.cursor = frame.head; // first contact: start live; the board loads the rest over REST
        this.send({ type: 'subscribe', channels: ['alarms'], since: this.cursor });
        if (this.points.size) this.send({ type: 'subscribe', channels: ['readings'], points: [...this.points] });
        this.setStatus('replaying');
        break;
      case 'live':
        this.attempt = 0;
        this.setStatus('live');
        break;
      case 'alarm':
        if (this.cursor !== null && frame.seq <= this.cursor) return; // already seen (replay seam)
        this.cursor = frame.seq;
        this.options.handlers.alarm(frame);
        break;
      case 'reading':
        this.options.handlers.reading?.(frame);
        break;
      case 'error':
        this.options.handlers.error?.(frame.code, frame.message);
        break;
      case 'pong':
        break;
    }
  }

  private closed(socket: SocketLike, code: number): void {
    if (socket !== this.socket) return;
    this.socket = null;
    this.ready = false;
    if (this.stopped) return;
    if (code === CLOSE_UNAUTHORIZED) {
      this.stop();
      this.options.handlers.unauthorized?.();
      return;
    }
    this.setStatus('offline');
    const backoff = this.options.backoffMs ?? DEFAULT_BACKOFF_MS;
    const wait = backoff[Math.min(this.attempt, backoff.length - 1)] ?? 1_000;
    this.attempt += 1;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.stopped) this.connect();
    }, wait);
  }

  private heartbeat(): void {
    const socket = this.socket;
    if (!socket || socket.readyState !== OPEN) return;
    if (this.now() - this.lastFrameAt > (this.options.silenceLimitMs ?? 40_000)) {
      socket.close(4000, 'silent');
      this.closed(socket, 4000); // do not wait for a close handshake on a dead link
      return;
    }
    this.send({ type: 'ping' });
  }

  private send(frame: object): void {
    if (this.socket?.readyState === OPEN) this.socket.send(JSON.stringify(frame));
  }

  private setStatus(status: FeedStatus): void {
    if (status === this.current) return;
    this.current = status;
    this.options.handlers.status?.(status);
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
