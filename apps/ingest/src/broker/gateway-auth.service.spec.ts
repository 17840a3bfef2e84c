import type * as Persistence from '@sw/persistence';
import { hashSecret, verifySecret, type GatewayRecord } from '@sw/persistence';
import { ingestConfigSchema, type IngestConfig } from '../config/ingest.config';
import type { GatewayRegistryService, RegistryChangeHandler } from '../gateways/gateway-registry.service';
import { MetricsService } from '../observability/metrics.service';
import { MqttAuthThrottle } from './mqtt-auth-throttle.service';
import { GatewayAuthService } from './gateway-auth.service';
import { randomSecret } from '@sw/testing';

// The real argon2 check, observed: a call to verifySecret is a full hash check.
jest.mock('@sw/persistence', () => {
  const actual = jest.requireActual<typeof Persistence>('@sw/persistence');
  return { ...actual, verifySecret: jest.fn(actual.verifySecret) };
});
const argon2Checks = jest.mocked(verifySecret);

const SECRET = 'gateway-secret-one-0123456789';
const ROTATED = 'gateway-secret-two-0123456789';
const SERVICE_PASSWORD = randomSecret();
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
    const config = opts.config ?? factory.config();
    const sut = new GatewayAuthService(config, registry as unknown as GatewayRegistryService, metrics, new MqttAuthThrottle(config));
    return { sut, registry, metrics };
  },
};

async function failures(metrics: MetricsService): Promise<Record<string, number>> {
  const { values } = await metrics.authFailures.get();
  return Object.fromEntries(values.map((v) => [String(v.labels['reason']), v.value]));
}

