import { randomBytes } from 'node:crypto';
import { apiConfigSchema } from '../config/api.config';
import { ReadingsThrottleService } from './readings-throttle.service';

// issue 18 item 8: history queries without a rate limit
describe(ReadingsThrottleService.name, () => {
  const config = apiConfigSchema.parse({ SERVICE_MQTT_PASSWORD: randomBytes(16).toString('base64url'), JWT_SECRET: randomBytes(32).toString('base64url'), READINGS_BURST: '3', READINGS_RATE_PER_MIN: '30' });
  let now = 0;
  const sut = new ReadingsThrottleService(config, () => now);

  it('grants a burst, then answers the wait for the next token (2 s at 30 a minute), per user', () => {
    expect([sut.take('u1'), sut.take('u1'), sut.take('u1')]).toEqual([0, 0, 0]);
    expect(sut.take('u1')).toBe(2000);
    expect(sut.take('u2')).toBe(0);
    now += 1000;
    expect(sut.take('u1')).toBe(1000);
    now += 1000;
    expect(sut.take('u1')).toBe(0);
    expect(sut.take('u1')).toBe(2000);
  });

  it('refills up to the burst, not beyond', () => {
    now += 3_600_000;
    expect([sut.take('u1'), sut.take('u1'), sut.take('u1'), sut.take('u1')]).toEqual([0, 0, 0, 2000]);
  });
});
