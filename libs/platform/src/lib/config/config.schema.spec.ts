import { z } from 'zod';
import { databaseUrlSetting, metricsTokenSetting, optionalSetting, parseConfig, portSetting, secretSetting, shellSettings } from './config.schema';

describe('config settings', () => {
  it('ports are whole numbers from 0 to 65535, read from text', () => {
    expect(portSetting.parse('3001')).toBe(3001);
    expect(portSetting.safeParse('65536').success).toBe(false);
    expect(portSetting.safeParse('-1').success).toBe(false);
    expect(portSetting.safeParse('30.5').success).toBe(false);
  });

  it('a secret is refused with its name and the reason, never the value (libs/secrets)', () => {
    const result = secretSetting('JWT_SECRET', 'signing-key').safeParse('change-me-change-me-change-me-change-me');
    expect(result.success).toBe(false);
    const message = result.error?.issues[0]?.message ?? '';
    expect(message).toMatch(/^JWT_SECRET /);
    expect(message).not.toContain('change-me-change-me');
    expect(secretSetting('JWT_SECRET', 'signing-key').safeParse('Xk9#vQ2!mZ7@pL4$wR8%tY1^nB6&cH3*').success).toBe(true);
  });

  it('an empty optional setting is unset', () => {
    const schema = optionalSetting(z.string().min(3));
    expect(schema.parse('')).toBeUndefined();
    expect(schema.parse(undefined)).toBeUndefined();
    expect(schema.parse('abc')).toBe('abc');
    expect(schema.safeParse('ab').success).toBe(false);
  });

  it('METRICS_TOKEN: unset or empty = this host only; a set one has 24 characters at least', () => {
    expect(metricsTokenSetting.parse('')).toBeUndefined();
    expect(metricsTokenSetting.safeParse('short').error?.issues[0]?.message).toBe('METRICS_TOKEN must have at least 24 characters');
    expect(metricsTokenSetting.parse('x'.repeat(24))).toBe('x'.repeat(24));
  });

  it('single-node defaults: local PostgreSQL, info logs as JSON', () => {
    expect(databaseUrlSetting.parse(undefined)).toBe('postgres://postgres@127.0.0.1:5432/safety_watch');
    expect(z.object(shellSettings).parse({})).toEqual({ LOG_LEVEL: 'info', LOG_FORMAT: 'json' });
    expect(z.object(shellSettings).safeParse({ LOG_LEVEL: 'verbose' }).success).toBe(false);
  });
});

describe(parseConfig.name, () => {
  const schema = z.object({ PORT: portSetting.default(3000), NAME: z.string().min(2) });

  it('answers the typed config', () => {
    expect(parseConfig('demo', schema, { NAME: 'ok' })).toEqual({ PORT: 3000, NAME: 'ok' });
  });

  it('refuses with every reason, one a line, naming the app and each setting', () => {
    expect(() => parseConfig('demo', schema, { PORT: 'x', NAME: 'a' })).toThrow(/^invalid demo configuration:\n {2}PORT: .+\n {2}NAME: .+$/);
  });
});
