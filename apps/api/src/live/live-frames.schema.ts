import { z } from 'zod';

/** docs/contracts.md §5 close code: no valid token in time, a first frame other than auth, or the token expired. */
export const CLOSE_UNAUTHORIZED = 4401;
/** RFC 6455 1011: the server failed (e.g. PostgreSQL down during a replay); the client reconnects with `since`. */
export const CLOSE_SERVER_ERROR = 1011;
/** RFC 6455 1013 "try again later": the client does not read fast enough. */
export const CLOSE_SLOW_CONSUMER = 1013;

/** Largest frame a client may send (ws closes with 1009 beyond it). */
export const MAX_CLIENT_FRAME_BYTES = 64 * 1024;
/** Bytes queued on a socket beyond which it is dropped as a slow consumer. */
export const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
/** Most points one socket may follow. */
export const MAX_POINTS_PER_SOCKET = 1000;
/** Events per PostgreSQL page when replaying `since`. */
export const REPLAY_PAGE = 500;

export const CHANNELS = ['alarms', 'readings'] as const;
export type Channel = (typeof CHANNELS)[number];

const FRAME_TYPES = ['auth', 'subscribe', 'unsubscribe', 'ping'] as const;
export type FrameType = (typeof FRAME_TYPES)[number];

export const authFrame = z.object({ type: z.literal('auth'), token: z.string().min(1).max(8192) });
export const subscribeFrame = z.object({
  type: z.enum(['subscribe', 'unsubscribe']),
  channels: z.array(z.string().max(64)).min(1).max(10),
  since: z.number().int().min(0).optional(),
  points: z.array(z.guid()).max(MAX_POINTS_PER_SOCKET).optional(),
});
export type SubscribeFrame = z.infer<typeof subscribeFrame>;

/**
 * The WsAdapter message parser: every text frame becomes `{event, data}` for the `@SubscribeMessage`
 * handlers of `LiveFeedSocket`; anything that is not a known frame becomes a `bad_frame` event so
 * the client hears why (docs/contracts.md §5: the socket stays open).
 */
export function parseClientFrame(raw: unknown): { event: FrameType | 'bad_frame'; data: unknown } {
  let frame: unknown;
  try {
    frame = JSON.parse(Buffer.isBuffer(raw) ? raw.toString('utf8') : String(raw));
  } catch {
    return { event: 'bad_frame', data: 'a frame must be JSON' };
  }
  const type = typeof frame === 'object' && frame !== null && !Array.isArray(frame) ? (frame as { type?: unknown }).type : undefined;
  if (typeof type !== 'string') return { event: 'bad_frame', data: 'a frame is a JSON object with a string "type"' };
  if (!(FRAME_TYPES as readonly string[]).includes(type)) return { event: 'bad_frame', data: `unknown frame type "${type.slice(0, 40)}"` };
  return { event: type as FrameType, data: frame };
}
