import { randomBytes } from 'node:crypto';
import { loadAlertingConfig } from './alerting.config';

const PASSWORD = randomBytes(18).toString('base64url');

describe(loadAlertingConfig.name, () => {
  it('gives single-node defaults and needs only the service password', () => {
    const sut = loadAlertingConfig({ SERVICE_MQTT_PASSWORD: PASSWORD });
    expect(sut).toMatchObject({
      BROKER_URL: 'mqtt://127.0.0.1:1883',
      SERVICE_MQTT_USERNAME: 'svc.platform',
      ALERTING_HTTP_PORT: 3002,
      ALERTING_HTTP_BIND: '127.0.0.1',
      ALERTING_TIME_SCALE: 1,
      READING_PARTITIONS: 16,
    });
    expect(sut.ALERTING_MQTT_CLIENT_ID).toMatch(/^alerting-/);
  });

  it('refuses a missing or short service password and a time scale below 1, naming each', () => {
    expect(() => loadAlertingConfig({})).toThrow(/SERVICE_MQTT_PASSWORD/);
    expect(() => loadAlertingConfig({ SERVICE_MQTT_PASSWORD: 'short' })).toThrow(/SERVICE_MQTT_PASSWORD has 5 characters; at least 16 are required/);
    expect(() => loadAlertingConfig({ SERVICE_MQTT_PASSWORD: 'change-me-to-a-long-random-secret' })).toThrow(/SERVICE_MQTT_PASSWORD: SERVICE_MQTT_PASSWORD is a placeholder/);
    expect(() => loadAlertingConfig({ SERVICE_MQTT_PASSWORD: PASSWORD, ALERTING_TIME_SCALE: '0.5' })).toThrow(/ALERTING_TIME_SCALE/);
  });

  it('refuses placeholder vendor credentials but otherwise takes the vendor format', () => {
    expect(() => loadAlertingConfig({ SERVICE_MQTT_PASSWORD: PASSWORD, WECHAT_APP_SECRET: 'change-me' })).toThrow(/WECHAT_APP_SECRET: WECHAT_APP_SECRET is a placeholder/);
    expect(loadAlertingConfig({ SERVICE_MQTT_PASSWORD: PASSWORD, TENCENT_SECRET_KEY: 'abcdefgh' }).TENCENT_SECRET_KEY).toBe('abcdefgh');
  });

  it('reads numbers from strings', () => {
    const sut = loadAlertingConfig({ SERVICE_MQTT_PASSWORD: PASSWORD, ALERTING_TIME_SCALE: '60', ALERTING_HTTP_PORT: '0' });
    expect(sut.ALERTING_TIME_SCALE).toBe(60);
    expect(sut.ALERTING_HTTP_PORT).toBe(0);
  });
});
