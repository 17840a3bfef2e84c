import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Request headers of the signature (docs/contracts.md §6 "Signature"); names in lower case. */
export const SIGNATURE_HEADERS = {
  keyId: 'x-sw-key-id',
  timestamp: 'x-sw-timestamp',
  nonce: 'x-sw-nonce',
  contentSha256: 'x-sw-content-sha256',
  signature: 'x-sw-signature',
} as const;

export const SIGNATURE_ALGORITHM = 'SW1-HMAC-SHA256';
/** A request older or newer than this (seconds, against the province's clock) is refused; nonces are kept this long. */
export const REPLAY_WINDOW_S = 300;

export interface SignedRequest {
  method: string;
  /** Path with query string, as sent (`/v1/batches`). */
  path: string;
  body: string | Buffer;
}

export const sha256Hex = (body: string | Buffer): string => createHash('sha256').update(body).digest('hex');

/** The string that is signed: algorithm, key id, method, path, timestamp, nonce, body hash, one a line. */
export function canonicalRequest(req: SignedRequest, keyId: string, timestampS: number, nonce: string, bodySha256: string): string {
  return [SIGNATURE_ALGORITHM, keyId, req.method.toUpperCase(), req.path, String(timestampS), nonce, bodySha256].join('\n');
}

/** The headers that sign `req` with `secret` at `nowMs` (epoch ms); `nonce` is ≥ 16 random characters. */
export function signRequest(req: SignedRequest, key: { id: string; secret: string }, nowMs: number, nonce: string): Record<string, string> {
  const timestampS = Math.floor(nowMs / 1000);
  const bodySha256 = sha256Hex(req.body);
  const signature = createHmac('sha256', key.secret).update(canonicalRequest(req, key.id, timestampS, nonce, bodySha256)).digest('hex');
  return {
    [SIGNATURE_HEADERS.keyId]: key.id,
    [SIGNATURE_HEADERS.timestamp]: String(timestampS),
    [SIGNATURE_HEADERS.nonce]: nonce,
    [SIGNATURE_HEADERS.contentSha256]: bodySha256,
    [SIGNATURE_HEADERS.signature]: signature,
  };
}

export type SignatureRefusal = 'MISSING_HEADER' | 'UNKNOWN_KEY' | 'TIMESTAMP_SKEW' | 'NONCE_REPLAYED' | 'BODY_HASH_MISMATCH' | 'SIGNATURE_INVALID';

/** The receiver's memory of nonces: true when this one was already used (and remembers it otherwise). */
export type NonceSeen = (keyId: string, nonce: string, timestampS: number) => boolean;

/**
 * Checks a signed request the way the province does (docs/contracts.md §6): every header present,
 * a known key, the timestamp within ±REPLAY_WINDOW_S, the body's hash, the HMAC (constant-time),
 * then the nonce not seen before in the window. Returns the refusal code, or null when valid.
 */
export function verifyRequest(
  req: SignedRequest,
  headers: Record<string, string | string[] | undefined>,
  secretOf: (keyId: string) => string | undefined,
  nowMs: number,
  nonceSeen: NonceSeen,
): SignatureRefusal | null {
  const get = (name: string): string | undefined => {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const keyId = get(SIGNATURE_HEADERS.keyId);
  const ts = get(SIGNATURE_HEADERS.timestamp);
  const nonce = get(SIGNATURE_HEADERS.nonce);
  const bodyHash = get(SIGNATURE_HEADERS.contentSha256);
  const signature = get(SIGNATURE_HEADERS.signature);
  if (!keyId || !ts || !nonce || !bodyHash || !signature || !/^\d{1,12}$/.test(ts) || nonce.length < 16 || nonce.length > 128) return 'MISSING_HEADER';
  const secret = secretOf(keyId);
  if (secret === undefined) return 'UNKNOWN_KEY';
  const timestampS = Number(ts);
  if (Math.abs(nowMs / 1000 - timestampS) > REPLAY_WINDOW_S) return 'TIMESTAMP_SKEW';
  if (sha256Hex(req.body) !== bodyHash.toLowerCase()) return 'BODY_HASH_MISMATCH';
  const expected = createHmac('sha256', secret).update(canonicalRequest(req, keyId, timestampS, nonce, bodyHash.toLowerCase())).digest();
  const given = /^[0-9a-f]{64}$/i.test(signature) ? Buffer.from(signature, 'hex') : Buffer.alloc(0);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'SIGNATURE_INVALID';
  if (nonceSeen(keyId, nonce, timestampS)) return 'NONCE_REPLAYED';
  return null;
}
