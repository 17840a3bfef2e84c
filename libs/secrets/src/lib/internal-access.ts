import { createHash, timingSafeEqual } from 'node:crypto';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const PROXY_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'];

/** What the rule reads of an HTTP request (an Express/Node request fits as it is). */
export interface InternalAccessRequest {
  headers: Readonly<Record<string, string | string[] | undefined>>;
  socket: { remoteAddress?: string | undefined };
}

/**
 * Who may read `/metrics` and the details of `/health` of api, ingest and alerting (issue 18: both
 * were public with error texts). With `METRICS_TOKEN` set: `Authorization: Bearer <METRICS_TOKEN>`,
 * from anywhere, compared in constant time. Without it: this host only — the TCP peer (not `req.ip`,
 * which `trust proxy` lets a client choose) on loopback and no proxy headers on the request, so a
 * reverse proxy on the same host does not make it public.
 */
export function hasInternalAccess(req: InternalAccessRequest, token: string | undefined): boolean {
  if (token) {
    const authorization = req.headers['authorization'];
    const given = /^Bearer\s+(\S+)$/i.exec(typeof authorization === 'string' ? authorization : '')?.[1] ?? '';
    const digest = (s: string) => createHash('sha256').update(s).digest();
    return timingSafeEqual(digest(given), digest(token));
  }
  return LOOPBACK.has(req.socket.remoteAddress ?? '') && PROXY_HEADERS.every((h) => req.headers[h] === undefined);
}

/** The reason a refused caller is given (401). */
export function internalAccessRefusal(token: string | undefined): string {
  return token ? 'metrics need the METRICS_TOKEN bearer token' : 'metrics are served to this host only (METRICS_TOKEN is not set)';
}
