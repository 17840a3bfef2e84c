import { randomBytes } from 'node:crypto';
import { ingestConfigSchema, loadIngestConfig } from './ingest.config';

const SERVICE_PASSWORD = randomBytes(18).toString('base64url');

const factory = {
  /** the smallest valid environment: only the one setting without a default */
  env: (overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv => ({
    SERVICE_MQTT_PASSWORD: SERVICE_PASSWORD,
    ...overrides,
  }),
};

const sut = loadIngestConfig;

describe(loadIngestConfig.name, () => {
  it('gives every setting but the service password a safe single-node default', () => {
    // docs/style.md §Edges: every setting has a safe default for the single-node mode
    const config = sut(factory.env());
    expect(config).toMatchObject({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/safety_watch',
      INFLUX_URL: 'http://127.0.0.1:8086',
      INFLUX_DB: 'safety_watch',
      INFLUX_RETENTION_DAYS: 400,
      BROKER_MODE: 'embedded',
      MQTT_BIND: '0.0.0.0',
      MQTT_PORT: 1883,
      SERVICE_MQTT_USERNAME: 'svc.platform',
      INGEST_HTTP_PORT: 3001,
      INGEST_HTTP_BIND: '127.0.0.1',
      READING_PARTITIONS: 16,
      AUTH_CACHE_TTL_S: 600,
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
    });
    expect(config.MQTTS_PORT).toBeUndefined();
    expect(config.MQTT_WS_PORT).toBeUndefined();
  });

  it('polls Modbus devices by default and can be told not to (one replica polls)', () => {
    // docs/contracts.md §2 + docs/architecture.md: Modbus TCP polling is ingest's
    expect(sut(factory.env())).toMatchObject({ MODBUS_POLLING: true, MODBUS_BACKOFF_MIN_MS: 500, MODBUS_BACKOFF_MAX_MS: 30_000 });
    expect(sut(factory.env({ MODBUS_POLLING: 'false' })).MODBUS_POLLING).toBe(false);
    expect(() => sut(factory.env({ MODBUS_POLLING: 'maybe' }))).toThrow(/MODBUS_POLLING/);
  });

  it('bounds the embedded broker by default', () => {
    // README §Security (issue 18 item 2): packet sizes, connections, per-IP rate, subscriptions
    expect(sut(factory.env())).toMatchObject({
      MQTT_MAX_CONNECT_BYTES: 4096,
      MQTT_MAX_PACKET_BYTES: 278_528,
      MQTT_MAX_SERVICE_PACKET_BYTES: 16 * 1024 * 1024,
      MQTT_MAX_CONNECTIONS: 20_000,
      MQTT_CONNECT_RATE_PER_IP: 50,
      MQTT_CONNECT_BURST_PER_IP: 500,
      MQTT_MAX_SUBSCRIPTIONS: 8,
    });
  });

  it('polls Modbus devices on loopback and private networks only by default, and names a bad CIDR', () => {
    // README §Security (issue 18 item 8): MODBUS_ALLOWED_CIDRS
    expect(sut(factory.env()).MODBUS_ALLOWED_CIDRS).toBe('127.0.0.0/8,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,100.64.0.0/10,::1/128,fc00::/7');
    expect(sut(factory.env({ MODBUS_ALLOWED_CIDRS: '10.20.0.0/16' })).MODBUS_ALLOWED_CIDRS).toBe('10.20.0.0/16');
    expect(() => sut(factory.env({ MODBUS_ALLOWED_CIDRS: '10.20.0.0/16,plc-net' }))).toThrow('MODBUS_ALLOWED_CIDRS: not a CIDR: plc-net');
  });

  it('reads numbers from their environment strings', () => {
    // docs/contracts.md §1: MQTT listeners are configurable (environment values are strings)
    const config = sut(factory.env({ MQTT_PORT: '11883', MQTT_WS_PORT: '8083', AUTH_CACHE_TTL_S: '0' }));
    expect(config.MQTT_PORT).toBe(11883);
    expect(config.MQTT_WS_PORT).toBe(8083);
    expect(config.AUTH_CACHE_TTL_S).toBe(0);
  });

  it('requires SERVICE_MQTT_PASSWORD and names it', () => {
    // docs/style.md §Edges: the service account's password is the one setting that cannot have a safe default
    expect(() => sut(factory.env({ SERVICE_MQTT_PASSWORD: undefined }))).toThrow(/invalid ingest configuration[\s\S]*SERVICE_MQTT_PASSWORD/);
  });

  it('refuses a short, placeholder or predictable SERVICE_MQTT_PASSWORD or INFLUX_PASSWORD with a clear message (libs/secrets)', () => {
    expect(() => sut(factory.env({ SERVICE_MQTT_PASSWORD: 'Ab1'.repeat(5) }))).toThrow('SERVICE_MQTT_PASSWORD: SERVICE_MQTT_PASSWORD has 15 characters; at least 16 are required');
    expect(() => sut(factory.env({ SERVICE_MQTT_PASSWORD: 'change-me-to-a-long-random-secret' }))).toThrow(/SERVICE_MQTT_PASSWORD: SERVICE_MQTT_PASSWORD is a placeholder/);
    expect(() => sut(factory.env({ SERVICE_MQTT_PASSWORD: 'x'.repeat(40) }))).toThrow(/SERVICE_MQTT_PASSWORD: SERVICE_MQTT_PASSWORD is too predictable/);
    expect(() => sut(factory.env({ INFLUX_PASSWORD: 'change-me-influx-v1-password' }))).toThrow(/INFLUX_PASSWORD: INFLUX_PASSWORD is a placeholder/);
    const strong = randomBytes(12).toString('base64url');
    expect(sut(factory.env({ SERVICE_MQTT_PASSWORD: strong })).SERVICE_MQTT_PASSWORD).toBe(strong);
  });

  it('needs TLS_CERT_FILE and TLS_KEY_FILE for MQTTS_PORT', () => {
    // docs/contracts.md §1: TLS (MQTTS) is available when configured, and only then
    const reason = /MQTTS_PORT needs TLS_CERT_FILE and TLS_KEY_FILE/;
    expect(() => sut(factory.env({ MQTTS_PORT: '8883' }))).toThrow(reason);
    expect(() => sut(factory.env({ MQTTS_PORT: '8883', TLS_CERT_FILE: '/tls/cert.pem' }))).toThrow(reason);
    expect(() => sut(factory.env({ MQTTS_PORT: '8883', TLS_KEY_FILE: '/tls/key.pem' }))).toThrow(reason);
    const config = sut(factory.env({ MQTTS_PORT: '8883', TLS_CERT_FILE: '/tls/cert.pem', TLS_KEY_FILE: '/tls/key.pem' }));
    expect(config.MQTTS_PORT).toBe(8883);
  });

  it('refuses TLS files without MQTTS_PORT, which would silently serve no TLS', () => {
    // docs/contracts.md §1: a configured TLS listener is either fully there or the start-up fails
    expect(() => sut(factory.env({ TLS_CERT_FILE: '/tls/cert.pem', TLS_KEY_FILE: '/tls/key.pem' }))).toThrow(/MQTTS_PORT/);
  });

  it.each([
    ['MQTT_PORT', 'abc'],
    ['MQTT_PORT', '70000'],
    ['MQTT_PORT', '1883.5'],
    ['INFLUX_URL', 'not a url'],
    ['INFLUX_DB', 'drop; database'],
    ['INFLUX_RETENTION_DAYS', '0'],
    ['BROKER_MODE', 'cluster'],
    ['READING_PARTITIONS', '0'],
    ['AUTH_CACHE_TTL_S', '-1'],
    ['SPOOL_MAX_BYTES', '10'],
    ['MQTT_MAX_CONNECT_BYTES', '100'],
    ['MQTT_MAX_SUBSCRIPTIONS', '0'],
    ['LOG_LEVEL', 'loud'],
  ])('names the variable of a bad value (%s=%s)', (name, value) => {
    // docs/style.md §Edges: the environment is parsed once at boot; a bad value stops it, naming its variable
    expect(() => sut(factory.env({ [name]: value }))).toThrow(new RegExp(`\\n  ${name}: `));
  });

  it('reports every bad setting at once', () => {
    // docs/style.md §Edges: the environment is parsed once at boot, so one start reports every bad setting
    let message = '';
    try {
      sut({ MQTT_PORT: 'abc', BROKER_MODE: 'cluster' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/MQTT_PORT: /);
    expect(message).toMatch(/BROKER_MODE: /);
    expect(message).toMatch(/SERVICE_MQTT_PASSWORD: /);
  });
});

describe('ingestConfigSchema', () => {
  it('parses the same defaults the loader returns, for tests and tools that build a config directly', () => {
    // docs/style.md §Edges: one schema per app, with a safe default for every setting
    const sutSchema = ingestConfigSchema;
    expect(sutSchema.parse(factory.env())).toEqual(loadIngestConfig(factory.env()));
  });
});
