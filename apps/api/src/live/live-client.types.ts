import type { Principal, RecordScope } from '@sw/persistence';
import type { WebSocket } from 'ws';
import { MAX_BUFFERED_BYTES } from './live-frames.schema';

/** One live-feed socket and what it follows. */
export interface LiveClient {
  readonly socket: WebSocket;
  principal: Principal | null;
  /** the version of the token that authenticated the socket (a bump closes it) */
  tokenVersion: number;
  scope: RecordScope | null;
  /** answered the last protocol ping */
  alive: boolean;
  authTimer: NodeJS.Timeout | null;
  expiryTimer: NodeJS.Timeout | null;
  /** `off`, replaying `since` from PostgreSQL, or following live events */
  alarms: 'off' | 'replaying' | 'live';
  /** live events are delivered when their seq is above this */
  liveAfter: number;
  /** bumped by every alarms (un)subscribe, so a replay that was overtaken stops */
  alarmsGeneration: number;
  readonly points: Set<string>;
  /** frames of one socket are handled one after the other */
  queue: Promise<void>;
  closed: boolean;
}

export function newLiveClient(socket: WebSocket): LiveClient {
  return {
    socket,
    principal: null,
    tokenVersion: 0,
    scope: null,
    alive: true,
    authTimer: null,
    expiryTimer: null,
    alarms: 'off',
    liveAfter: 0,
    alarmsGeneration: 0,
    points: new Set(),
    queue: Promise.resolve(),
    closed: false,
  };
}

/** Sends a JSON frame; false when the socket is gone or has been dropped as a slow consumer. */
export function sendFrame(client: LiveClient, frame: object, onSlow: (c: LiveClient) => void): boolean {
  if (client.closed || client.socket.readyState !== client.socket.OPEN) return false;
  if (client.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
    onSlow(client);
    return false;
  }
  client.socket.send(JSON.stringify(frame));
  return true;
}

/** Resolves once the socket's send buffer is below `bytes` (or the socket closed). */
export async function drained(client: LiveClient, bytes = MAX_BUFFERED_BYTES / 4): Promise<void> {
  while (!client.closed && client.socket.bufferedAmount > bytes) await new Promise((r) => setTimeout(r, 20));
}
