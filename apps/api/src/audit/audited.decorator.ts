import { SetMetadata } from '@nestjs/common';

export const AUDITED_KEY = 'sw:audited';

export interface AuditedRoute {
  action: string;
  targetType: string;
}

/**
 * Every call of the route goes to the audit log with its outcome — refused ones included — by
 * `AuditInterceptor` (and `JwtAuthGuard` for role refusals). Body fields named like secrets are
 * never recorded.
 */
export const Audited = (action: string, targetType: string) => SetMetadata(AUDITED_KEY, { action, targetType } satisfies AuditedRoute);
