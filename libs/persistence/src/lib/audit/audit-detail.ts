// What an audit row may hold: a bounded copy of the data (the audit log must not become a disk
// filler, issue 18 item 4). Walked with an explicit stack, never recursion, so any nesting depth
// is safe.

/** Field names never stored, at any depth (non-negotiable 5: secrets are not even audited). */
export const SECRET_FIELD = /password|secret|token/i;

export interface AuditLimits {
  maxString: number;
  maxItems: number;
  maxDepth: number;
  maxBytes: number;
}

export const AUDIT_LIMITS: Readonly<AuditLimits> = {
  /** characters kept of any string (longer ones end with `…`) */
  maxString: 256,
  /** items kept of an array, keys kept of an object */
  maxItems: 32,
  /** nesting kept; deeper values become `'…'` */
  maxDepth: 8,
  /** the whole detail as JSON, in UTF-8 bytes */
  maxBytes: 4096,
};

type Limits = Readonly<AuditLimits>;
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** `s` cut to `max` characters (by code point, so no half surrogate pair) with `…` when cut. */
export function truncateText(s: string, max: number): string {
  if (s.length <= max) return s;
  return `${Array.from(s.slice(0, max + 1)).slice(0, max - 1).join('')}…`;
}

function leaf(value: unknown, limits: Limits): Json | undefined {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string') return truncateText(value, limits.maxString);
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  return undefined; // functions, symbols, undefined: not stored
}

/**
 * A JSON-safe copy of `value` with secret-named fields removed, strings cut, arrays and objects
 * cut to `maxItems`, nesting cut at `maxDepth`; if the result is still larger than `maxBytes`, its
 * largest top-level fields are dropped and named in `omitted`.
 */
export function boundedDetail(value: unknown, limits: Limits = AUDIT_LIMITS): Json {
  const direct = leaf(value, limits);
  if (direct !== undefined || typeof value !== 'object' || value === null) return direct ?? null;
  const root: Json = Array.isArray(value) ? [] : {};
  const stack: { from: object; to: Json[] | { [k: string]: Json }; depth: number }[] = [{ from: value, to: root as Json[] | { [k: string]: Json }, depth: 1 }];
  while (stack.length > 0) {
    const { from, to, depth } = stack.pop() as (typeof stack)[number];
    const entries: [string, unknown][] = Array.isArray(from) ? from.slice(0, limits.maxItems).map((v, i) => [String(i), v]) : Object.entries(from).slice(0, limits.maxItems);
    for (const [key, v] of entries) {
      if (!Array.isArray(to) && SECRET_FIELD.test(key)) continue;
      let out = leaf(v, limits);
      if (out === undefined && typeof v === 'object' && v !== null) {
        if (depth >= limits.maxDepth) out = '…';
        else {
          const child: Json[] | { [k: string]: Json } = Array.isArray(v) ? [] : {};
          stack.push({ from: v, to: child, depth: depth + 1 });
          out = child;
        }
      }
      if (out === undefined) continue;
      if (Array.isArray(to)) to.push(out);
      else to[truncateText(key, 64)] = out;
    }
  }
  return fitted(root, limits.maxBytes);
}

const sizeOf = (v: Json) => Buffer.byteLength(JSON.stringify(v));

/** `root` if it fits; else an object loses its largest fields (named in `omitted`) until it does. */
function fitted(root: Json, maxBytes: number): Json {
  if (sizeOf(root) <= maxBytes) return root;
  if (Array.isArray(root) || typeof root !== 'object' || root === null) return { omitted: `${sizeOf(root)} bytes` };
  const kept: { [k: string]: Json } = { ...root };
  const bySize = Object.entries(root).map(([k, v]) => [k, sizeOf(v)] as const).sort((a, b) => b[1] - a[1]);
  const omitted: string[] = [];
  for (const [k] of bySize) {
    delete kept[k];
    omitted.push(k);
    if (sizeOf({ ...kept, omitted }) <= maxBytes) break;
  }
  return { ...kept, omitted };
}
