import { type CanActivate, type ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '@sw/persistence';
import { AUDITED_KEY, type AuditedRoute } from '../audit/audited.decorator';
import { AuditService } from '../audit/audit.service';
import { type AuthedRequest, clientInfoOf, PUBLIC_KEY, ROLES_KEY } from './auth.decorator';
import { TokenService } from './token.service';
import { UserStateService } from './user-state.service';

/**
 * Every route needs a valid bearer token of an existing, enabled user at the token's version
 * unless `@Public()`, and one of its `@Roles()` when it names any. A role refusal on an `@Audited` route is written to the audit log.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly users: UserStateService,
    private readonly audit: AuditService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true; // the live feed authenticates its own way (docs/contracts.md §5)
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const header = req.get('authorization') ?? '';
    const verified = header.startsWith('Bearer ') ? this.tokens.verify(header.slice(7).trim()) : null;
    if (!verified) throw new UnauthorizedException('a valid bearer token is required');
    // issue 18: the signature is not enough; the user must exist, be enabled and hold this version
    const principal = await this.users.principalOf(verified);
    if (!principal) throw new UnauthorizedException('the token was revoked or its user is disabled');
    req.principal = principal;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!roles || roles.includes(principal.role)) return true;
    const message = `this needs the role ${roles.join(' or ')}`;
    const audited = this.reflector.get<AuditedRoute | undefined>(AUDITED_KEY, ctx.getHandler());
    if (audited) {
      await this.audit.record({
        principal,
        client: clientInfoOf(req),
        action: audited.action,
        targetType: audited.targetType,
        targetId: typeof req.params['id'] === 'string' ? req.params['id'] : null,
        outcome: 'denied',
        data: { request: `${req.method} ${req.path}`, status: 403, reason: message }, // no body: it is not validated yet
      });
    }
    throw new ForbiddenException(message);
  }
}
