import type { IncomingMessage } from 'node:http';
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { PointsRepository, scopeOf } from '@sw/persistence';
import type { WebSocket } from 'ws';
import { TokenService } from '../auth/token.service';
import { UserStateService } from '../auth/user-state.service';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { MetricsService } from '../observability/metrics.service';
import { AlarmFeedService } from './alarm-feed.service';
import { type LiveClient, newLiveClient, sendFrame } from './live-client.types';
import {
  authFrame,
  CHANNELS,
  type Channel,
  CLOSE_SERVER_ERROR,
  CLOSE_SLOW_CONSUMER,
  CLOSE_UNAUTHORIZED,
  MAX_POINTS_PER_SOCKET,
  subscribeFrame,
  type SubscribeFrame,
} from './live-frames.schema';
import { ReadingFanoutService } from './reading-fanout.service';
import { EventSequencerService } from './event-sequencer.service';

type ErrorCode = 'bad_frame' | 'forbidden' | 'unknown_channel';

/** The live feed's connections (docs/contracts.md §5): authentication, keep-alive, and the frames. */
@Injectable()
export class LiveFeedService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(LiveFeedService.name);
  private readonly clients = new Map<WebSocket, LiveClient>();
  private pingTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly tokens: TokenService,
    private readonly userState: UserStateService,
    private readonly alarms: AlarmFeedService,
    private readonly readings: ReadingFanoutService,
    private readonly sequencer: EventSequencerService,
    private readonly points: PointsRepository,
    private readonly metrics: MetricsService,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  onModuleInit(): void {
    const slow = (c: LiveClient) => this.drop(c, CLOSE_SLOW_CONSUMER, 'slow consumer', 'slow');
    this.alarms.setSlowConsumerHandler(slow);
    this.readings.setSlowConsumerHandler(slow);
    // issue 18: a disabled user's (or an old token version's) sockets close at once
    this.userState.onChanged((userId) => this.recheck(userId));
    // protocol pings; a socket that did not answer the previous one is dead
    this.pingTimer = setInterval(() => this.pingAll(), this.config.LIVE_PING_INTERVAL_MS);
    this.pingTimer.unref();
  }

  onApplicationShutdown(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
  }

  open(socket: WebSocket, req: IncomingMessage): void {
    const client = newLiveClient(socket);
    this.clients.set(socket, client);
    this.metrics.liveSockets.inc();
    socket.on('pong', () => (client.alive = true));
    const token = new URL(req.url ?? '/', 'http://localhost').searchParams.get('token');
    if (token) {
      this.handle(socket, 'auth', { type: 'auth', token });
      return;
    }
    client.authTimer = setTimeout(() => this.drop(client, CLOSE_UNAUTHORIZED, 'no token within the time allowed', 'auth_timeout'), this.config.LIVE_AUTH_TIMEOUT_MS);
  }

  close(socket: WebSocket): void {
    const client = this.clients.get(socket);
    if (!client) return;
    this.clients.delete(socket);
    client.closed = true;
    this.metrics.liveSockets.dec();
    if (client.authTimer) clearTimeout(client.authTimer);
    if (client.expiryTimer) clearTimeout(client.expiryTimer);
    this.alarms.unsubscribe(client);
    this.readings.unfollow(client);
  }

  /** Runs one frame's handling after the previous frames of the same socket. */
  handle(socket: WebSocket, type: 'auth' | 'subscribe' | 'unsubscribe' | 'ping' | 'bad_frame', data: unknown): void {
    const client = this.clients.get(socket);
    if (!client) return;
    client.queue = client.queue
      .then(() => this.dispatch(client, type, data))
      .catch((err: Error) => {
        this.logger.error(`live feed: ${err.message}`);
        this.drop(client, CLOSE_SERVER_ERROR, 'server error; reconnect with since', 'error');
      });
  }

  private async dispatch(client: LiveClient, type: string, data: unknown): Promise<void> {
    if (client.closed) return;
    if (type === 'auth') {
      const frame = authFrame.safeParse(data);
      if (!frame.success) return this.drop(client, CLOSE_UNAUTHORIZED, 'an auth frame carries a token', 'auth_failed');
      return this.authenticate(client, frame.data.token);
    }
    // docs/contracts.md §5: a socket opened without a token must send auth first
    if (!client.principal) return this.drop(client, CLOSE_UNAUTHORIZED, 'authenticate first', 'auth_failed');
    if (type === 'bad_frame') return this.error(client, 'bad_frame', String(data));
    if (type === 'ping') return void sendFrame(client, { type: 'pong' }, () => undefined);
    const frame = subscribeFrame.safeParse(data);
    if (!frame.success) return this.error(client, 'bad_frame', frame.error.issues.map((i) => `${i.path.join('.') || 'frame'}: ${i.message}`).join('; '));
    const channels = frame.data.channels.filter((c): c is Channel => (CHANNELS as readonly string[]).includes(c));
    const unknown = frame.data.channels.filter((c) => !(CHANNELS as readonly string[]).includes(c));
    if (unknown.length > 0) this.error(client, 'unknown_channel', `unknown channel ${unknown.join(', ')}; channels are ${CHANNELS.join(', ')}`);
    if (frame.data.type === 'unsubscribe') return this.unsubscribe(client, channels, frame.data);
    if (channels.includes('readings')) await this.followPoints(client, frame.data.points ?? []);
    if (channels.includes('alarms')) await this.alarms.subscribe(client, frame.data.since);
  }

  private async authenticate(client: LiveClient, token: string): Promise<void> {
    const verified = this.tokens.verify(token);
    if (!verified || (client.principal && client.principal.id !== verified.principal.id)) {
      return this.drop(client, CLOSE_UNAUTHORIZED, 'invalid or expired token', 'auth_failed');
    }
    // issue 18: the user exists, is enabled and the token has the current version (also on re-auth)
    const principal = await this.userState.principalOf(verified);
    if (!principal) return this.drop(client, CLOSE_UNAUTHORIZED, 'token revoked or user disabled', 'auth_failed');
    if (client.closed) return;
    if (client.authTimer) clearTimeout(client.authTimer);
    if (client.expiryTimer) clearTimeout(client.expiryTimer);
    client.authTimer = null;
    client.principal = principal;
    client.tokenVersion = verified.tokenVersion;
    client.scope = scopeOf(principal);
    // a token that expires while connected closes the socket (a fresh auth frame extends it)
    client.expiryTimer = setTimeout(() => this.drop(client, CLOSE_UNAUTHORIZED, 'token expired', 'expired'), Math.max(0, verified.expiresAt - Date.now()));
    const { id, username, role } = principal;
    sendFrame(client, { type: 'ready', user: { id, username, role }, head: this.sequencer.position }, () => undefined);
  }

  /** Closes the sockets whose user (or every user, for `null`) is now disabled, gone or at another token version. */
  private recheck(userId: string | null): void {
    for (const client of this.clients.values()) {
      const principal = client.principal;
      if (!principal || (userId !== null && principal.id !== userId)) continue;
      const tokenVersion = client.tokenVersion;
      this.userState
        .principalOf({ principal, tokenVersion, expiresAt: 0 })
        .then((current) => {
          // (a re-auth with a newer token meanwhile is judged by its own check)
          if (!current && client.tokenVersion === tokenVersion) this.drop(client, CLOSE_UNAUTHORIZED, 'token revoked or user disabled', 'revoked');
        })
        .catch((err: Error) => this.logger.warn(`live feed: re-checking user ${principal.id} failed: ${err.message}`));
    }
  }

  private async followPoints(client: LiveClient, ids: string[]): Promise<void> {
    if (ids.length === 0) return this.error(client, 'bad_frame', 'the readings channel needs points: ["<pointId>", …]');
    const wanted = [...new Set(ids.map((id) => id.toLowerCase()))].filter((id) => !client.points.has(id));
    if (client.points.size + wanted.length > MAX_POINTS_PER_SOCKET) {
      return this.error(client, 'bad_frame', `a socket follows at most ${MAX_POINTS_PER_SOCKET} points`);
    }
    const allowed = new Set((await this.points.getMany(wanted, client.scope ?? { kind: 'enterprise', enterpriseId: '' })).map((p) => p.id));
    const refused = wanted.filter((id) => !allowed.has(id));
    if (refused.length > 0) this.error(client, 'forbidden', `points outside your scope: ${refused.join(', ')}`);
    if (!client.closed) this.readings.follow(client, [...allowed]);
  }

  private unsubscribe(client: LiveClient, channels: Channel[], frame: SubscribeFrame): void {
    if (channels.includes('alarms')) this.alarms.unsubscribe(client);
    if (channels.includes('readings')) this.readings.unfollow(client, frame.points?.map((p) => p.toLowerCase()));
  }

  private error(client: LiveClient, code: ErrorCode, message: string): void {
    sendFrame(client, { type: 'error', code, message }, () => undefined);
  }

  private drop(client: LiveClient, code: number, reason: string, metric: string): void {
    if (client.closed) return;
    this.metrics.liveDropped.inc({ reason: metric });
    client.socket.close(code, reason);
    this.close(client.socket);
  }

  private pingAll(): void {
    for (const client of this.clients.values()) {
      if (!client.alive) {
        this.metrics.liveDropped.inc({ reason: 'ping' });
        client.socket.terminate();
        this.close(client.socket);
        continue;
      }
      client.alive = false;
      client.socket.ping();
    }
  }
}
