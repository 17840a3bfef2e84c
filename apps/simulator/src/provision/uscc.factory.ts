import { usccCheckChar } from '@sw/sensors';

// GB 11714-1997 organization code: 8 body characters weighted, check = 11 − Σ mod 11 (10 → X, 11 → 0).
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/** The GB 11714 check character of an 8-character organization code body (digits, A–Z). */
export function orgCodeCheckChar(body: string): string {
  let sum = 0;
  for (let i = 0; i < ORG_WEIGHTS.length; i++) {
    const c = body.charAt(i);
    const value = c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : c.charCodeAt(0) - 55; // A = 10
    sum += value * (ORG_WEIGHTS[i] as number);
  }
  const check = 11 - (sum % 11);
  return check === 10 ? 'X' : check === 11 ? '0' : String(check);
}

/**
 * A well-formed 统一社会信用代码 for a made-up enterprise: 9 (market regulator) 1 (enterprise),
 * the six-digit region code, an organization code `MA1nnnnn` + GB 11714 check, and the GB 32100
 * check character. Deterministic in (region, serial), so provisioning again finds the same one.
 */
export function demoUscc(regionCode: string, serial: number): string {
  if (!/^\d{6}$/.test(regionCode)) throw new RangeError(`region code must be six digits: ${regionCode}`);
  if (!Number.isInteger(serial) || serial < 0 || serial > 99_999) throw new RangeError(`serial out of range: ${serial}`);
  const body = `MA1${String(serial).padStart(5, '0')}`;
  const first17 = `91${regionCode}${body}${orgCodeCheckChar(body)}`;
  return first17 + (usccCheckChar(first17) as string); // every character is in the code's alphabet
}
