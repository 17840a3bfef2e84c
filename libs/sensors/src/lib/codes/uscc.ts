// GB 32100-2015: the 31 characters of the code, each worth its index (no I, O, S, V, Z).
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/**
 * The check character of a 统一社会信用代码 (GB 32100-2015) for its first 17 characters, or null
 * when they are not 17 characters of the code's alphabet (upper case).
 */
export function usccCheckChar(first17: string): string | null {
  if (first17.length !== WEIGHTS.length) return null;
  let sum = 0;
  for (let i = 0; i < WEIGHTS.length; i++) {
    const value = ALPHABET.indexOf(first17.charAt(i));
    if (value < 0) return null;
    sum += value * (WEIGHTS[i] ?? 0);
  }
  return ALPHABET.charAt((31 - (sum % 31)) % 31);
}

/** Whether `code` is an 18-character 统一社会信用代码 with a correct check character (GB 32100-2015). */
export function isValidUscc(code: string): boolean {
  if (code.length !== 18) return false;
  const check = usccCheckChar(code.slice(0, 17));
  return check !== null && check === code.charAt(17);
}
