import { SetMetadata } from '@nestjs/common';

export const AUDITED_KEY = 'sw:audited';

export interface AuditedRoute {
  action: string;
  targetType: string;
  /** On a public route: the body's string fields recorded for an unauthenticated caller (cut to 64 characters); nothing else of the body is. */
  publicFields?: string[];
}

/**
 * Every call of the route goes to the audit log with its outcome — refused ones included — by
 * `AuditInterceptor` (and `JwtAuthGuard` for role refusals). Only the body as the route's schema
 * validated it is recorded, size-capped, without fields named like secrets.
 */
export const Audited = (action: string, targetType: string, opts: { publicFields?: string[] } = {}) =>
  SetMetadata(AUDITED_KEY, { action, targetType, ...opts } satisfies AuditedRoute);
