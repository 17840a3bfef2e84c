import type * as Persistence from '@sw/persistence';
import { hashSecret, verifySecret, type GatewayRecord } from '@sw/persistence';
import { ingestConfigSchema, type IngestConfig } from '../config/ingest.config';
import type { GatewayRegistryService, RegistryChangeHandler } from '../gateways/gateway-registry.service';
import { MetricsService } from '../observability/metrics.service';
import { GatewayAuthService } from './gateway-auth.service';

// The real argon2 check, observed: a call to verifySecret is a full hash check.
jest.mock('@sw/persistence', () => {
  const actual = jest.requireActual<typeof Persistence>('@sw/persistence');
  return { ...actual, verifySecret: jest.fn(actual.verifySecret) };
});
const argon2Checks = jest.mocked(verifySecret);

const SECRET = 'gateway-secret-one-0123456789';
const ROTATED = 'gateway-secret-two-0123456789';
const SERVICE_PASSWORD = 'service-password-0123';
let secretHash: string;
let rotatedHash: string;

beforeAll(async () => {
  [secretHash, rotatedHash] = await Promise.all([hashSecret(SECRET), hashSecret(ROTATED)]);
});
beforeEach(() => argon2Checks.mockClear());
afterEach(() => jest.restoreAllMocks());

/** The registry as the service uses it: a lookup by code, a refresh from PostgreSQL, change notifications. */
class FakeRegistry implements Pick<GatewayRegistryService, 'get' | 'onChange' | 'refresh'> {
  readonly gateways = new Map<string, GatewayRecord>();
  /** Rows committed to PostgreSQL whose NOTIFY the cache has not applied yet. */
  readonly committed = new Map<string, GatewayRecord>();
  refreshes = 0;

  refresh(code: string): Promise<GatewayRecord | undefined> {
    this.refreshes++;
    const row = this.committed.get(code);
    if (row) this.gateways.set(code, row);
    return Promise.resolve(this.gateways.get(code));
  }
  private readonly handlers: RegistryChangeHandler[] = [];

  get(code: string): GatewayRecord | undefined {
    return this.gateways.get(code);
  }

  onChange(handler: RegistryChangeHandler): void {
    this.handlers.push(handler);
  }

  /** What the real registry does after a NOTIFY reload. */
  changed(...codes: string[]): void {
    for (const handler of this.handlers) handler(new Set(codes));
  }
}

const factory = {
  config: (overrides: Partial<Record<keyof IngestConfig, unknown>> = {}): IngestConfig =>
    ingestConfigSchema.parse({ SERVICE_MQTT_PASSWORD: SERVICE_PASSWORD, ...overrides }),
  gateway: (overrides: Partial<GatewayRecord> = {}): GatewayRecord => ({
    id: '00000000-0000-4000-8000-000000000001',
    code: 'GW-1',
    protocol: 'mqtt',
    enterpriseId: '00000000-0000-4000-8000-0000000000e1',
    regionCode: '320500',
    secretHash,
    modbus: null,
    points: new Map(),
    ...overrides,
  }),
  password: (s: string) => Buffer.from(s, 'utf8'),
  sut: (opts: { config?: IngestConfig; gateways?: GatewayRecord[] } = {}) => {
    const registry = new FakeRegistry();
    for (const g of opts.gateways ?? [factory.gateway()]) registry.gateways.set(g.code, g);
    const metrics = new MetricsService();
    const sut = new GatewayAuthService(opts.config ?? factory.config(), registry as unknown as GatewayRegistryService, metrics);
    return { sut, registry, metrics };
  },
};

async function failures(metrics: MetricsService): Promise<Record<string, number>> {
  const { values } = await metrics.authFailures.get();
  return Object.fromEntries(values.map((v) => [String(v.labels['reason']), v.value]));
}

