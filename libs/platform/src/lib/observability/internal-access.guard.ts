import { UnauthorizedException } from '@nestjs/common';
import { hasInternalAccess, type InternalAccessRequest, internalAccessRefusal } from '@sw/secrets';
import type { Response } from 'express';

export { hasInternalAccess } from '@sw/secrets';

/** `/metrics`: 401 (with `WWW-Authenticate: Bearer`) unless `hasInternalAccess` (the rule lives in `@sw/secrets`). */
export function assertInternalAccess(req: InternalAccessRequest, res: Pick<Response, 'setHeader'>, token: string | undefined): void {
  if (hasInternalAccess(req, token)) return;
  res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
  throw new UnauthorizedException(internalAccessRefusal(token));
}
