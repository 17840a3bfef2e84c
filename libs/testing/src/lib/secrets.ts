import { randomBytes } from 'node:crypto';

/**
 * A random secret that passes the platform's secret rule (libs/secrets): base64url of `bytes`
 * random bytes. Tests never use a fixed or guessable password, key or token.
 */
export function randomSecret(bytes = 32): string {
  for (;;) {
    const s = randomBytes(bytes).toString('base64url');
    // base64url of random bytes always has ≥ 2 character classes at these lengths, but never retry forever on bad luck
    if (/[a-z]/.test(s) && /[A-Z0-9_-]/.test(s) && !/change[-_ .]?me/i.test(s)) return s;
  }
}