describe(GatewayAuthService.name, () => {
  it('accepts a gateway with its code and its secret', async () => {
    // docs/contracts.md §1: username = the gateway's code, password = the secret issued at registration
    const { sut, registry } = factory.sut();
    const principal = await sut.authenticate('GW-1', factory.password(SECRET));
    expect(principal).toEqual({ kind: 'gateway', gateway: registry.get('GW-1') });
    expect(argon2Checks).toHaveBeenCalledTimes(1);
  });

  it('refuses a wrong secret and counts the failure', async () => {
    // docs/contracts.md §1: wrong credentials → CONNACK 4; docs/architecture.md nothing lost: a rejection is counted
    const { sut, metrics } = factory.sut();
    expect(await sut.authenticate('GW-1', factory.password('not-the-secret'))).toBeNull();
    expect(await failures(metrics)).toEqual({ 'bad gateway password': 1 });
  });

  it('refuses unknown gateways, Modbus gateways and gateways without a secret', async () => {
    // docs/contracts.md §1: unknown credentials → CONNACK 4; only registered MQTT gateways have a secret
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
    // docs/contracts.md §1: a gateway authenticates with username and password
    const { sut, metrics } = factory.sut();
    expect(await sut.authenticate(undefined, factory.password(SECRET))).toBeNull();
    expect(await sut.authenticate('GW-1', undefined)).toBeNull();
    expect(await sut.authenticate('', factory.password(SECRET))).toBeNull();
    expect(await failures(metrics)).toEqual({ 'missing credentials': 3 });
  });

  it('accepts the service account with its password and refuses a wrong one', async () => {
    // docs/architecture.md broker: internal apps connect with service credentials from the environment
    const { sut, metrics } = factory.sut();
    expect(await sut.authenticate('svc.platform', factory.password(SERVICE_PASSWORD))).toEqual({ kind: 'service' });
    expect(await sut.authenticate('svc.platform', factory.password(`${SERVICE_PASSWORD}x`))).toBeNull();
    expect(await sut.authenticate('svc.platform', factory.password(''))).toBeNull();
    expect(await failures(metrics)).toEqual({ 'bad service password': 2 });
    expect(sut.isServiceAccount('svc.platform')).toBe(true);
    expect(sut.isServiceAccount('GW-1')).toBe(false);
  });

  it('checks a recently verified secret from the cache, without argon2', async () => {
    // docs/architecture.md Credentials: a reconnect storm does not cost thousands of full hash checks
    const { sut, registry } = factory.sut();
    await sut.authenticate('GW-1', factory.password(SECRET));
    const again = await sut.authenticate('GW-1', factory.password(SECRET));
    expect(again).toEqual({ kind: 'gateway', gateway: registry.get('GW-1') });
    expect(argon2Checks).toHaveBeenCalledTimes(1);
  });

  it('never lets a wrong secret through the cache', async () => {
    // docs/contracts.md §1: wrong credentials are refused, cached or not
    const { sut, metrics } = factory.sut();
    await sut.authenticate('GW-1', factory.password(SECRET));
    expect(await sut.authenticate('GW-1', factory.password('not-the-secret'))).toBeNull();
    expect(argon2Checks).toHaveBeenCalledTimes(2);
    expect(await failures(metrics)).toEqual({ 'bad gateway password': 1 });
    expect(await sut.authenticate('GW-1', factory.password(SECRET))).not.toBeNull();
    expect(argon2Checks).toHaveBeenCalledTimes(2);
  });

  it('drops the cache entry when the registry reports the gateway changed', async () => {
    // docs/architecture.md Credentials: the cache is short-lived and follows the registry
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
    // docs/contracts.md §1: the secret is rotatable; the cache is dropped when the stored hash differs
    const { sut, registry, metrics } = factory.sut();
    await sut.authenticate('GW-1', factory.password(SECRET));
    registry.gateways.set('GW-1', factory.gateway({ secretHash: rotatedHash }));
    expect(await sut.authenticate('GW-1', factory.password(SECRET))).toBeNull();
    expect(await failures(metrics)).toEqual({ 'bad gateway password': 1 });
    expect(await sut.authenticate('GW-1', factory.password(ROTATED))).not.toBeNull();
    expect(argon2Checks).toHaveBeenCalledTimes(3);
  });

  it('checks argon2 again once AUTH_CACHE_TTL_S has passed', async () => {
    // docs/architecture.md Credentials: the cache is short-lived (AUTH_CACHE_TTL_S)
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
    // docs/architecture.md Credentials: the cache is a setting; 0 turns it off
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

  it('issue 18: backs off the service account per username and IP after MQTT_AUTH_MAX_FAILURES, even for the right password', async () => {
    const now = jest.spyOn(Date, 'now').mockReturnValue(2_000_000);
    const { sut, metrics } = factory.sut({ config: factory.config({ MQTT_AUTH_MAX_FAILURES: 3 }) });
    for (let i = 0; i < 3; i++) expect(await sut.authenticate('svc.platform', factory.password('guess-0123456789'), '10.0.0.9')).toBeNull();
    expect(await sut.authenticate('svc.platform', factory.password(SERVICE_PASSWORD), '10.0.0.9')).toBeNull(); // locked 1 s
    expect(await sut.authenticate('svc.platform', factory.password(SERVICE_PASSWORD), '10.0.0.1')).toEqual({ kind: 'service' }); // another IP
    expect((await metrics.registry.getSingleMetric('ingest_auth_failures_total')?.get())?.values).toContainEqual(expect.objectContaining({ labels: { reason: 'throttled' }, value: 1 }));
    now.mockReturnValue(2_001_000);
    expect(await sut.authenticate('svc.platform', factory.password(SERVICE_PASSWORD), '10.0.0.9')).toEqual({ kind: 'service' });
  });

  it('issue 18: counts a gateway attempt before its argon2 check, so parallel guesses cost at most the limit', async () => {
    const { sut } = factory.sut({ config: factory.config({ MQTT_AUTH_MAX_FAILURES: 4 }) });
    const answers = await Promise.all(Array.from({ length: 30 }, () => sut.authenticate('GW-1', factory.password('not-the-secret'), '10.0.0.7')));
    expect(answers.every((a) => a === null)).toBe(true);
    expect(argon2Checks).toHaveBeenCalledTimes(4);
  });

  it('lets 200 gateways behind one address log in together: attempts beyond the limit wait for a check slot instead of being refused', async () => {
    // a plant's gateways behind one NAT address, or the fleet after an ingest restart: the right secret
    // must never be throttled. (Charging every attempt before its argon2 check refused the 51st.)
    const { sut, metrics } = factory.sut({ config: factory.config({ MQTT_AUTH_IP_MAX_FAILURES: 50 }) });
    const answers = await Promise.all(Array.from({ length: 200 }, () => sut.authenticate('GW-1', factory.password(SECRET), '10.0.0.6')));
    expect(answers.filter((a) => a === null)).toHaveLength(0);
    expect(await failures(metrics)).toEqual({});
  });

  it('issue 18: parallel guesses under many usernames from one address cost at most MQTT_AUTH_IP_MAX_FAILURES checks', async () => {
    const { sut } = factory.sut({ config: factory.config({ MQTT_AUTH_IP_MAX_FAILURES: 5 }) });
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => sut.authenticate(i % 2 ? 'GW-1' : `GW-X${i}`, factory.password('not-the-secret'), '10.0.0.4')));
    expect(answers.every((a) => a === null)).toBe(true);
    expect(argon2Checks.mock.calls.length).toBeLessThanOrEqual(5);
  });

  it('issue 18: backs off an IP trying many usernames after MQTT_AUTH_IP_MAX_FAILURES', async () => {
    const { sut } = factory.sut({ config: factory.config({ MQTT_AUTH_IP_MAX_FAILURES: 5 }) });
    for (let i = 0; i < 5; i++) expect(await sut.authenticate(`GW-X${i}`, factory.password('whatever'), '10.0.0.8')).toBeNull();
    expect(await sut.authenticate('GW-1', factory.password(SECRET), '10.0.0.8')).toBeNull();
    expect(await sut.authenticate('GW-1', factory.password(SECRET), '10.0.0.5')).not.toBeNull();
  });
});

