import { createHash, randomBytes } from 'node:crypto';

// Crockford base32: no I, L, O, U, so a code read aloud or copied by hand is unambiguous
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A 举报 tracking code: 20 base32 characters = 100 random bits, shown to the reporter once. */
export function newTrackingCode(): string {
  const bytes = randomBytes(20);
  let code = '';
  for (const b of bytes) code += ALPHABET[b & 31];
  return code;
}

/** What the database keeps of a tracking code (the code itself is never stored). */
export function hashTrackingCode(normalized: string): string {
  return createHash('sha256').update(normalized, 'utf8').digest('hex');
}

/** A posting-page token: 32 random bytes, base64url (43 characters). */
export function newPostingToken(): string {
  return randomBytes(32).toString('base64url');
}
