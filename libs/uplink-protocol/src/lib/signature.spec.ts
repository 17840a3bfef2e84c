import { REPLAY_WINDOW_S, SIGNATURE_HEADERS, signRequest, verifyRequest, type NonceSeen } from './signature';

// docs/contracts.md §6 "Signature": key id, timestamp, nonce, body hash, HMAC-SHA256; replay window
describe('signRequest / verifyRequest', () => {
  const key = { id: 'k1', secret: 'a-long-test-secret-value-0123456789' };
  const req = { method: 'POST', path: '/v1/batches', body: '{"version":1}' };
  const now = 1_800_000_000_000;
  const nonce = 'nonce-0123456789abcdef';
  const fresh = (): NonceSeen => {
    const seen = new Set<string>();
    return (k, n) => (seen.has(`${k}|${n}`) ? true : (seen.add(`${k}|${n}`), false));
  };
  const secretOf = (id: string) => (id === key.id ? key.secret : undefined);

  it('accepts a request it signed, once', () => {
    const sut = signRequest(req, key, now, nonce);
    const seen = fresh();
    expect(verifyRequest(req, sut, secretOf, now + 1000, seen)).toBeNull();
    expect(verifyRequest(req, sut, secretOf, now + 2000, seen)).toBe('NONCE_REPLAYED');
  });

  it('refuses a wrong secret, a changed body, an unknown key, a stale timestamp and a missing header', () => {
    const sut = signRequest(req, key, now, nonce);
    expect(verifyRequest(req, signRequest(req, { id: 'k1', secret: 'another-secret-value-0123456789ab' }, now, nonce), secretOf, now, fresh())).toBe('SIGNATURE_INVALID');
    expect(verifyRequest({ ...req, body: '{"version":2}' }, sut, secretOf, now, fresh())).toBe('BODY_HASH_MISMATCH');
    const otherBody = { ...req, body: '{"version":2}' };
    expect(verifyRequest(otherBody, { ...sut, [SIGNATURE_HEADERS.contentSha256]: signRequest(otherBody, key, now, nonce)[SIGNATURE_HEADERS.contentSha256] as string }, secretOf, now, fresh())).toBe('SIGNATURE_INVALID');
    expect(verifyRequest(req, signRequest(req, { ...key, id: 'k2' }, now, nonce), secretOf, now, fresh())).toBe('UNKNOWN_KEY');
    expect(verifyRequest(req, sut, secretOf, now + (REPLAY_WINDOW_S + 2) * 1000, fresh())).toBe('TIMESTAMP_SKEW');
    const noNonce = Object.fromEntries(Object.entries(sut).filter(([k]) => k !== SIGNATURE_HEADERS.nonce));
    expect(verifyRequest(req, noNonce, secretOf, now, fresh())).toBe('MISSING_HEADER');
    expect(verifyRequest({ ...req, path: '/v1/other' }, sut, secretOf, now, fresh())).toBe('SIGNATURE_INVALID');
  });
});
