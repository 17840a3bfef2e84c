/**
 * Which contact phones may receive SMS (issue 18: SMS pumping). By default only mainland China mobile
 * numbers: `1[3-9]` and 9 more digits, optionally `+86`. Other countries only when their calling
 * code is configured (`CONTACT_ALLOWED_COUNTRY_CODES`, e.g. `852,853`); their numbers must then be
 * E.164 (`+`, country code, at most 15 digits). Calling codes are a prefix code (ITU-T E.164), so a
 * prefix match is exact.
 */
const MAINLAND_MOBILE = /^(\+86)?1[3-9]\d{9}$/;
const E164 = /^\+[1-9]\d{6,14}$/;

/** `852, 853` → `['852', '853']`; throws on anything but 1–3 digit codes. */
export function parseCountryCodes(list: string | undefined): string[] {
  const codes = (list ?? '')
    .split(',')
    .map((c) => c.trim().replace(/^\+/, ''))
    .filter(Boolean);
  for (const c of codes) if (!/^[1-9]\d{0,2}$/.test(c)) throw new Error(`country code ${c} is not 1 to 3 digits`);
  return codes;
}

/** `null` when SMS may go to `phone`; else the reason, for a 400. */
export function contactPhoneProblem(phone: string, allowedCountryCodes: readonly string[]): string | null {
  if (MAINLAND_MOBILE.test(phone)) return null;
  const foreign = E164.test(phone) && !phone.startsWith('+86') && allowedCountryCodes.some((c) => phone.startsWith(`+${c}`));
  if (foreign) return null;
  const others = allowedCountryCodes.filter((c) => c !== '86').map((c) => `+${c}`);
  return `must be a mainland China mobile number (11 digits starting 13–19, optional +86)${others.length ? ` or an E.164 number with country code ${others.join(', ')}` : ''}`;
}
