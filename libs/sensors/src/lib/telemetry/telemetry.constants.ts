/** Telemetry limits (docs/contracts.md §1). */
export const TELEMETRY_LIMITS = Object.freeze({
  maxBytes: 262_144, // 256 KiB of UTF-8
  maxReadings: 1_000,
  maxFutureMs: 300_000, // 5 min
} as const);

/** A reading's `point` (docs/contracts.md §1): a letter or digit, then up to 63 letters, digits, `_` or `-`. */
export const POINT_CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

// 2000-01-01T00:00:00Z in ms. Earlier is seconds since the epoch sent as milliseconds, or a gateway
// whose clock fell back to 1970 after a power loss.
export const MIN_PLAUSIBLE_TS = 946_684_800_000;

// Year 5138 in ms; a larger number is microseconds or nanoseconds since the epoch.
export const MAX_PLAUSIBLE_TS = 100_000_000_000_000;
