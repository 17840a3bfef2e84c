import { hasInternalAccess, internalAccessRefusal } from './internal-access';

const req = (remoteAddress: string, headers: Record<string, string> = {}) => ({ headers, socket: { remoteAddress } });

describe(hasInternalAccess.name, () => {
  it('without a token: this host only, and not through a proxy on it', () => {
    expect(hasInternalAccess(req('127.0.0.1'), undefined)).toBe(true);
    expect(hasInternalAccess(req('::ffff:127.0.0.1'), undefined)).toBe(true);
    expect(hasInternalAccess(req('10.0.0.5'), undefined)).toBe(false);
    expect(hasInternalAccess(req('127.0.0.1', { 'x-forwarded-for': '203.0.113.9' }), undefined)).toBe(false);
  });

  it('with a token: the bearer token from anywhere, nothing else, loopback included', () => {
    const token = 'metrics-token-0123456789abcdef';
    expect(hasInternalAccess(req('203.0.113.9', { authorization: `Bearer ${token}` }), token)).toBe(true);
    expect(hasInternalAccess(req('203.0.113.9', { authorization: `Bearer ${token}x` }), token)).toBe(false);
    expect(hasInternalAccess(req('127.0.0.1'), token)).toBe(false);
    expect(internalAccessRefusal(token)).toMatch(/METRICS_TOKEN bearer token/);
    expect(internalAccessRefusal(undefined)).toMatch(/this host only/);
  });
});