describe(`${GatewayAuthService.name}.refuseSession`, () => {
  const gatewayPrincipal = (code = 'GW-1') => ({ kind: 'gateway' as const, gateway: factory.gateway({ code }) });

  it('lets a gateway open a clean session under its code or code:suffix', () => {
    // README §Security: a gateway's client id is its code, or its code, ":" and a suffix
    const { sut } = factory.sut();
    expect(sut.refuseSession(gatewayPrincipal(), 'GW-1', true)).toBeNull();
    expect(sut.refuseSession(gatewayPrincipal(), 'GW-1:backup', true)).toBeNull();
  });

  it('refuses another id with CONNACK 2 and counts it', async () => {
    // issue 18 item 1: a gateway connecting as `alerting-partition-3` (or as another gateway) kicks that session
    const { sut, metrics } = factory.sut();
    expect(sut.refuseSession(gatewayPrincipal(), 'alerting-partition-3', true)).toMatchObject({ returnCode: 2 });
    expect(sut.refuseSession(gatewayPrincipal(), 'GW-2', true)).toMatchObject({ returnCode: 2 });
    expect(await failures(metrics)).toEqual({ 'client id not allowed': 2 });
  });

  it('refuses a persistent gateway session with CONNACK 5', () => {
    // issue 18 item 2: a clean:false gateway session queues its QoS 1 errors without bound
    const { sut } = factory.sut();
    expect(sut.refuseSession(gatewayPrincipal(), 'GW-1', false)).toMatchObject({ returnCode: 5, reason: expect.stringMatching(/clean session/) });
  });

  it('lets the service account use any id, persistent too, and keeps that id from gateways', () => {
    // README §Security: every id that is not a gateway's is reserved for the service accounts;
    // a gateway whose code equals a service session's id still cannot take that session over
    const { sut } = factory.sut();
    expect(sut.refuseSession({ kind: 'service' }, 'alerting-partition-3', false)).toBeNull();
    expect(sut.refuseSession({ kind: 'service' }, 'GW-7', false)).toBeNull();
    expect(sut.refuseSession(gatewayPrincipal('GW-7'), 'GW-7', true)).toMatchObject({ returnCode: 2 });
  });
});
