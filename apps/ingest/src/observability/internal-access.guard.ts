import { createHash, timingSafeEqual } from 'node:crypto';
import { UnauthorizedException } from '@nestjs/common';
import type { Request, Response } from 'express';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const PROXY_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'];

/**
 * Who may read `/metrics` and the details of `/health` (issue 18: both were public with error texts).
 * With `METRICS_TOKEN` set: `Authorization: Bearer <METRICS_TOKEN>`, from anywhere, compared in
 * constant time. Without it: this host only, the TCP peer (not `req.ip`, which `trust proxy` lets a
 * client choose) on loopback and no proxy headers on the request, so a reverse proxy on the same host
 * does not make it public. Same rule in api, ingest and alerting.
 */
export function hasInternalAccess(req: Request, token: string | undefined): boolean {
  if (token) {
    const given = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const digest = (s: string) => createHash('sha256').update(s).digest();
    return timingSafeEqual(digest(given), digest(token));
  }
  return LOOPBACK.has(req.socket.remoteAddress ?? '') && PROXY_HEADERS.every((h) => req.headers[h] === undefined);
}

/** `/metrics`: 401 (with `WWW-Authenticate: Bearer`) unless `hasInternalAccess`. */
export function assertInternalAccess(req: Request, res: Response, token: string | undefined): void {
  if (hasInternalAccess(req, token)) return;
  res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
  throw new UnauthorizedException(token ? 'metrics need the METRICS_TOKEN bearer token' : 'metrics are served to this host only (METRICS_TOKEN is not set)');
}
