import { Inject, Injectable } from '@nestjs/common';
import { type AttemptCounter, type AttemptLimit, charged, waitOf } from '@sw/persistence';
import { INGEST_CONFIG, type IngestConfig } from '../config/ingest.config';

const MAX_LOCK_MS = 15 * 60_000;
const FORGET_AFTER_MS = 3_600_000;
const MAX_ENTRIES = 100_000;

/**
 * Failed MQTT logins (issue 18: the service password had no attempt limit), in memory per ingest
 * process, with the same counters as the api's login throttle: per username and IP, after
 * MQTT_AUTH_MAX_FAILURES failures, and per IP after MQTT_AUTH_IP_MAX_FAILURES, every attempt
 * waits 1 s, 2 s, 4 s … up to 15 min, refused without any check meanwhile. An attempt is charged
 * before the secret is checked (the argon2 check of a gateway takes time, so parallel attempts
 * cannot outrun it); a success gives the charge back.
 */
@Injectable()
export class MqttAuthThrottle {
  private readonly counters = new Map<string, AttemptCounter>();

  constructor(@Inject(INGEST_CONFIG) private readonly config: IngestConfig) {}

  /** Charges one attempt and answers true, or answers false (locked) without charging. */
  take(username: string, ip: string): boolean {
    const now = Date.now();
    const limits = this.limits(username, ip);
    if (limits.some((l) => waitOf(l, this.counter(l.key, now), now) > 0)) return false;
    if (this.counters.size > MAX_ENTRIES) this.prune(now);
    for (const l of limits) this.counters.set(l.key, charged(l, this.counter(l.key, now), now));
    return true;
  }

  succeeded(username: string, ip: string): void {
    const [user, perIp] = this.limits(username, ip) as [AttemptLimit, AttemptLimit];
    this.counters.delete(user.key);
    const c = this.counters.get(perIp.key);
    if (c) this.counters.set(perIp.key, { ...c, failures: Math.max(0, c.failures - 1), lockedUntil: c.failures - 1 < perIp.max ? null : c.lockedUntil });
  }

  private limits(username: string, ip: string): AttemptLimit[] {
    return [
      { key: `user\u0000${username}\u0000${ip}`, mode: 'backoff', max: this.config.MQTT_AUTH_MAX_FAILURES, periodMs: FORGET_AFTER_MS, capMs: MAX_LOCK_MS },
      { key: `ip\u0000${ip}`, mode: 'backoff', max: this.config.MQTT_AUTH_IP_MAX_FAILURES, periodMs: FORGET_AFTER_MS, capMs: MAX_LOCK_MS },
    ];
  }

  private counter(key: string, now: number): AttemptCounter {
    return this.counters.get(key) ?? { failures: 0, windowStart: now, lockedUntil: null, lastAt: now };
  }

  private prune(now: number): void {
    for (const [key, c] of this.counters) {
      if ((c.lockedUntil === null || c.lockedUntil <= now) && now - c.lastAt > FORGET_AFTER_MS) this.counters.delete(key);
    }
  }
}
