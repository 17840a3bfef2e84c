import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Principal, Role } from '@sw/persistence';
import type { Request } from 'express';

export const PUBLIC_KEY = 'sw:public';
export const ROLES_KEY = 'sw:roles';

/** The route needs no bearer token. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Only these roles may call the route (the others get 403); scope still applies within it. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** A request after authentication. */
export type AuthedRequest = Request & { principal?: Principal };

/** The authenticated principal (set by `JwtAuthGuard`). */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest<AuthedRequest>().principal;
  if (!principal) throw new Error('CurrentPrincipal used on a public route');
  return principal;
});

/** Where a request came from, for the audit log. */
export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

export function clientInfoOf(req: Request): ClientInfo {
  return { ip: req.ip ?? null, userAgent: req.get('user-agent')?.slice(0, 500) ?? null };
}

export const Client = createParamDecorator((_: unknown, ctx: ExecutionContext): ClientInfo => clientInfoOf(ctx.switchToHttp().getRequest<Request>()));
