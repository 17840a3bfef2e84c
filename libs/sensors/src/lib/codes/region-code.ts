const SIX_DIGITS = /^\d{6}$/;
const PREFIX = /^(?:\d{2}){1,3}$/;

/**
 * Whether `code` is a six-digit region code (GB/T 2260: province, city, county, two digits each).
 * The province is never `00`, and a code without a city (`xx00yy`) has no county either.
 */
export function isValidRegionCode(code: string): boolean {
  return SIX_DIGITS.test(code) && isWellFormed(code);
}

/**
 * A regulator's region prefix in canonical form (docs/contracts.md §4): 2, 4 or 6 digits with trailing
 * `00` pairs dropped (`320500` → `3205`, `320000` → `32`, `320505` stays), or null when invalid.
 */
export function normalizeRegionPrefix(code: string): string | null {
  if (!PREFIX.test(code) || !isWellFormed(code)) return null;
  let prefix = code;
  while (prefix.endsWith('00')) prefix = prefix.slice(0, -2); // stops at the province, never 00
  return prefix;
}

/** Whether a six-digit region code lies under a region prefix (any form `normalizeRegionPrefix` takes). */
export function regionInPrefix(regionCode: string, prefix: string): boolean {
  const normalized = normalizeRegionPrefix(prefix);
  return normalized !== null && isValidRegionCode(regionCode) && regionCode.startsWith(normalized);
}

// Checks the pairs of a string of 2, 4 or 6 digits: no `00` province, no level after a `00` one.
function isWellFormed(digits: string): boolean {
  if (digits.startsWith('00')) return false;
  const city = digits.slice(2, 4);
  const county = digits.slice(4, 6);
  return !(city === '00' && county !== '' && county !== '00');
}
