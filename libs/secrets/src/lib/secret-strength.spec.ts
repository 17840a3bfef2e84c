import { randomBytes } from 'node:crypto';
import { secretProblem, shannonBitsPerChar, weakSecrets } from './secret-strength';

describe(secretProblem.name, () => {
  const random = (bytes: number) => randomBytes(bytes).toString('base64url');

  it('accepts random base64 and hex secrets of the required length', () => {
    for (let i = 0; i < 200; i++) {
      expect(secretProblem(random(32), 'signing-key')).toBeNull();
      expect(secretProblem(randomBytes(32).toString('hex'), 'signing-key')).toBeNull();
      expect(secretProblem(random(12), 'password')).toBeNull(); // 16 characters
    }
  });

  it('refuses any value containing change-me, whatever the case or separator, for every kind', () => {
    for (const kind of ['signing-key', 'password', 'issued'] as const) {
      for (const v of ['change-me-jwt-secret-0123456789abcdef0123456789abcdef', `${random(32)}CHANGEME`, `x_Change_Me_${random(20)}`]) {
        expect(secretProblem(v, kind)).toMatch(/placeholder \(contains "change-me"\)/);
      }
    }
  });

  it('refuses a value copied from a .env.example even without change-me', () => {
    expect(secretProblem('safety_watch', 'issued')).toMatch(/value from a \.env\.example file/);
    expect(secretProblem('postgres://postgres@127.0.0.1:5432/safety_watch', 'password')).toMatch(/\.env\.example/);
  });

  it('refuses short values with the length required', () => {
    expect(secretProblem(random(23), 'signing-key')).toBe('has 31 characters; at least 32 are required');
    expect(secretProblem('Ab1!Cd2@Ef3#Gh4', 'password')).toBe('has 15 characters; at least 16 are required');
    expect(secretProblem('Ab1!Cd2@Ef3#Gh4$', 'password')).toBeNull();
    expect(secretProblem('x7', 'issued')).toBe('has 2 characters; at least 8 are required');
    expect(secretProblem('abcdefgh', 'issued')).toBeNull(); // a vendor's format is the vendor's
  });

  it('refuses low-entropy and single-class values of the required length', () => {
    expect(secretProblem('a'.repeat(64), 'signing-key')).toMatch(/too predictable: 0\.00 bits of entropy per character, at least 3/);
    expect(secretProblem('ab'.repeat(32), 'signing-key')).toMatch(/1\.00 bits/);
    expect(secretProblem('aA1'.repeat(11), 'signing-key')).toMatch(/1\.58 bits/); // three classes, but three characters
    expect(secretProblem('abcdefghijklmnopqrstuvwxyzabcdef', 'signing-key')).toMatch(/1 character class, at least 2/);
    expect(secretProblem('a'.repeat(64), 'issued')).toBeNull();
  });

  it('never puts the value in the reason', () => {
    for (const v of ['change-me-admin-password', 'short', 'a'.repeat(40), 'qwertyuiopasdfghjklzxcvbnm']) {
      expect(secretProblem(v, 'password')).not.toContain(v);
    }
  });
});

describe(shannonBitsPerChar.name, () => {
  it('is log2 of the alphabet for a uniform string and 0 for one repeated character', () => {
    expect(shannonBitsPerChar('0123456789abcdef')).toBeCloseTo(4, 10);
    expect(shannonBitsPerChar('zzzz')).toBe(0);
    expect(shannonBitsPerChar('')).toBe(0);
  });
});

describe(weakSecrets.name, () => {
  it('names each refused variable with its reason and skips unset optional ones', () => {
    const sut = weakSecrets(
      { JWT_SECRET: 'change-me-jwt-secret-0123456789abcdef0123456789abcdef', ADMIN_PASSWORD: 'short', INFLUX_PASSWORD: undefined, WECHAT_APP_SECRET: '' },
      [
        { name: 'JWT_SECRET', kind: 'signing-key' },
        { name: 'ADMIN_PASSWORD', kind: 'password' },
        { name: 'INFLUX_PASSWORD', kind: 'password' },
        { name: 'WECHAT_APP_SECRET', kind: 'issued' },
      ],
    );
    expect(sut).toEqual([expect.stringMatching(/^JWT_SECRET is a placeholder/), 'ADMIN_PASSWORD has 5 characters; at least 16 are required']);
  });
});
