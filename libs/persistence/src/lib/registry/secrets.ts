import { pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import * as argon2 from 'argon2';

const pbkdf2Async = promisify(pbkdf2);

/** argon2id with fixed, moderate parameters (OWASP: 19 MiB, t=2, p=1): ~20 ms a check here. */
const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
/** Mosquitto 2.x `$7$` format: PBKDF2-SHA512, 12-byte salt, 64-byte key. */
const MOSQUITTO_ITERATIONS = 20_000;

/** 24 random bytes, base64url: 32 characters, 192 bits. */
export function generateSecret(): string {
  return randomBytes(24).toString('base64url');
}

export function hashSecret(secret: string): Promise<string> {
  return argon2.hash(secret, ARGON2_OPTIONS);
}

export async function verifySecret(hash: string, secret: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, secret);
  } catch {
    return false; // a malformed hash never authenticates
  }
}

/** The secret hashed the way Mosquitto's password file expects (`mosquitto_passwd` compatible). */
export async function mosquittoHash(secret: string): Promise<string> {
  const salt = randomBytes(12);
  const key = await pbkdf2Async(secret, salt, MOSQUITTO_ITERATIONS, 64, 'sha512');
  return `$7$${MOSQUITTO_ITERATIONS}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyMosquittoHash(hash: string, secret: string): Promise<boolean> {
  const [, kind, iterations, salt, key] = hash.split('$');
  if (kind !== '7' || !iterations || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await pbkdf2Async(secret, Buffer.from(salt, 'base64'), Number(iterations), expected.length, 'sha512');
  return timingSafeEqual(actual, expected);
}
