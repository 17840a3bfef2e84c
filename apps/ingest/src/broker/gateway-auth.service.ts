import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { GatewayRecord } from '@sw/persistence';
import { verifySecret } from '@sw/persistence';
import { INGEST_CONFIG, type IngestConfig } from '../config/ingest.config';
import { GatewayRegistryService } from '../gateways/gateway-registry.service';
import { MetricsService } from '../observability/metrics.service';
import { gatewayMayUseClientId } from './topic-acl';
import { type AttemptOutcome, MqttAuthThrottle } from './mqtt-auth-throttle.service';

export type Principal = { kind: 'gateway'; gateway: GatewayRecord } | { kind: 'service' };

/** Why an authenticated principal may not open this session (CONNACK 2 or 5). */
export interface SessionRefusal {
  returnCode: 2 | 5;
  reason: string;
}

interface CacheEntry {
  digest: Buffer;
  hash: string;
  expires: number;
}

/**
 * Checks MQTT credentials: gateways against their argon2id hash, the internal apps against the
 * service account. Recently verified gateway credentials are cached (SHA-256 of the secret, for
 * AUTH_CACHE_TTL_S, dropped when the stored hash changes), so a reconnect storm of thousands of
 * gateways does not cost thousands of ~20 ms argon2 checks.
 */
@Injectable()
export class GatewayAuthService {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly serviceDigest: Buffer;
  /** client ids the service account has used: never a gateway's, even when a code equals one */
  private readonly serviceClientIds = new Set<string>();

  constructor(
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
    private readonly registry: GatewayRegistryService,
    private readonly metrics: MetricsService,
    private readonly throttle: MqttAuthThrottle,
  ) {
    this.serviceDigest = sha256(config.SERVICE_MQTT_PASSWORD);
    registry.onChange((codes) => {
      for (const code of codes) this.cache.delete(code);
    });
  }

  /**
   * The principal, or null for wrong or unknown credentials (CONNACK 4) and for attempts the
   * back-off refuses (`MqttAuthThrottle`, keyed by username and the peer's IP).
   */
  async authenticate(username: string | undefined, password: Uint8Array | undefined, peer = 'unknown'): Promise<Principal | null> {
    if (!username || !password) return this.refuse('missing credentials');
    if (!(await this.throttle.take(username, peer))) return this.refuse('throttled');
    let outcome: AttemptOutcome = 'error';
    try {
      const principal = await this.check(username, password);
      outcome = principal ? 'ok' : 'failed';
      return principal;
    } finally {
      this.throttle.settle(username, peer, outcome);
    }
  }

  private async check(username: string, password: Uint8Array): Promise<Principal | null> {
    const digest = sha256(password);
    if (username === this.config.SERVICE_MQTT_USERNAME) {
      return timingSafeEqual(digest, this.serviceDigest) ? { kind: 'service' } : this.refuse('bad service password');
    }
    // a cache miss asks PostgreSQL before refusing: a gateway registered a moment ago can log in at once
    let gateway = this.registry.get(username) ?? (await this.registry.refresh(username));
    if (!gateway || gateway.protocol !== 'mqtt' || !gateway.secretHash) return this.refuse('unknown gateway');
    const cached = this.cache.get(username);
    const now = Date.now();
    if (cached && cached.expires > now && cached.hash === gateway.secretHash && timingSafeEqual(cached.digest, digest)) {
      return { kind: 'gateway', gateway };
    }
    if (!(await this.verify(gateway, password))) {
      // the secret may have been rotated a moment ago: check the stored hash before refusing
      const fresh = await this.registry.refresh(username);
      if (!fresh || fresh.secretHash === gateway.secretHash || !fresh.secretHash || !(await this.verify(fresh, password))) return this.refuse('bad gateway password');
      gateway = fresh;
    }
    if (this.config.AUTH_CACHE_TTL_S > 0 && gateway.secretHash) {
      this.cache.set(username, { digest, hash: gateway.secretHash, expires: now + this.config.AUTH_CACHE_TTL_S * 1000 });
    }
    return { kind: 'gateway', gateway };
  }

  /**
   * The session rule (README §Security): a gateway's client id is its code or `code:suffix`
   * ({@link gatewayMayUseClientId}) and never one a service session has used, and a gateway's
   * session is clean — a persistent one would queue its QoS 1 `errors` without bound while it is
   * away. The service account may use any id (alerting's partition sessions are persistent).
   */
  refuseSession(principal: Principal, clientId: string, clean: boolean): SessionRefusal | null {
    if (principal.kind === 'service') {
      if (this.serviceClientIds.size < 100_000) this.serviceClientIds.add(clientId);
      return null;
    }
    const { code } = principal.gateway;
    if (!gatewayMayUseClientId(code, clientId) || this.serviceClientIds.has(clientId)) {
      this.metrics.authFailures.inc({ reason: 'client id not allowed' });
      return { returnCode: 2, reason: `gateway ${code} may not use client id ${JSON.stringify(clientId)} (its code, or its code followed by ":" and a suffix)` };
    }
    if (!clean) {
      this.metrics.authFailures.inc({ reason: 'persistent session' });
      return { returnCode: 5, reason: `gateway ${code} must connect with a clean session` };
    }
    return null;
  }

  private verify(gateway: GatewayRecord, password: Uint8Array): Promise<boolean> {
    return verifySecret(gateway.secretHash as string, Buffer.from(password).toString('utf8'));
  }

  isServiceAccount(username: string): boolean {
    return username === this.config.SERVICE_MQTT_USERNAME;
  }

  private refuse(reason: string): null {
    this.metrics.authFailures.inc({ reason });
    return null;
  }
}

function sha256(value: string | Uint8Array): Buffer {
  return createHash('sha256').update(value).digest();
}
