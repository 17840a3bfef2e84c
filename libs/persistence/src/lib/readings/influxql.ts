/**
 * InfluxQL literals from untrusted text (docs/architecture.md "Stores"). InfluxQL has no bind
 * parameters over the v1 HTTP API's `q`, so every value is written as a literal of its kind:
 * strings single-quoted, identifiers double-quoted, regexes with their metacharacters and `/`
 * escaped, durations checked.
 */

/** A string literal: `'it\'s'`. */
export function influxString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** A quoted identifier (measurement, tag or field key): `"my \"tag\""`. */
export function influxIdentifier(name: string): string {
  return `"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A time literal: the instant as an RFC 3339 string. */
export function influxTime(at: number | Date): string {
  return influxString(new Date(at).toISOString());
}

/** The text matched literally inside a regex literal: regex metacharacters and the closing `/` escaped. */
export function influxRegexText(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

/** A regex literal matching values that start with `prefix`: `/^3205/`. */
export function influxPrefix(prefix: string): string {
  return `/^${influxRegexText(prefix)}/`;
}

/** A regex literal matching exactly one of `values`: `/^(a|b)$/`. */
export function influxOneOf(values: readonly string[]): string {
  return `/^(${values.map(influxRegexText).join('|')})$/`;
}

const DURATION = /^[1-9]\d{0,8}(ns|u|µ|ms|s|m|h|d|w)$/;

/** A duration literal (`GROUP BY time(5m)`); throws on anything else. */
export function influxDuration(d: string): string {
  if (!DURATION.test(d)) throw new RangeError(`not an InfluxQL duration: ${d}`);
  return d;
}
