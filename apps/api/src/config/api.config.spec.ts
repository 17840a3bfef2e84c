import { loadApiConfig } from './api.config';

const required = { JWT_SECRET: 'x'.repeat(32), SERVICE_MQTT_PASSWORD: 'service-password' };

describe(loadApiConfig.name, () => {
  it('has single-node defaults for everything but the secrets', () => {
    const sut = loadApiConfig(required);
    expect(sut).toMatchObject({ API_PORT: 3000, API_BIND: '0.0.0.0', JWT_TTL_S: 28_800, BROKER_URL: 'mqtt://127.0.0.1:1883', SERVICE_MQTT_USERNAME: 'svc.platform', INFLUX_DB: 'safety_watch' });
    expect(sut.ADMIN_PASSWORD).toBeUndefined();
  });

  it('refuses a JWT secret under 32 characters or a missing one, with every reason', () => {
    expect(() => loadApiConfig({ ...required, JWT_SECRET: 'short' })).toThrow(/JWT_SECRET must have at least 32 characters/);
    expect(() => loadApiConfig({ SERVICE_MQTT_PASSWORD: 'service-password', API_PORT: 'eighty' })).toThrow(/API_PORT[\s\S]*JWT_SECRET/);
  });

  it('treats empty settings from .env as unset', () => {
    expect(loadApiConfig({ ...required, ADMIN_PASSWORD: '', CORS_ORIGIN: '' })).toMatchObject({ ADMIN_PASSWORD: undefined, CORS_ORIGIN: undefined });
  });

  it('audit retention: 730 days by default, never below the six months of Cybersecurity Law art. 21', () => {
    expect(loadApiConfig(required)).toMatchObject({ AUDIT_RETENTION_DAYS: 730, IMPORT_MAX_BYTES: 32 * 1024 * 1024, IMPORT_MAX_ROWS: 50_000 });
    expect(() => loadApiConfig({ ...required, AUDIT_RETENTION_DAYS: '90' })).toThrow(/AUDIT_RETENTION_DAYS/);
  });
});