describe(GatewayAuthService.name, () => {
  it('accepts a gateway with its code and its secret', async () => {
    // CONTRACTS.md §1: username = the gateway's code, password = the secret issued at registration
    const { sut, registry } = factory.sut();
    const principal = await sut.authenticate('GW-1', factory.password(SECRET));
    expect(principal).toEqual({ kind: 'gateway', gateway: registry.get('GW-1') });
    expect(argon2Checks).toHaveBeenCalledTimes(1);
  });

  it('refuses a wrong secret and counts the failure', async () => {
    // CONTRACTS.md §1: wrong credentials → CONNACK 4; ARCHITECTURE.md nothing lost: a rejection is counted
    const { sut, metrics } = factory.sut();
    expect(await sut.authenticate('GW-1', factory.password('not-the-secret'))).toBeNull();
    expect(await failures(metrics)).toEqual({ 'bad gateway password': 1 });
  });

  it('refuses unknown gateways, Modbus gateways and gateways without a secret', async () => {
    // CONTRACTS.md §1: unknown credentials → CONNACK 4; only registered MQTT gateways have a secret
    const { sut, metrics } = factory.sut({
      gateways: [factory.gateway({ code: 'MB-1', protocol: 'modbus-tcp' }), factory.gateway({ code: 'GW-2', secretHash: null })],
    });
    expect(await sut.authenticate('GW-9', factory.password(SECRET))).toBeNull();
    expect(await sut.authenticate('MB-1', factory.password(SECRET))).toBeNull();
    expect(await sut.authenticate('GW-2', factory.password(SECRET))).toBeNull();
    expect(await failures(metrics)).toEqual({ 'unknown gateway': 3 });
    expect(argon2Checks).not.toHaveBeenCalled();
  });

  it('refuses missing credentials', async () => {
    // CONTRACTS.md §1: a gateway authenticates with username and password
    const { sut, metrics } = factory.sut();
    expect(await sut.authenticate(undefined, factory.password(SECRET))).toBeNull();
    expect(await sut.authenticate('GW-1', undefined)).toBeNull();
    expect(await sut.authenticate('', factory.password(SECRET))).toBeNull();
    expect(await failures(metrics)).toEqual({ 'missing credentials': 3 });
  });

  it('accepts the service account with its password and refuses a wrong one', async () => {
    // ARCHITECTURE.md broker: internal apps connect with service credentials from the environment
    const { sut, metrics } = factory.sut();
    expect(await sut.authenticate('svc.platform', factory.password(SERVICE_PASSWORD))).toEqual({ kind: 'service' });
    expect(await sut.authenticate('svc.platform', factory.password(`${SERVICE_PASSWORD}x`))).toBeNull();
    expect(await sut.authenticate('svc.platform', factory.password(''))).toBeNull();
    expect(await failures(metrics)).toEqual({ 'bad service password': 2 });
    expect(sut.isServiceAccount('svc.platform')).toBe(true);
    expect(sut.isServiceAccount('GW-1')).toBe(false);
  });

  it('checks a recently verified secret from the cache, without argon2', async () => {
    // ARCHITECTURE.md Credentials: a reconnect storm does not cost thousands of full hash checks
    const { sut, registry } = factory.sut();
    await sut.authenticate('GW-1', factory.password(SECRET));
    const again = await sut.authenticate('GW-1', factory.password(SECRET));
    expect(again).toEqual({ kind: 'gateway', gateway: registry.get('GW-1') });
    expect(argon2Checks).toHaveBeenCalledTimes(1);
  });

  it('never lets a wrong secret through the cache', async () => {
    // CONTRACTS.md §1: wrong credentials are refused, cached or not
    const { sut, metrics } = factory.sut();
    await sut.authenticate('GW-1', factory.password(SECRET));
    expect(await sut.authenticate('GW-1', factory.password('not-the-secret'))).toBeNull();
    expect(argon2Checks).toHaveBeenCalledTimes(2);
    expect(await failures(metrics)).toEqual({ 'bad gateway password': 1 });
    expect(await sut.authenticate('GW-1', factory.password(SECRET))).not.toBeNull();
    expect(argon2Checks).toHaveBeenCalledTimes(2);
  });

  it('drops the cache entry when the registry reports the gateway changed', async () => {
    // ARCHITECTURE.md Credentials: the cache is short-lived and follows the registry
    const { sut, registry } = factory.sut();
    await sut.authenticate('GW-1', factory.password(SECRET));
    registry.changed('GW-2');
    await sut.authenticate('GW-1', factory.password(SECRET));
    expect(argon2Checks).toHaveBeenCalledTimes(1);
    registry.changed('GW-1');
    await sut.authenticate('GW-1', factory.password(SECRET));
    expect(argon2Checks).toHaveBeenCalledTimes(2);
  });

  it('refuses the old secret after a rotation even before the registry announces it', async () => {
    // CONTRACTS.md §1: the secret is rotatable; the cache is dropped when the stored hash differs
    const { sut, registry, metrics } = factory.sut();
    await sut.authenticate('GW-1', factory.password(SECRET));
    registry.gateways.set('GW-1', factory.gateway({ secretHash: rotatedHash }));
    expect(await sut.authenticate('GW-1', factory.password(SECRET))).toBeNull();
    expect(await failures(metrics)).toEqual({ 'bad gateway password': 1 });
    expect(await sut.authenticate('GW-1', factory.password(ROTATED))).not.toBeNull();
    expect(argon2Checks).toHaveBeenCalledTimes(3);
  });

  it('checks argon2 again once AUTH_CACHE_TTL_S has passed', async () => {
    // ARCHITECTURE.md Credentials: the cache is short-lived (AUTH_CACHE_TTL_S)
    const now = jest.spyOn(Date, 'now').mockReturnValue(1_000_000);
    const { sut } = factory.sut({ config: factory.config({ AUTH_CACHE_TTL_S: 60 }) });
    await sut.authenticate('GW-1', factory.password(SECRET));
    now.mockReturnValue(1_000_000 + 59_999);
    await sut.authenticate('GW-1', factory.password(SECRET));
    expect(argon2Checks).toHaveBeenCalledTimes(1);
    now.mockReturnValue(1_000_000 + 60_000);
    await sut.authenticate('GW-1', factory.password(SECRET));
    expect(argon2Checks).toHaveBeenCalledTimes(2);
  });

  it('does not cache at all with AUTH_CACHE_TTL_S=0', async () => {
    // ARCHITECTURE.md Credentials: the cache is a setting; 0 turns it off
    const { sut } = factory.sut({ config: factory.config({ AUTH_CACHE_TTL_S: 0 }) });
    for (let i = 0; i < 3; i++) expect(await sut.authenticate('GW-1', factory.password(SECRET))).not.toBeNull();
    expect(argon2Checks).toHaveBeenCalledTimes(3);
  });

  it('lets a gateway registered a moment ago log in before its NOTIFY is applied (read-your-writes)', async () => {
    // issue 14: once POST …/gateways returned, the gateway can log in
    const { sut, registry } = factory.sut({ gateways: [] });
    registry.committed.set('GW-NEW', factory.gateway({ code: 'GW-NEW' }));
    expect(await sut.authenticate('GW-NEW', factory.password(SECRET))).toEqual({ kind: 'gateway', gateway: registry.committed.get('GW-NEW') });
    expect(registry.get('GW-NEW')).toBeDefined(); // cached from now on
  });

  it('accepts a secret rotated a moment ago, checking PostgreSQL once before refusing', async () => {
    // issue 14: a registration call (rotate-secret) takes effect once it returns
    const { sut, registry, metrics } = factory.sut();
    registry.committed.set('GW-1', factory.gateway({ secretHash: rotatedHash }));
    expect(await sut.authenticate('GW-1', factory.password(ROTATED))).not.toBeNull();
    expect(registry.refreshes).toBe(1);
    expect(await sut.authenticate('GW-1', factory.password(SECRET))).toBeNull();
    expect(await failures(metrics)).toEqual({ 'bad gateway password': 1 });
  });
});
