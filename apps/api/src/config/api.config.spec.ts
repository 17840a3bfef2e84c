import { randomBytes } from 'node:crypto';
import { loadApiConfig } from './api.config';

const random = (bytes: number) => randomBytes(bytes).toString('base64url');
const required = { JWT_SECRET: random(32), SERVICE_MQTT_PASSWORD: random(16) };

describe(loadApiConfig.name, () => {
  it('has single-node defaults for everything but the secrets', () => {
    const sut = loadApiConfig(required);
    expect(sut).toMatchObject({ API_PORT: 3000, API_BIND: '0.0.0.0', JWT_TTL_S: 28_800, BROKER_URL: 'mqtt://127.0.0.1:1883', SERVICE_MQTT_USERNAME: 'svc.platform', INFLUX_DB: 'safety_watch' });
    expect(sut.ADMIN_PASSWORD).toBeUndefined();
  });

  it('refuses a JWT secret under 32 characters or a missing one, with every reason', () => {
    expect(() => loadApiConfig({ ...required, JWT_SECRET: 'short' })).toThrow(/JWT_SECRET: JWT_SECRET has 5 characters; at least 32 are required/);
    expect(() => loadApiConfig({ SERVICE_MQTT_PASSWORD: required.SERVICE_MQTT_PASSWORD, API_PORT: 'eighty' })).toThrow(/API_PORT[\s\S]*JWT_SECRET/);
  });

  it('issue 18: refuses the placeholder and example secrets of every .env.example, naming the variable, never echoing the value', () => {
    const cases: [string, string][] = [
      ['JWT_SECRET', 'change-me-jwt-secret-0123456789abcdef0123456789abcdef'],
      ['SERVICE_MQTT_PASSWORD', 'change-me-service-mqtt-password'],
      ['SERVICE_MQTT_PASSWORD', 'change-me-at-least-12-chars'],
      ['ADMIN_PASSWORD', 'change-me-admin-password'],
      ['INFLUX_PASSWORD', 'change-me-influx-v1-password'],
      ['JWT_SECRET', 'a'.repeat(48)],
      ['ADMIN_PASSWORD', 'admin-pass'],
    ];
    for (const [name, value] of cases) {
      let message = '';
      try {
        loadApiConfig({ ...required, [name]: value });
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toMatch(new RegExp(`invalid api configuration:\\n  ${name}: ${name} (is a placeholder|is too predictable|has \\d+ characters)`));
      expect(message).not.toContain(value);
    }
  });

  it('treats empty settings from .env as unset', () => {
    expect(loadApiConfig({ ...required, ADMIN_PASSWORD: '', CORS_ORIGIN: '' })).toMatchObject({ ADMIN_PASSWORD: undefined, CORS_ORIGIN: undefined });
  });

  it('audit retention: 730 days by default, never below the six months of Cybersecurity Law art. 21', () => {
    expect(loadApiConfig(required)).toMatchObject({ AUDIT_RETENTION_DAYS: 730, IMPORT_MAX_BYTES: 32 * 1024 * 1024, IMPORT_MAX_ROWS: 50_000 });
    expect(() => loadApiConfig({ ...required, AUDIT_RETENTION_DAYS: '90' })).toThrow(/AUDIT_RETENTION_DAYS/);
  });
});
