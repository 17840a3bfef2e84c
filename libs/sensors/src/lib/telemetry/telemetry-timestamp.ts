import { MAX_PLAUSIBLE_TS, MIN_PLAUSIBLE_TS, TELEMETRY_LIMITS } from './telemetry.constants';

// Reasons are constants so that parsing allocates nothing, even when it fails.
export const TS_REASONS = Object.freeze({
  format:
    'ts must be an integer number of milliseconds since the epoch or an ISO 8601 date-time with an offset, e.g. 2026-11-28T18:00:00+08:00',
  noOffset: 'ts must include a UTC offset (Z or ±hh:mm)',
  invalidDate: 'ts is not a valid calendar date and time',
  notInteger: 'ts must be a whole number of milliseconds since the epoch',
  negative: 'ts must not be negative',
  tooEarly: 'ts is before 2000-01-01: send milliseconds since the epoch (not seconds) from a set clock',
  tooLarge: 'ts is too large: send milliseconds since the epoch (not microseconds or nanoseconds)',
  future: 'ts is more than 5 minutes in the future',
});

const DASH = 45; // '-'
const PLUS = 43; // '+'
const COLON = 58; // ':'
const DOT = 46; // '.'
const ZERO = 48; // '0'
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

// Epoch ms of a message or reading `ts` (docs/contracts.md §1), or the reason it is rejected.
export function parseTs(raw: unknown, receivedAt: number): number | string {
  let ts: number | string;
  if (typeof raw === 'number') ts = checkEpochMs(raw);
  else if (typeof raw === 'string') ts = parseIsoDateTime(raw);
  else return TS_REASONS.format;
  if (typeof ts === 'string') return ts;
  if (ts < MIN_PLAUSIBLE_TS) return TS_REASONS.tooEarly;
  if (ts - receivedAt > TELEMETRY_LIMITS.maxFutureMs) return TS_REASONS.future;
  return ts;
}

function checkEpochMs(ts: number): number | string {
  if (!Number.isInteger(ts)) return Number.isFinite(ts) ? TS_REASONS.notInteger : TS_REASONS.format;
  if (ts < 0) return TS_REASONS.negative;
  if (ts > MAX_PLAUSIBLE_TS) return TS_REASONS.tooLarge;
  return ts;
}

// `YYYY-MM-DDThh:mm:ss[.f…](Z|±hh:mm)`, parsed by hand: no regex match arrays on the hot path.
export function parseIsoDateTime(s: string): number | string {
  const n = s.length;
  if (n < 19 || s.charCodeAt(4) !== DASH || s.charCodeAt(7) !== DASH || (s[10] !== 'T' && s[10] !== 't')) {
    return TS_REASONS.format;
  }
  if (s.charCodeAt(13) !== COLON || s.charCodeAt(16) !== COLON) return TS_REASONS.format;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  if ((year | month | day | hour | minute | second) < 0) return TS_REASONS.format; // some -1
  let i = 19;
  let ms = 0;
  if (i < n && s.charCodeAt(i) === DOT) {
    const start = ++i;
    for (let d = digits(s, i, 1); d >= 0; d = digits(s, ++i, 1)) {
      if (i - start < 3) ms = ms * 10 + d;
    }
    if (i === start) return TS_REASONS.format;
    for (let k = i - start; k < 3; k++) ms *= 10; // '.5' is 500 ms; digits past the third are dropped
  }
  if (i === n) return TS_REASONS.noOffset;
  const offsetMin = parseOffset(s, i);
  if (offsetMin === null) return TS_REASONS.format;
  if (!isValidDateTime(year, month, day, hour, minute, second)) return TS_REASONS.invalidDate;
  return Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMin * 60_000;
}

// Minutes east of UTC for `Z` or `±hh:mm` ending the string at `i`, or null.
function parseOffset(s: string, i: number): number | null {
  const c = s[i];
  if (c === 'Z' || c === 'z') return i + 1 === s.length ? 0 : null;
  const sign = s.charCodeAt(i);
  if ((sign !== PLUS && sign !== DASH) || s.length !== i + 6 || s.charCodeAt(i + 3) !== COLON) return null;
  const hh = digits(s, i + 1, 2);
  const mm = digits(s, i + 4, 2);
  if (hh < 0 || mm < 0 || hh > 23 || mm > 59) return null;
  return (sign === PLUS ? 1 : -1) * (hh * 60 + mm);
}

// The decimal number in s[start, start + count), or -1 when a character is not a digit.
function digits(s: string, start: number, count: number): number {
  let v = 0;
  for (let i = start; i < start + count; i++) {
    const d = s.charCodeAt(i) - ZERO;
    if (!(d >= 0 && d <= 9)) return -1; // NaN past the end fails too
    v = v * 10 + d;
  }
  return v;
}

function isValidDateTime(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return false;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  const days = mo === 2 && leap ? 29 : (MONTH_DAYS[mo - 1] ?? 0);
  return d <= days;
}
