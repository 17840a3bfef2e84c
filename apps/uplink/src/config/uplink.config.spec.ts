import { loadUplinkConfig } from './uplink.config';

describe(loadUplinkConfig.name, () => {
  const key = { UPLINK_ENDPOINT: 'https://province.test/uplink', UPLINK_KEY_ID: 'k1', UPLINK_SECRET: 'Zq8vN3kT0pLw7xYb2mRc5sHd9fJg4uAe' };

  it('runs idle without an endpoint, with the defaults of docs/contracts.md §6', () => {
    const sut = loadUplinkConfig({});
    expect(sut.UPLINK_ENDPOINT).toBeUndefined();
    expect(sut).toMatchObject({ UPLINK_READINGS_INTERVAL_S: 60, UPLINK_BATCH_SIZE: 100, UPLINK_HTTP_PORT: 3003, UPLINK_START_FROM: 'now' });
  });

  it('needs the key with an endpoint, refuses a placeholder secret and plain http to another host', () => {
    expect(() => loadUplinkConfig({ UPLINK_ENDPOINT: key.UPLINK_ENDPOINT })).toThrow(/UPLINK_KEY_ID and UPLINK_SECRET are required/);
    expect(() => loadUplinkConfig({ ...key, UPLINK_SECRET: 'change-me-to-a-long-random-secret' })).toThrow(/UPLINK_SECRET is a placeholder/);
    expect(() => loadUplinkConfig({ ...key, UPLINK_ENDPOINT: 'http://province.test/uplink' })).toThrow(/must be https/);
    expect(loadUplinkConfig({ ...key, UPLINK_ENDPOINT: 'http://127.0.0.1:8080' }).UPLINK_ENDPOINT).toBe('http://127.0.0.1:8080');
    expect(() => loadUplinkConfig({ ...key, UPLINK_BATCH_SIZE: '501' })).toThrow(/UPLINK_BATCH_SIZE/);
  });
});
