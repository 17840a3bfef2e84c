import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { NotificationListener, type Principal, type UserAuthState, UsersRepository } from '@sw/persistence';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import type { VerifiedToken } from './token.service';

/** How long a user's state is reused for requests (the backstop when a notification is lost). */
const CACHE_MS = 1000;
const CACHE_MAX = 10_000;

/** `null`: every user may have changed (the listener reconnected and missed notifications). */
export type UserChangedListener = (userId: string | null) => void;

/**
 * Whether a verified token still speaks for its user (issue 18): the user exists, is enabled and
 * has the token's version. States are cached ≤ 1 s per process and dropped at once when
 * PostgreSQL announces a change on `users_changed` (trigger on disabled/token_version/delete), so
 * a disabled user is refused by every api process within about a second, usually at once.
 *
 * Why PostgreSQL LISTEN/NOTIFY and not the internal broker: the change and its announcement are
 * one commit (no announcement for a rolled-back change, none lost between the two), it also covers
 * changes made with the CLI or SQL, and revocation does not depend on the MQTT service account,
 * the very credential a leak would expose.
 */
@Injectable()
export class UserStateService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(UserStateService.name);
  private readonly cache = new Map<string, { at: number; state: Promise<UserAuthState | null> }>();
  private readonly listeners = new Set<UserChangedListener>();
  private listener: NotificationListener<{ id: string }> | null = null;

  constructor(
    private readonly users: UsersRepository,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    this.listener = new NotificationListener<{ id: string }>(
      this.config.DATABASE_URL,
      'users_changed',
      (change) => this.changed(change.id),
      () => this.changed(null),
      (err) => this.logger.warn(`users_changed listener: ${err.message}`),
    );
    await this.listener.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.listener?.stop();
  }

  /** The user's current principal when the token is still good; null when it is not. */
  async principalOf(token: VerifiedToken): Promise<Principal | null> {
    const state = await this.state(token.principal.id);
    return state && !state.disabled && state.tokenVersion === token.tokenVersion ? state.principal : null;
  }

  /** The user's state, fresh from PostgreSQL (for re-checks after a change). */
  async fresh(userId: string): Promise<UserAuthState | null> {
    this.cache.delete(userId);
    return this.state(userId);
  }

  /** Called for every change of a user, by the notification and by this process's own changes. */
  changed(userId: string | null): void {
    if (userId === null) this.cache.clear();
    else this.cache.delete(userId);
    for (const l of this.listeners) l(userId);
  }

  onChanged(listener: UserChangedListener): void {
    this.listeners.add(listener);
  }

  private state(userId: string): Promise<UserAuthState | null> {
    const now = Date.now();
    const hit = this.cache.get(userId);
    if (hit && now - hit.at < CACHE_MS) return hit.state;
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    const state = this.users.authState(userId);
    this.cache.set(userId, { at: now, state });
    state.catch(() => this.cache.delete(userId)); // a failed lookup is not cached
    return state;
  }
}
