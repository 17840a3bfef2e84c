import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { GatewayRecord } from '@sw/persistence';
import { verifySecret } from '@sw/persistence';
import { INGEST_CONFIG, type IngestConfig } from '../config/ingest.config';
import { GatewayRegistryService } from '../gateways/gateway-registry.service';
import { MetricsService } from '../observability/metrics.service';

export type Principal = { kind: 'gateway'; gateway: GatewayRecord } | { kind: 'service' };

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

  constructor(
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
    private readonly registry: GatewayRegistryService,
    private readonly metrics: MetricsService,
  ) {
    this.serviceDigest = sha256(config.SERVICE_MQTT_PASSWORD);
    registry.onChange((codes) => {
      for (const code of codes) this.cache.delete(code);
    });
  }

  /** The principal, or null for wrong or unknown credentials (CONNACK 4). */
  async authenticate(username: string | undefined, password: Uint8Array | undefined): Promise<Principal | null> {
    if (!username || !password) return this.refuse('missing credentials');
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
