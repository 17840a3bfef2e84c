import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { type AttemptLimit, LoginAttemptsRepository } from '@sw/persistence';
import { API_CONFIG, type ApiConfig } from '../config/api.config';

const MAX_LOCK_MS = 15 * 60_000; // back-off cap
const FORGET_AFTER_MS = 3_600_000; // a counter quiet this long starts again
const PRUNE_EVERY_MS = 10 * 60_000;

/**
 * The login throttle (issue 18), shared by every api process through PostgreSQL
 * (`login_attempts`). Each attempt is charged before the password is verified to three counters:
 * - username and IP: after LOGIN_MAX_FAILURES failures, back-off LOGIN_BACKOFF_BASE_MS (1 s), then
 *   doubling up to 15 min;
 * - IP, whatever the username: the same after LOGIN_IP_MAX_FAILURES;
 * - everyone: at most LOGIN_GLOBAL_MAX_FAILURES per LOGIN_GLOBAL_WINDOW_S (bounds the argon2 work
 *   a password-spraying botnet can cause), then 429 until the window ends.
 * A success gives its charge back and forgets the username-and-IP counter.
 */
@Injectable()
export class LoginThrottle implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(LoginThrottle.name);
  private pruneTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly attempts: LoginAttemptsRepository,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  onModuleInit(): void {
    this.pruneTimer = setInterval(() => {
      this.attempts.prune(FORGET_AFTER_MS).catch((err: Error) => this.logger.warn(`pruning login_attempts failed: ${err.message}`));
    }, PRUNE_EVERY_MS);
    this.pruneTimer.unref();
  }

  onApplicationShutdown(): void {
    if (this.pruneTimer) clearInterval(this.pruneTimer);
  }

  /** Charges one attempt and answers 0, or answers how long to wait (ms) without charging. */
  take(username: string, ip: string): Promise<number> {
    return this.attempts.take(this.limits(username, ip));
  }

  /** The attempt succeeded: its charge is given back. */
  succeeded(username: string, ip: string): Promise<void> {
    const limits = this.limits(username, ip);
    return this.attempts.refund(limits, [userKey(username, ip)]);
  }

  private limits(username: string, ip: string): AttemptLimit[] {
    const c = this.config;
    return [
      { key: userKey(username, ip), mode: 'backoff', max: c.LOGIN_MAX_FAILURES, periodMs: FORGET_AFTER_MS, capMs: MAX_LOCK_MS, baseMs: c.LOGIN_BACKOFF_BASE_MS },
      { key: `ip:${ip}`, mode: 'backoff', max: c.LOGIN_IP_MAX_FAILURES, periodMs: FORGET_AFTER_MS, capMs: MAX_LOCK_MS, baseMs: c.LOGIN_BACKOFF_BASE_MS },
      { key: 'global', mode: 'window', max: c.LOGIN_GLOBAL_MAX_FAILURES, periodMs: c.LOGIN_GLOBAL_WINDOW_S * 1000, capMs: c.LOGIN_GLOBAL_WINDOW_S * 1000 },
    ];
  }
}

// Hashed: usernames are whatever a stranger sends; the key stays short and ASCII.
function userKey(username: string, ip: string): string {
  return `user:${createHash('sha256').update(`${username.toLowerCase()}\u0000${ip}`).digest('hex')}`;
}
