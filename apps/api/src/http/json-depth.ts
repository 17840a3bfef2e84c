import type { IncomingMessage, ServerResponse } from 'node:http';

/** Deepest JSON nesting a request body may have; the API's deepest body (a rule) needs 5. */
export const MAX_JSON_DEPTH = 32;

/** Whether `buf` (JSON text) nests arrays/objects deeper than `max`; one pass, no parse, no recursion. */
export function jsonDeeperThan(buf: Buffer, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/**
 * body-parser `verify` hook: a body nested deeper than MAX_JSON_DEPTH is a 400 before it is
 * parsed, so no recursive code downstream (schemas, serializers, PostgreSQL's jsonb) can overflow.
 */
export function refuseDeepJson(_req: IncomingMessage, _res: ServerResponse, buf: Buffer): void {
  if (jsonDeeperThan(buf, MAX_JSON_DEPTH)) throw Object.assign(new Error(`the JSON body nests deeper than ${MAX_JSON_DEPTH} levels`), { status: 400 });
}
