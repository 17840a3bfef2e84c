import { EXAMPLE_VALUES } from './example-values';

/**
 * How strict a secret's check is:
 * - `signing-key`: a key only machines read (JWT_SECRET): ≥ 32 characters (RFC 7518 §3.2: an
 *   HS256 key as long as the hash) and the strength floor below;
 * - `password`: a password the platform itself sets (SERVICE_MQTT_PASSWORD, ADMIN_PASSWORD,
 *   INFLUX_PASSWORD): ≥ 16 characters and the strength floor;
 * - `issued`: a credential a vendor issues (SMS, WeChat): its format is the vendor's, so only the
 *   placeholder checks and 8 characters apply (every vendor's secrets are longer).
 */
export type SecretKind = 'signing-key' | 'password' | 'issued';

export const SECRET_MIN_LENGTH: Readonly<Record<SecretKind, number>> = { 'signing-key': 32, password: 16, issued: 8 };

/** Strength floor: Shannon entropy of the character distribution, bits per character. */
export const SECRET_MIN_BITS_PER_CHAR = 3;
/** Strength floor: character classes among lower case, upper case, digits and the rest. */
export const SECRET_MIN_CLASSES = 2;

const PLACEHOLDER = /change[-_ .]?me/i;

/**
 * Why `value` is refused as a secret of this kind, or null when it is accepted. The reason never
 * contains the value. Rules, in order: no `change-me` (any case, `changeme`, `change_me`); not a
 * value written in any `.env.example` of the repository; at least the kind's length; for
 * `signing-key` and `password` at least 3 bits of Shannon entropy per character and 2 character
 * classes (a random base64 or hex string passes; `aaaa…`, `abababab…` or an all-lowercase word
 * run do not).
 */
export function secretProblem(value: string, kind: SecretKind): string | null {
  if (PLACEHOLDER.test(value)) return 'is a placeholder (contains "change-me"): generate a random one, e.g. `openssl rand -base64 32`';
  if (EXAMPLE_VALUES.has(value)) return 'is a value from a .env.example file: generate a random one, e.g. `openssl rand -base64 32`';
  const min = SECRET_MIN_LENGTH[kind];
  const length = [...value].length;
  if (length < min) return `has ${length} characters; at least ${min} are required`;
  if (kind === 'issued') return null;
  const bits = shannonBitsPerChar(value);
  if (bits < SECRET_MIN_BITS_PER_CHAR) {
    return `is too predictable: ${bits.toFixed(2)} bits of entropy per character, at least ${SECRET_MIN_BITS_PER_CHAR} are required (use a random string)`;
  }
  const classes = characterClasses(value);
  if (classes < SECRET_MIN_CLASSES) {
    return `is too predictable: ${classes} character class, at least ${SECRET_MIN_CLASSES} of lower case, upper case, digits and symbols are required`;
  }
  return null;
}

/** Shannon entropy of the characters' frequency distribution, in bits per character. */
export function shannonBitsPerChar(value: string): number {
  const chars = [...value];
  if (chars.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const c of chars) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / chars.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

function characterClasses(value: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((re) => re.test(value)).length;
}

/** One secret setting of an app's configuration and how strictly it is checked. */
export interface SecretSetting {
  name: string;
  kind: SecretKind;
}

/**
 * The refusals for a parsed configuration, one line per refused variable (`NAME is …`); unset
 * optional secrets are not checked. Empty when every secret is accepted.
 */
export function weakSecrets(config: Readonly<Record<string, unknown>>, settings: readonly SecretSetting[]): string[] {
  const problems: string[] = [];
  for (const { name, kind } of settings) {
    const value = config[name];
    if (typeof value !== 'string' || value === '') continue;
    const problem = secretProblem(value, kind);
    if (problem) problems.push(`${name} ${problem}`);
  }
  return problems;
}
