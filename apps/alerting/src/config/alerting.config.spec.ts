import { loadAlertingConfig } from './alerting.config';

describe(loadAlertingConfig.name, () => {
  it('gives single-node defaults and needs only the service password', () => {
    const sut = loadAlertingConfig({ SERVICE_MQTT_PASSWORD: 'a-long-enough-secret' });
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
    expect(() => loadAlertingConfig({ SERVICE_MQTT_PASSWORD: 'short' })).toThrow(/at least 12 characters/);
    expect(() => loadAlertingConfig({ SERVICE_MQTT_PASSWORD: 'a-long-enough-secret', ALERTING_TIME_SCALE: '0.5' })).toThrow(/ALERTING_TIME_SCALE/);
  });

  it('reads numbers from strings', () => {
    const sut = loadAlertingConfig({ SERVICE_MQTT_PASSWORD: 'a-long-enough-secret', ALERTING_TIME_SCALE: '60', ALERTING_HTTP_PORT: '0' });
    expect(sut.ALERTING_TIME_SCALE).toBe(60);
    expect(sut.ALERTING_HTTP_PORT).toBe(0);
  });
});
